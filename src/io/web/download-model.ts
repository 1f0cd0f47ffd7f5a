// io/web/download-model: downloadModel(model, name), a saved model handed to the user as one file:
// the zip archive of its directory (model-archive.ts), offered through an <a download> link, which
// loadModelFromFile (a file input, a drop) and loadModelFromUrl (served .zip) load back. Needs a
// page (a document); elsewhere modelToZip gives the bytes. No node:* import.
import { ValueError } from "../../core/errors.js";
import type { Model } from "../../models/model.js";
import type { SaveOptions } from "../save-info.js";
import { MODEL_ARCHIVE_TYPE, modelArchiveParts } from "./model-archive.js";

interface AnchorLike {
  href: string;
  download: string;
  style: { display: string };
  click(): void;
  remove(): void;
}

interface DocumentLike {
  createElement(tag: "a"): AnchorLike;
  body: { appendChild(node: AnchorLike): unknown };
}

/** What downloadModel offered. */
export interface DownloadedModel {
  /** The file name the browser was given. */
  readonly filename: string;
  /** The archive's size in bytes. */
  readonly bytes: number;
}

// NOTE: the object URL must outlive the click (the download starts asynchronously); it is revoked
// later, as the common download helpers do.
const REVOKE_AFTER_MS = 30_000;

function archiveName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "" || /[/\\]/.test(name)) {
    throw new ValueError(
      `downloadModel: name must be a file name without a folder (got ${JSON.stringify(name)})`,
    );
  }
  return name.toLowerCase().endsWith(".zip") ? name : `${name}.zip`;
}

/**
 * Offers the model as a download: `<name>.zip`, its saved directory (model.json +
 * weights.safetensors). Takes saveModel's options (preprocessing, labels, metrics, metadata...).
 * @example
 * await ts.downloadModel(model, "digits"); // the user gets digits.zip
 * const again = await ts.loadModelFromFile(input.files[0]);
 */
export async function downloadModel(
  model: Model,
  name: string,
  options: SaveOptions = {},
): Promise<DownloadedModel> {
  const filename = archiveName(name);
  const doc = (globalThis as { document?: DocumentLike }).document;
  const objectUrls = URL as unknown as {
    createObjectURL?: (blob: Blob) => string;
    revokeObjectURL(url: string): void;
  };
  if (doc === undefined || typeof objectUrls.createObjectURL !== "function") {
    throw new ValueError(
      "downloadModel: needs a page (a document); use modelToZip(model) for the archive's bytes",
    );
  }
  const blob = new Blob(await modelArchiveParts(model, options), { type: MODEL_ARCHIVE_TYPE });
  const href = objectUrls.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = href;
  link.download = filename;
  link.style.display = "none";
  doc.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => objectUrls.revokeObjectURL(href), REVOKE_AFTER_MS);
  return { filename, bytes: blob.size };
}
