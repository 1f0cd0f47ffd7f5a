// examples/browser/dom: the few DOM types the demo page uses, declared here because the
// project's TypeScript settings hold no DOM library (the page's code is checked with the rest).

export interface PageEvent {
  readonly clientX: number;
  readonly clientY: number;
  readonly pointerId: number;
  preventDefault(): void;
}

export interface PageElement {
  textContent: string | null;
  innerHTML: string;
  hidden: boolean;
  readonly dataset: Record<string, string | undefined>;
  readonly style: Record<string, string>;
  addEventListener(type: string, listener: (event: PageEvent) => void): void;
  append(...nodes: (PageElement | string)[]): void;
}

export interface PageInput extends PageElement {
  value: string;
  disabled: boolean;
}

export interface Canvas2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  fillRect(x: number, y: number, width: number, height: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
}

export interface PageCanvas extends PageElement {
  readonly width: number;
  readonly height: number;
  getContext(kind: "2d", options?: { willReadFrequently: boolean }): Canvas2D;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  setPointerCapture(id: number): void;
}

interface PageDocument {
  readonly body: PageElement;
  getElementById(id: string): PageElement | null;
  createElement(tag: string): PageElement;
}

export const page = (globalThis as unknown as { document: PageDocument }).document;

/** The element with this id (as the type the caller expects); a missing one is a page bug. */
export function byId<T extends PageElement = PageElement>(id: string): T {
  const found = page.getElementById(id);
  if (found === null) throw new Error(`demo page: no #${id}`);
  return found as T;
}
