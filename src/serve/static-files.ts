// serve/static-files: the types of the server's static-files option (what `tessera serve --ui`
// answers, static-ui.ts), kept free of node:* types so the package's declarations that name them
// (server-options.ts) type-check in a project without @types/node.

/** A served model as the UI sees it. */
export interface UiModel {
  readonly name: string;
  readonly dir: string;
}

/** What a static request answers. */
export interface StaticAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: Uint8Array | string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Answers GET requests for the UI's paths (undefined for any other path). */
export type StaticFiles = (
  path: string,
  models: () => readonly UiModel[],
) => Promise<StaticAnswer | undefined>;
