import { ConfigError } from "./errors.js";

const kind = (value: unknown): string => (value === null ? "null" : typeof value);

/**
 * What every protocol node's constructor checks first: `options` is an object whose `ctx` has the
 * shape of a {@link NodeContext} (an id, the members, a seeded `rng`, the recovered state). A driver
 * that forgets one gets a {@link ConfigError} naming the field, not a TypeError from deep inside the
 * node. The protocol checks the values itself (that the id is a member, the records decode…).
 * @param options - the constructor's options object
 * @param node - the class being built, for the message (e.g. "RaftNode")
 * @throws {ConfigError} naming `options`, `ctx` or `ctx.<field>`
 */
export function requireNodeContext(options: unknown, node: string): void {
  if (typeof options !== "object" || options === null) throw new ConfigError("options", `${node} takes { ctx, … }, got ${kind(options)}`);
  const ctx = (options as { ctx?: unknown }).ctx;
  if (typeof ctx !== "object" || ctx === null) {
    throw new ConfigError("ctx", `${node} needs a NodeContext { id, members, rng, recovered } from its driver, got ${kind(ctx)}`);
  }
  const { id, members, rng, recovered } = ctx as Record<string, unknown>;
  if (typeof id !== "string") throw new ConfigError("ctx.id", `must be this node's id (a string), got ${kind(id)}`);
  if (!Array.isArray(members)) throw new ConfigError("ctx.members", `must be the array of the cluster's node ids, got ${kind(members)}`);
  if (typeof (rng as { fork?: unknown } | null)?.fork !== "function") {
    throw new ConfigError("ctx.rng", "must be a seeded Rng (createRng(seed) or a fork of one)");
  }
  if (!Array.isArray((recovered as { records?: unknown } | null)?.records)) {
    throw new ConfigError("ctx.recovered", "must be the recovered durable state ({ records, corrupted, tornTail }; FRESH_STATE on first start)");
  }
}
