/**
 * Escape text for HTML element content and attribute values.
 * @returns the text with `& < > " '` replaced by entities
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&` and the line separators are
 * written as `\u` escapes, so no value can close the script element or break the page.
 * @returns the JSON text
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
