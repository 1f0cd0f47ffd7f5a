// Shared by the browser tests: launches Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH)
// through playwright-core, records console errors and failed or outside requests of a page, and
// saves screenshots under test-artifacts/, and serves a page's files on 127.0.0.1. A missing browser fails the test: CI installs it with
// `apt-get install -y chromium`. Nothing here downloads a browser.
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What went wrong on a page: console errors, page errors, failed requests, requests to other origins. */
export interface PageProblems {
  errors: string[];
  requests: string[];
}

/** Starts recording a page's console errors and every request it makes. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], requests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") problems.errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.errors.push(`page: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`),
  );
  page.on("request", (request) => problems.requests.push(request.url()));
  return problems;
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A page's files by URL path. */
export type PageFiles = Map<string, { body: Uint8Array | string; type: string }>;

/**
 * Serves `files` by exact URL path on 127.0.0.1 (anything else is a 404): the origin and a close().
 * `headers` go on every answer (e.g. COOP/COEP, which make a page cross-origin isolated).
 */
export async function servePage(
  files: PageFiles,
  options: { headers?: Record<string, string> } = {},
): Promise<{ origin: string; close: () => void }> {
  const server = createServer((request, response) => {
    const file = files.get(request.url ?? "");
    if (file === undefined) return void response.writeHead(404, options.headers).end();
    response.writeHead(200, { ...options.headers, "content-type": file.type });
    response.end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => server.close() };
}
