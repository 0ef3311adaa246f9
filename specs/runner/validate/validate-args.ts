import { UsageError } from "../args.js";

/** Parsed command line of `pnpm specs validate raft|crdt|pbft|chain|gossip`. */
export interface ValidateArgs {
  readonly protocol: "raft" | "crdt" | "pbft" | "chain" | "gossip";
  readonly seed: number;
  readonly seeds: number;
  readonly nodes: number;
  readonly durationMs: number;
  readonly faults: string;
  /** Raft only. */
  readonly preVote: boolean;
  /** Raft only. */
  readonly checkQuorum: boolean;
  /** PBFT only: Byzantine replicas (the spec's Byz), drawn from the seed (0: an honest run). */
  readonly byzantine: number;
  /** PBFT only: the strategy the Byzantine replicas run (default: drawn per seed). */
  readonly strategy: string | undefined;
  /** Where to write the NDJSON trace (with several seeds, the seed goes before the extension). */
  readonly trace: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
}

/** The usage text of `pnpm specs validate`. */
export const VALIDATE_USAGE = `usage: pnpm specs validate raft [--seed N] [--seeds K] [--nodes N] [--duration MS] [--faults none|all|LIST]
                               [--no-pre-vote] [--no-check-quorum] [--strict] [--trace FILE.ndjson] [--json]
  Runs the Raft simulation, records it as a trace of spec-level events and checks with TLC
  (specs/raft/RaftTrace.tla) that the trace is a behaviour of specs/raft/Raft.tla.
  --seed N        first seed (default 1); --seeds K runs seeds N..N+K-1 (default 1)
  --nodes N       cluster size, 2..7 (default 3)
  --duration MS   simulated milliseconds (default 2000; the trace grows by ~1,200 lines a second at 3 nodes)
  --faults        none (default), all (every fault a validated run allows), or a list of:
                  loss, duplicate, reorder, delay, partition, crash, torn, slow, skew, leader-crash,
                  leader-stall, buggify (pause, corrupt and byzantine are refused)
  --no-pre-vote / --no-check-quorum   switch the node option off (both on by default)
  --strict        accepted and ignored: every line must be an action of Raft.tla (the heartbeat,
                  the ack below the commit index and the refusal while a leader is known are)
  --trace FILE    also keep the NDJSON trace there
  --json          one JSON line per seed, then a summary line
exit: 0 every trace validated (or skipped: no TLC, not required) · 1 a trace that Raft.tla cannot
  explain, or a spec property violated on it · 2 bad usage · 5 TLC error · 6 TLC not available
  while required (SYNOD_REQUIRE_TLC=1, or TLA2TOOLS_JAR / JAVA set and not working)

usage: pnpm specs validate crdt [--seed N] [--seeds K] [--nodes N] [--duration MS] [--faults none|all|LIST]
                               [--strict] [--trace FILE.ndjson] [--json]
  Runs the CRDT simulation with the spec's workload (increments, adds and removes of two elements),
  records it as a trace of spec-level events and checks with TLC (specs/crdt/CrdtTrace.tla) that the
  trace is a behaviour of specs/crdt/DeltaAntiEntropy.tla.
  --duration MS   simulated milliseconds (default 1000; ~400 trace lines a second at 3 replicas)
  --faults        none (default), all (every fault a validated run allows), or a list of:
                  loss, duplicate, reorder, delay, partition, slow, skew, crash, torn, corrupt
                  (leader-crash, buggify, pause, leader-stall and byzantine are refused, with the
                  reason); crashes are rare in 1 s runs: corrupt,crash,torn,loss,duplicate,reorder
                  with --duration 3000 exercises corrupted restarts, nacks and checkpoints
  --strict        accepted and ignored: every line must be an action of DeltaAntiEntropy.tla (the
                  ack whose version vector covers the receiver is its ReceiveAckCovering)
  other flags as for raft; exit codes the same

usage: pnpm specs validate pbft [--seed N] [--seeds K] [--nodes 4|7] [--duration MS] [--faults none|all|LIST]
                               [--byzantine K [--strategy NAME]] [--trace FILE.ndjson] [--json]
  Runs the PBFT simulation (signed messages, checkpoint interval beyond the run), records the correct
  replicas' steps as a trace of PBFT.tla's actions and checks with TLC (specs/pbft/PBFTTrace.tla)
  that the trace is a behaviour of specs/pbft/PBFT.tla.
  --byzantine K   K ≤ f replicas are Byzantine for the whole run (the spec's Byz; default 0), with
                  PBFT's strategies drawn from the seed as pnpm sim pbft --byzantine K draws them;
                  --strategy NAME gives them all one (pnpm sim --help lists them)
  --nodes         at least 4 replicas (default 4); f = ⌊(n−1)/3⌋, quorums ⌈(n+f+1)/2⌉ as in PBFT.tla
  --duration MS   simulated milliseconds (default 1500; ~300 trace lines a second at 4 replicas)
  --faults        none (default), all (every fault a validated run allows), or a list of:
                  loss, duplicate, reorder, delay, partition, slow, skew, leader-stall, and (not in
                  all) crash, leader-crash, torn: a restart is a Restart line, the recovered replica
                  compared with the spec's state (buggify, corrupt, pause and byzantine are refused,
                  with the reason)
  other flags as for raft; exit codes the same

usage: pnpm specs validate chain [--seed N] [--seeds K] [--nodes N] [--duration MS] [--faults none|all|LIST]
                                [--trace FILE.ndjson] [--json]
  Runs the CRAQ simulation (pnpm sim chain, every client on one key), records it from the moment every
  node adopted the full chain as a trace of Chain.tla's actions and checks with TLC
  (specs/chain/ChainTrace.tla) that the trace is a behaviour of specs/chain/Chain.tla.
  --nodes         at least 2 (default 3: a middle member, whose acks the spec constrains)
  --duration MS   simulated milliseconds (default 2000; ~250 trace lines a second at 3 nodes)
  --faults        none (default), all (every fault a validated run allows), or a list of:
                  loss, duplicate, reorder, delay, slow, skew, partition, crash, pause, leader-crash,
                  leader-stall, leader-island (torn, corrupt, buggify and byzantine are refused, with
                  the reason); a removal is the spec's Reconfigure, a join its Join, a restart a
                  removal and a join; the trace ends where a member adopts two changes at once
                  other than a removal and a join (the reason is in the JSON line's abstracted)
  other flags as for raft; exit codes the same

usage: pnpm specs validate gossip [--seed N] [--seeds K] [--nodes N] [--duration MS] [--faults all|none|LIST]
                                 [--trace FILE.ndjson] [--json]
  Runs the SWIM simulation (pnpm sim gossip's configuration), records it as a trace of Swim.tla's
  actions and checks with TLC (specs/gossip/SwimTrace.tla) that the trace is a behaviour of
  specs/gossip/Swim.tla (membership only: the key-value state and push-pull traffic are abstracted).
  --nodes N       members, 2..7 (default 4)
  --duration MS   simulated milliseconds (default 20000; ~100 trace lines at 4 members with faults)
  --faults        all (default: every fault a validated run allows; without faults no member is
                  ever suspected), none, or a list of: loss, duplicate, reorder, delay, partition,
                  crash, torn, pause, slow, skew (corrupt, byzantine, buggify and the leader faults
                  are refused, with the reason)
  other flags as for raft; exit codes the same`;

