/** Parsers for readable scenario tables: "n1:7 n2:5" acks and "+n1 -n2" votes. */
import type { NodeId } from "@synod/core";

/** "n1:7 n2:5" → acked(id); ids not listed → undefined (counted as 0). */
export function acksOf(text: string): (id: NodeId) => number | undefined {
  const map = new Map<NodeId, number>();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const [id, value] = token.split(":");
    map.set(id!, Number(value));
  }
  return (id) => map.get(id);
}

/** "+n1 -n2" → votes(id): true for +, false for -, undefined when not listed. */
export function votesOf(text: string): (id: NodeId) => boolean | undefined {
  const map = new Map<NodeId, boolean>();
  for (const token of text.split(/\s+/).filter(Boolean)) map.set(token.slice(1), token.startsWith("+"));
  return (id) => map.get(id);
}

/** "a b c" → a set of ids. */
export function setOf(text: string): Set<NodeId> {
  return new Set(text.split(/\s+/).filter(Boolean));
}
