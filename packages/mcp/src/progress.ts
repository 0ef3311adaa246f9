import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";

/** What a tool handler receives from the SDK besides its arguments. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Reports a long tool's progress to the client; a no-op when the client sent no progress token. */
export type ProgressReporter = (progress: number, total: number | undefined, message: string) => void;

/**
 * Build the progress reporter of one call. Notifications are sent only when the client asked for them
 * (a `progressToken` in the request's `_meta`), and their progress value always increases, as MCP requires.
 * @param extra - the handler's extra argument
 * @returns the reporter
 */
export function progressReporter(extra: ToolExtra): ProgressReporter {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let last = -Infinity;
  return (progress, total, message) => {
    if (!(progress > last)) return;
    last = progress;
    void extra
      .sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), message } })
      .catch(() => {});
  };
}
