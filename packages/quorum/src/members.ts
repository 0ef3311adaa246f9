import { isNodeId, SynodError, type NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";

import { MAX_QUORUM_MEMBERS } from "./limits.js";

export { MAX_QUORUM_MEMBERS };

/**
 * Validates a member list and returns a frozen copy in the same order.
 * @param field - the input's name, used in errors
 * @param members - the ids to check
 * @param allowEmpty - whether an empty list is acceptable (learners: yes; voters: no)
 * @returns the frozen copy
 * @throws {QuorumConfigError} `empty`, `too-many`, `invalid-id` or `duplicate`
 */
export function checkMembers(field: string, members: readonly NodeId[], allowEmpty = false): readonly NodeId[] {
  if (!Array.isArray(members)) {
    throw new QuorumConfigError(field, "empty", "expected an array of node ids");
  }
  if (members.length === 0 && !allowEmpty) {
    throw new QuorumConfigError(field, "empty", "needs at least one voter: a system without voters never decides");
  }
  if (members.length > MAX_QUORUM_MEMBERS) {
    throw new QuorumConfigError(field, "too-many", `at most ${MAX_QUORUM_MEMBERS} members, got ${members.length}`, {
      count: members.length,
    });
  }
  const seen = new Set<NodeId>();
  for (let i = 0; i < members.length; i++) {
    const id: unknown = members[i];
    if (!isNodeId(id)) {
      throw new QuorumConfigError(`${field}[${i}]`, "invalid-id", `not a node id (a non-empty string of at most 64 characters)`, {
        index: i,
      });
    }
    if (seen.has(id)) {
      throw new QuorumConfigError(`${field}[${i}]`, "duplicate", `duplicate member id "${id}"`, { id });
    }
    seen.add(id);
  }
  return Object.freeze([...members]);
}

/** @returns `value` for a message; never throws (String() throws on an object without a prototype) */
export function shown(value: unknown): string {
  try {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? "an object" : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Checks that an options or spec argument is an object (undefined allowed when `optional`).
 * @throws {SynodError} code `usage` when it is not
 */
export function checkObject<T>(field: string, value: T, optional = false): T {
  if ((value === undefined && optional) || (typeof value === "object" && value !== null && !Array.isArray(value))) return value;
  throw new SynodError("usage", `${field} must be an object, got ${shown(value)}`);
}

/**
 * Checks that `system` looks like a quorum system (an object with a voters array and the methods).
 * @throws {SynodError} code `usage` when it does not
 */
export function checkSystem(field: string, system: unknown): void {
  const s = system as { voters?: unknown; isQuorum?: unknown; committedIndex?: unknown } | null;
  if (typeof s !== "object" || s === null || !Array.isArray(s.voters) || typeof s.isQuorum !== "function" || typeof s.committedIndex !== "function") {
    throw new SynodError("usage", `${field} must be a quorum system (from majority(), weighted(), …), got ${shown(system)}`);
  }
}

/**
 * Checks that a size-like parameter is an integer in [min, max].
 * @returns the value
 * @throws {QuorumConfigError} `invalid-size` when not an integer or below `min`; `unreachable` when above `max`
 */
export function checkSize(field: string, value: number, min: number, max: number, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new QuorumConfigError(field, "invalid-size", `${what} must be an integer >= ${min}, got ${shown(value)}`, { value });
  }
  if (value > max) {
    throw new QuorumConfigError(field, "unreachable", `${what} is ${value} but at most ${max} can ever be reached`, {
      value,
      max,
    });
  }
  return value;
}
