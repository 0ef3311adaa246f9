import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { LIMITS } from "./limits.js";

/**
 * A successful tool result: the structured value, and its JSON as text for clients that read text only.
 * The text is cut at {@link LIMITS.maxOutputChars}; the structured value must already be bounded by the tool.
 * @param value - the structured result (a plain JSON object)
 * @returns the MCP tool result
 */
export function structured(value: Record<string, unknown>): CallToolResult {
  let text = JSON.stringify(value, null, 1);
  if (text.length > LIMITS.maxOutputChars) text = `${text.slice(0, LIMITS.maxOutputChars)}\n… (cut at ${LIMITS.maxOutputChars} characters)`;
  return { content: [{ type: "text", text }], structuredContent: value };
}

/**
 * Keep at most `max` characters of a text, saying so when it was cut.
 * @returns the text, or its head with a note
 */
export function clip(text: string, max: number = LIMITS.maxOutputChars / 4): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters cut)`;
}
