/** What a member believes of another: SWIM's states, plus `left` for a graceful leave. */
export type MemberState = "alive" | "suspect" | "dead" | "left";

/** Whether a state is final for its incarnation (only an alive at a higher incarnation revives it). */
export function isDeadOrLeft(state: MemberState): boolean {
  return state === "dead" || state === "left";
}
