import type { NodeId } from "./ids.js";

/** A message on the wire between two nodes. Messages are plain data (no classes, no functions). */
export interface Envelope<M> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: M;
}
