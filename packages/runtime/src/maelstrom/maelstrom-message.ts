/**
 * Maelstrom's wire format (jepsen-io/maelstrom, doc/protocol.md): one JSON object per line,
 * `{"src", "dest", "body": {"type", "msg_id"?, "in_reply_to"?, …}}` on stdin and stdout.
 */
export interface MaelstromMessage {
  readonly src: string;
  readonly dest: string;
  readonly body: MaelstromBody;
}

/** A message body: `type` plus the workload's fields. */
export interface MaelstromBody {
  readonly type: string;
  readonly msg_id?: number;
  readonly in_reply_to?: number;
  readonly [field: string]: unknown;
}

/**
 * Maelstrom's error codes (doc/protocol.md). Definite ones mean the operation did not happen;
 * `timeout` (0) and `crash` (13) are indefinite — never answer a definite error when unsure.
 */
export const MAELSTROM_ERROR = {
  timeout: 0,
  notSupported: 10,
  temporarilyUnavailable: 11,
  malformedRequest: 12,
  crash: 13,
  abort: 14,
  keyDoesNotExist: 20,
  preconditionFailed: 22,
} as const;

/**
 * Parse one line from stdin.
 * @returns the message, or why the line is not one (the driver counts it and goes on)
 */
export function parseMaelstromLine(line: string): { ok: true; message: MaelstromMessage } | { ok: false; why: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    return { ok: false, why: `not JSON: ${(cause as Error).message}` };
  }
  if (typeof raw !== "object" || raw === null) return { ok: false, why: "not an object" };
  const { src, dest, body } = raw as Record<string, unknown>;
  if (typeof src !== "string" || typeof dest !== "string") return { ok: false, why: "src and dest must be strings" };
  if (typeof body !== "object" || body === null || typeof (body as Record<string, unknown>).type !== "string") {
    return { ok: false, why: "body.type must be a string" };
  }
  const msgId = (body as Record<string, unknown>).msg_id;
  if (msgId !== undefined && !Number.isSafeInteger(msgId)) return { ok: false, why: "body.msg_id must be an integer" };
  return { ok: true, message: { src, dest, body: body as MaelstromBody } };
}
