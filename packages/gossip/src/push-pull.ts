import type { NodeId } from "@synod/core";
import type { MemberState } from "./member-state.js";
import { viewEntry, type MemberView, type ViewEntry } from "./member-view.js";
import { MAX_GOSSIP_MESSAGE_BYTES, MAX_PUSH_PULL_ENTRIES, type PushPullEntry } from "./messages.js";
import { memberIdBytes, stringBytes, uintBytes, utf8Length } from "./msgpack-size.js";
import { supersedes } from "./supersedes.js";

export { utf8Length };

/**
 * Bytes of a push-pull message other than its entries, at most: the field names, the type, `inc`,
 * `span`, the entries' array header, and `first` (a member id: up to 64 UTF-16 units, 192 UTF-8 bytes).
 */
export const PUSH_PULL_OVERHEAD_BYTES = 256;

/** Bytes the entries of one push-pull message may take, so that the message fits MAX_GOSSIP_MESSAGE_BYTES. */
export const PUSH_PULL_ENTRY_BUDGET_BYTES = MAX_GOSSIP_MESSAGE_BYTES - PUSH_PULL_OVERHEAD_BYTES;

const ALIVE_AT_ZERO: ViewEntry = viewEntry("alive", 0);
const LONGEST_STATE: MemberState = "suspect";

/**
 * @returns the encoded size of one push-pull entry `[member, incarnation, state]` whose member id has
 * `idUtf8Bytes` UTF-8 bytes, at most (msgpack as @synod/core's codec writes it: the tuple's header,
 * the id, the incarnation, the state's name; checked against the codec by test)
 */
export function pushPullEntryBytes(idUtf8Bytes: number, incarnation: number, state: MemberState): number {
  return 1 + stringBytes(idUtf8Bytes) + uintBytes(incarnation) + stringBytes(state.length);
}

/**
 * What a member sends in a push-pull exchange (hashicorp/memberlist's push/pull state sync, bounded
 * by the message size limit). A view is sparse and alive at incarnation 0 supersedes nothing, so only
 * the entries that differ from it are sent. When they do not all fit MAX_GOSSIP_MESSAGE_BYTES, the
 * push covers a window of the member order instead: from a member drawn at random by the caller, as
 * many consecutive members as fit, and the receiver's reply covers the same window. Over successive
 * exchanges (random starts) every entry is sent; when everything fits — a few hundred members, or any
 * cluster whose members mostly never changed incarnation — the window is the whole member order.
 */
export class PushPullState {
  /** UTF-8 bytes of each member's id, by position (shared by every member over the same list). */
  private readonly idBytes: readonly number[];
  /** The largest entry any member can have here (its longest id, the longest state, a 32-bit incarnation). */
  private readonly largestEntry: number;

  /**
   * @param members - the cluster's member order (the same at every member: windows are ranges of it)
   * @param self - this member's position (never sent: its incarnation rides on every message)
   */
  constructor(
    private readonly members: readonly NodeId[],
    private readonly self: number,
  ) {
    const ids = memberIdBytes(members);
    this.idBytes = ids.byPosition;
    this.largestEntry = pushPullEntryBytes(ids.max, 0xffff_ffff, LONGEST_STATE);
  }

  /**
   * The push: the entries of `view` other than alive at 0, for the members from position `first` on
   * in member order (wrapping), until the next one would not fit the budget; the receiver's entry first.
   * @param receiver - the position of the member it goes to: what is held of it leads, so that it refutes
   * @returns the entries, and `span`: the number of members of the window they cover (n when all)
   */
  push(view: MemberView, first: number, receiver: number): { span: number; entries: PushPullEntry[] } {
    const n = this.members.length;
    const entries: PushPullEntry[] = [];
    const budget = { bytes: PUSH_PULL_ENTRY_BUDGET_BYTES };
    const about = view.get(receiver);
    if (about !== ALIVE_AT_ZERO) this.add(entries, budget, receiver, about);
    if (view.changedCount * this.largestEntry <= PUSH_PULL_ENTRY_BUDGET_BYTES && view.changedCount < MAX_PUSH_PULL_ENTRIES) {
      // Everything fits: no need to walk the member order.
      for (const [position, entry] of view.entries()) if (position !== receiver && entry !== ALIVE_AT_ZERO) this.add(entries, budget, position, entry);
      return { span: n, entries };
    }
    // From `first` on in member order, visiting only the members whose entry ever changed (the others
    // are alive at 0 and skipped): O(changed entries), not a walk of all n members per exchange.
    const changed = view.changedPositions();
    let start = 0;
    let hi = changed.length;
    while (start < hi) {
      const mid = (start + hi) >> 1;
      if ((changed[mid] as number) < first) start = mid + 1;
      else hi = mid;
    }
    for (let i = 0; i < changed.length; i++) {
      const position = changed[(start + i) % changed.length] as number;
      const entry = view.get(position);
      if (position === this.self || position === receiver || entry === ALIVE_AT_ZERO) continue;
      if (!this.add(entries, budget, position, entry)) return { span: (position - first + n) % n, entries };
    }
    return { span: n, entries };
  }

  /**
   * The pull: the entries of `view`, for the `span` members from position `first`, that supersede what
   * the pusher holds of them — `theirs`, its push (a member it sent nothing about is alive at 0 there,
   * as far as we know), and itself at `pusherIncarnation`. What is held of the pusher comes first,
   * inside the window or not. Entries past the budget are left for a later exchange.
   */
  reply(view: MemberView, first: number, span: number, theirs: ReadonlyMap<number, ViewEntry>, pusher: number, pusherIncarnation: number): PushPullEntry[] {
    const n = this.members.length;
    const entries: PushPullEntry[] = [];
    const budget = { bytes: PUSH_PULL_ENTRY_BUDGET_BYTES };
    const ofPusher = view.get(pusher);
    if (supersedes(ofPusher.state, ofPusher.incarnation, "alive", pusherIncarnation)) this.add(entries, budget, pusher, ofPusher);
    const offer = (position: number, mine: ViewEntry): boolean => {
      if (position === pusher || position === this.self || mine === ALIVE_AT_ZERO) return true;
      const held = theirs.get(position) ?? ALIVE_AT_ZERO;
      return !supersedes(mine.state, mine.incarnation, held.state, held.incarnation) || this.add(entries, budget, position, mine);
    };
    if (view.changedCount < span) {
      for (const [position, mine] of view.entries()) {
        if ((position - first + n) % n < span && !offer(position, mine)) break;
      }
    } else {
      for (let k = 0; k < span; k++) {
        const position = (first + k) % n;
        if (!offer(position, view.get(position))) break;
      }
    }
    return entries;
  }

  /** Append the entry of the member at `position` if it fits the budget. @returns whether it did */
  private add(entries: PushPullEntry[], budget: { bytes: number }, position: number, entry: ViewEntry): boolean {
    const bytes = pushPullEntryBytes(this.idBytes[position] ?? 0, entry.incarnation, entry.state);
    if (bytes > budget.bytes || entries.length >= MAX_PUSH_PULL_ENTRIES) return false;
    budget.bytes -= bytes;
    entries.push([this.members[position] as NodeId, entry.incarnation, entry.state]);
    return true;
  }
}
