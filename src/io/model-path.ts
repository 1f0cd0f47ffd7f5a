// io/model-path: the model directory behind what users pass to save and loadModel: a directory
// path, a file:// URL (a URL object, "file:///abs/m", or tfjs's "file://./m" with a path after the
// prefix), and for loading also the path of model.json itself, as tfjs's loadLayersModel takes.
// NOTE: before this, save("file://./m") made a folder named "file:" and loadModel("m/model.json")
// failed with a raw ENOTDIR.
import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ValueError } from "../core/errors.js";
import { MODEL_JSON } from "./model-format.js";

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** A path from a string or URL: file:// URLs become paths, other URL schemes are refused. */
function pathOf(location: string | URL, op: string): string {
  if (location instanceof URL) {
    if (location.protocol !== "file:")
      throw new ValueError(`${op}: only file:// URLs name a model directory (got ${location.href})`);
    return fileURLToPath(location);
  }
  if (typeof location !== "string" || location === "")
    throw new ValueError(
      `${op}: expected a directory path or a file:// URL (got ${JSON.stringify(location)})`,
    );
  const scheme = SCHEME.exec(location)?.[1];
  if (scheme === undefined) return location;
  if (scheme.toLowerCase() !== "file") {
    throw new ValueError(
      `${op}: "${location}" is a ${scheme}:// URL; models are saved to and loaded from directories (a path or a file:// URL)`,
    );
  }
  const rest = location.slice("file://".length);
  // "file:///abs/m" and "file://localhost/abs/m" are standard URLs (percent-decoded);
  // "file://./m" and "file://m" are tfjs's relative form: the rest is the path as written.
  if (rest.startsWith("/") || rest.startsWith("localhost/")) return fileURLToPath(location);
  if (rest === "") throw new ValueError(`${op}: "${location}" names no directory`);
  return rest;
}

/** The directory save writes: a path or file:// URL; a path to model.json is refused, not guessed. */
export function modelDirToSave(location: string | URL, op = "save"): string {
  const path = pathOf(location, op);
  if (basename(path) === MODEL_JSON)
    throw new ValueError(
      `${op}: ${path} names the model.json file; pass the directory to write (${dirname(path)})`,
    );
  return path;
}

/**
 * The directory loadModel reads: a path or file:// URL of the directory, or of its model.json.
 * Another file is refused with a message saying what to pass.
 */
export async function modelDirToLoad(location: string | URL, op = "loadModel"): Promise<string> {
  const path = pathOf(location, op);
  if (basename(path) === MODEL_JSON) return dirname(path);
  const info = await stat(path).catch(() => null);
  if (info !== null && !info.isDirectory())
    throw new ValueError(
      `${op}: ${path} is a file; pass the model directory (the folder holding ${MODEL_JSON}) or the path of its ${MODEL_JSON}`,
    );
  return path;
}
