import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** Why a tool refused its arguments or could not run; the client gets it as `structuredContent.error.code`. */
export type ToolErrorCode =
  | "outside-repository"
  | "not-found"
  | "bad-argument"
  | "tlc-unavailable"
  | "timeout"
  | "cancelled"
  | "failed";

/** A typed, expected failure of a tool: reported to the client as an MCP tool error, never a crash. */
export class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/**
 * The MCP result for a failed call: `isError: true`, the message as text, and `{ error: { code, message } }`
 * as structured content so a client can branch on the code.
 * @param error - what was thrown
 * @returns the tool result
 */
export function toolFailure(error: unknown): CallToolResult {
  const code: ToolErrorCode = error instanceof ToolError ? error.code : "failed";
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: "text", text: `${code}: ${message}` }], structuredContent: { error: { code, message } } };
}
