import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";

// Debian's Chromium (installed by .ci/run when missing), driven by playwright-core: the browser tests
// skip with this message when it is absent.
export const browserPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const noBrowser = existsSync(browserPath) ? undefined : `no Chromium at ${browserPath} (set CHROMIUM_PATH or apt-get install chromium); skipping the browser tests`;
if (noBrowser) console.warn(noBrowser);
/** Where screenshots go (not committed). */
export const shots = join(import.meta.dirname, "..", "..", "..", ".screenshots");

/** @returns a headless Chromium without network side channels */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Write `html` to `dir/name.html` and open it; `errors` collects console errors, page errors and any
 * request that is not for a local file (a report must need no network).
 */
export async function openPage(browser: Browser, dir: string, html: string, name: string, width = 1400, height = 700): Promise<{ page: Page; errors: string[] }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) errors.push(`network request to ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  return { page, errors };
}

/**
 * Inside a `describe`: launch Chromium and make a scratch folder before its tests, close and remove
 * them after; `open` writes a page there and opens it (see {@link openPage}).
 */
export function browserSuite(prefix: string): { open(html: string, name: string, width?: number, height?: number): Promise<{ page: Page; errors: string[] }> } {
  let browser: Browser | undefined;
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { open: (html, name, width, height) => openPage(browser as Browser, dir, html, name, width, height) };
}
