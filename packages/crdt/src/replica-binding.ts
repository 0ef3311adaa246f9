import { isNodeId, MAX_NODE_ID_LENGTH, SynodError, type NodeId } from "@synod/core";

/**
 * The replica id a CRDT instance was created for: its mutators issue every operation under it, so
 * an operation cannot carry another replica's id by mistake. Deltas, joins and decoded states are
 * unbound (they only merge); bind one with the type's `forReplica(id, state)`.
 * @returns `replica`, checked
 * @throws {SynodError} code `usage` when `replica` is not a node id (a non-empty string)
 */
export function checkReplicaId(replica: unknown, type: string): NodeId {
  if (!isNodeId(replica)) {
    const got = JSON.stringify(replica);
    throw new SynodError("usage", `${type}.forReplica: the replica id must be a non-empty string of at most ${MAX_NODE_ID_LENGTH} characters, got ${got}`);
  }
  return replica;
}

/**
 * @returns the replica an instance is bound to
 * @throws {SynodError} code `usage` when it is unbound (a delta, a join or a decoded state)
 */
export function boundReplica(replica: NodeId | undefined, type: string, mutator: string): NodeId {
  if (replica === undefined) {
    const how = `create replicas with ${type}.forReplica(id), or bind a state with ${type}.forReplica(id, state)`;
    throw new SynodError("usage", `${type}.${mutator}: this ${type} is not bound to a replica (a delta, a join or a decoded state only merges): ${how}`);
  }
  return replica;
}
