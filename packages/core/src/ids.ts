import { MAX_NODE_ID_LENGTH } from "./limits.js";

/** Identifier of a protocol node (a replica, a member, a peer). Non-empty, at most 64 characters. */
export type NodeId = string;

/**
 * Whether a value is a well-formed {@link NodeId}.
 * @param value - anything, typically decoded from a peer's bytes
 * @returns true when `value` is a non-empty string of at most {@link MAX_NODE_ID_LENGTH} characters
 */
export function isNodeId(value: unknown): value is NodeId {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_NODE_ID_LENGTH;
}

/**
 * The conventional ids of an n-node cluster: `n1`, `n2`, … `nN`.
 * @param count - number of nodes, 1 ≤ count ≤ 1024
 * @example nodeIds(3) // ["n1", "n2", "n3"]
 */
export function nodeIds(count: number): NodeId[] {
  const ids: NodeId[] = [];
  for (let i = 1; i <= count; i++) ids.push(internedNodeId(`n${i}`));
  return ids;
}

/**
 * @returns `id` as an interned string. Ids are compared on every message: in V8 a string built at
 * run time (`n${i}`, or decoded from bytes) is compared character by character with another id of
 * the same length, while two interned strings compare by identity. Object property names are interned.
 */
export function internedNodeId(id: string): NodeId {
  return Object.keys({ [id]: 0 })[0] as NodeId;
}
