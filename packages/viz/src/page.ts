import { escapeHtml, scriptSafeJson } from "./escape.js";

/** What a self-contained page holds. */
export interface PageParts {
  readonly title: string;
  /** Trusted markup for the body (escape anything that came from data). */
  readonly body: string;
  readonly css: string;
  /** The page's script; it reads its data with `JSON.parse(document.getElementById("data").textContent)`. */
  readonly script: string;
  /** The data the script draws, embedded as JSON. */
  readonly data: unknown;
}

/**
 * One HTML file with its style, script and data inline: it opens from disk, offline, in any browser.
 * @returns the whole document
 */
export function selfContainedPage(parts: PageParts): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${parts.css}</style>`,
    "</head><body>",
    parts.body,
    `<script type="application/json" id="data">${scriptSafeJson(parts.data)}</script>`,
    `<script>${parts.script}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