function integer(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer in ${min}..${max}, got "${value}"`);
  return n;
}

/** @throws {UsageError} when a Raft-only or PBFT-only option is given to another protocol */
function checkProtocolOptions(protocol: string | undefined, raftOnly: readonly string[], pbftOnly: readonly string[]): void {
  if (protocol !== undefined && protocol !== "raft" && raftOnly.length > 0) {
    throw new UsageError(`${raftOnly.join(", ")}: a Raft option, not one of ${protocol}`);
  }
  if (protocol !== undefined && protocol !== "pbft" && pbftOnly.length > 0) {
    throw new UsageError(`${pbftOnly.join(", ")}: a PBFT option, not one of ${protocol}`);
  }
}

/**
 * Parse the arguments after `validate`.
 * @throws {UsageError} on an unknown flag, a bad number, or a protocol other than raft and crdt
 */
export function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  let protocol: string | undefined;
  let seed = 1;
  let seeds = 1;
  let nodes: number | undefined;
  let durationMs: number | undefined;
  let faults: string | undefined;
  let preVote = true;
  let checkQuorum = true;
  let byzantine = 0;
  let strategy: string | undefined;
  const raftOnly: string[] = [];
  const pbftOnly: string[] = [];
  let trace: string | undefined;
  let json = false;
  let help = false;
  const args = argv.filter((a) => a !== "--");
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++k];
    if (flag === "--seed") seed = integer("--seed", value(), 0, 2 ** 32 - 1);
    else if (flag === "--seeds") seeds = integer("--seeds", value(), 1, 10_000);
    else if (flag === "--nodes") nodes = integer("--nodes", value(), 2, 7);
    else if (flag === "--duration") durationMs = integer("--duration", value(), 1, 600_000);
    else if (flag === "--faults") {
      const v = value();
      if (v === undefined) throw new UsageError("--faults needs a value");
      faults = v;
    } else if (flag === "--trace") {
      trace = value();
      if (trace === undefined) throw new UsageError("--trace needs a file name");
    } else if (flag === "--no-pre-vote") {
      preVote = false;
      raftOnly.push(flag);
    } else if (flag === "--no-check-quorum") {
      checkQuorum = false;
      raftOnly.push(flag);
    } else if (flag === "--byzantine") {
      byzantine = integer("--byzantine", value(), 0, 2);
      pbftOnly.push(flag);
    } else if (flag === "--strategy") {
      strategy = value();
      if (strategy === undefined) throw new UsageError("--strategy needs a name");
      pbftOnly.push(flag);
    } else if (flag === "--strict") {
      // The only mode since the implementation steps joined the specs (issue 18); kept so that old
      // command lines still run.
    }
    else if (flag === "--json") json = true;
    else if (flag === "--help" || flag === "-h") help = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (protocol === undefined) protocol = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (!help && protocol !== "raft" && protocol !== "crdt" && protocol !== "pbft" && protocol !== "chain" && protocol !== "gossip") {
    if (protocol === undefined) throw new UsageError("name the protocol to validate (raft, crdt, pbft, chain or gossip)");
    throw new UsageError(`trace validation exists for raft, crdt, pbft, chain and gossip only, not "${protocol}"`);
  }
  checkProtocolOptions(protocol, raftOnly, pbftOnly);
  if (strategy !== undefined && byzantine === 0) throw new UsageError("--strategy needs --byzantine K (K ≥ 1)");
  const which = protocol === "crdt" || protocol === "pbft" || protocol === "chain" || protocol === "gossip" ? protocol : "raft";
  if (which === "pbft" && nodes !== undefined && nodes < 4) {
    throw new UsageError(`--nodes ${nodes}: PBFT needs at least 4 replicas (f = 1) to be validated`);
  }
  const duration = durationMs ?? (which === "crdt" ? 1000 : which === "pbft" ? 1500 : which === "gossip" ? 20_000 : 2000);
  const size = nodes ?? (which === "pbft" || which === "gossip" ? 4 : 3);
  const faultList = faults ?? (which === "gossip" ? "all" : "none");
  return { protocol: which, seed, seeds, nodes: size, durationMs: duration, faults: faultList, preVote, checkQuorum, byzantine, strategy, trace, json, help };
}
