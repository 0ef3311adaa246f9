/**
 * The runtime bench's closed-loop client around a leader change, as a transcript. The fake node
 * answers as the runtime delivers outputs: a proposal that persists nothing (a refusal) comes back
 * inside `request` when no sync is open. The process-per-node bench wedged this way: a leader
 * paused past the election timeout came back as a follower, applied one of its old entries, and
 * its client proposed, was refused inside `request` and proposed again, forever, so the process
 * never answered the bench again.
 */
import { NotLeaderError, RequestRefusedError, type RaftInput } from "@synod/raft";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClosedLoopClient, type Proposer } from "../../bench/scenarios/runtime/closed-loop-client.js";

/** Far more proposals than any window: the client loops. */
const RUNAWAY = 10_000;

/** A node as the client sees it: it accepts as a leader, refuses as a follower, synchronously. */
class FakeNode implements Proposer {
  readonly requests: RaftInput[] = [];
  /** Why it refuses now, or undefined when it accepts. */
  refusing: "not-leader" | "too-many-uncommitted" | undefined;
  private nextIndex = 1;

  constructor(
    readonly id: string,
    private readonly client: ClosedLoopClient,
  ) {}

  request(input: RaftInput): void {
    this.requests.push(input);
    if (this.requests.length > RUNAWAY) throw new Error(`${this.id}: ${RUNAWAY} proposals without returning: the client loops on refusals`);
    if (input.type !== "propose") throw new Error(`unexpected ${input.type}`);
    if (this.refusing === "not-leader") {
      this.client.onOutput(this, { type: "refused", tag: input.tag, error: new NotLeaderError(this.id, "n2"), retryAt: "n2", leader: "n2" });
    } else if (this.refusing === "too-many-uncommitted") {
      this.client.onOutput(this, { type: "refused", tag: input.tag, error: new RequestRefusedError("too-many-uncommitted", "full"), retryAt: this.id, leader: this.id });
    } else {
      this.client.onOutput(this, { type: "proposed", tag: input.tag, index: this.nextIndex++, count: 1 });
    }
  }

  role(role: "leader" | "follower", leader: string): void {
    this.client.onOutput(this, { type: "role", role, term: 1, leader });
  }

  apply(index: number): void {
    this.client.onOutput(this, { type: "apply", entry: { type: "normal", term: 1, index, data: new Uint8Array(0) }, result: undefined });
  }
}

describe("bench runtime: the closed-loop client across a leader change", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("a leader that steps down is forgotten: its old entries applying as a follower propose nothing", async () => {
    const client = new ClosedLoopClient(1);
    const n1 = new FakeNode("n1", client);
    n1.role("leader", "n1");
    await Promise.resolve(); // the client proposes in a microtask
    expect(n1.requests).toHaveLength(256); // the window of batch 1
    n1.apply(1);
    expect(n1.requests).toHaveLength(257); // one applied, one more in flight

    // Paused past the election timeout: n2 leads, n1 comes back a follower and refuses proposals.
    n1.refusing = "not-leader";
    n1.role("follower", "n2");
    n1.apply(2); // committed by n2: before, this proposed and was refused inside request, forever
    n1.apply(3);
    expect(client.leader).toBeUndefined();
    vi.advanceTimersByTime(100);
    expect(n1.requests).toHaveLength(257);

    // n1 leads again: a whole new window, none of the old one waited for.
    n1.refusing = undefined;
    n1.role("leader", "n1");
    await Promise.resolve();
    expect(n1.requests).toHaveLength(257 + 256);
  });

  it("a refusal delivered inside request pauses proposing until the retry 1 ms later", async () => {
    const client = new ClosedLoopClient(1);
    const n1 = new FakeNode("n1", client);
    n1.refusing = "too-many-uncommitted";
    n1.role("leader", "n1");
    await Promise.resolve();
    expect(n1.requests).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(n1.requests).toHaveLength(2);
    n1.refusing = undefined;
    vi.advanceTimersByTime(1);
    expect(n1.requests).toHaveLength(2 + 256);
  });

  it("another node reporting that it leads takes the client over (one process: every node shares it)", async () => {
    const client = new ClosedLoopClient(1);
    const n1 = new FakeNode("n1", client);
    const n2 = new FakeNode("n2", client);
    n1.role("leader", "n1");
    await Promise.resolve();
    n2.role("leader", "n2");
    await Promise.resolve();
    expect(client.leader).toBe(n2);
    expect(n2.requests).toHaveLength(256);
    n1.refusing = "not-leader";
    n1.apply(1); // n1's old entry, applied there: not the client's leader any more
    expect(n1.requests).toHaveLength(256);
  });
});
