import type { NodeId } from "@synod/core";
import { rewriteTranscriptWith } from "../../../../test/support/transcript.js";
import { joint, majority, weighted, type QuorumSystem } from "../../src/index.js";

/**
 * Quorum transcripts (etcd's `quorum/testdata` is the model): blocks of a command, a `----` line,
 * the expected output and a blank line; `#` lines before a command are comments. Ids are written
 * as numbers (`1` is `n1`).
 */

const ids = (list: string): NodeId[] => (list === "" ? [] : list.split(",").map((x) => `n${x.split(":")[0] as string}`));

/** `1,2,3` → a majority; `1:3,2:1,3:1` → weighted voters (id:weight). */
function systemOf(list: string): QuorumSystem {
  if (!list.includes(":")) return majority(ids(list));
  return weighted(list.split(",").map((x) => [`n${x.split(":")[0] as string}`, Number(x.split(":")[1])] as const));
}

/** The configuration of a command: `cfg=` alone, or joint with `cfg_j=` (the outgoing half). */
function configOf(opts: Map<string, string>): { system: QuorumSystem; members: NodeId[] } {
  const cfg = opts.get("cfg") ?? "";
  const cfgJ = opts.get("cfg_j");
  const incoming = systemOf(cfg);
  if (cfgJ === undefined) return { system: incoming, members: ids(cfg) };
  const members = [...new Set([...ids(cfg), ...ids(cfgJ)])];
  return { system: joint(incoming, systemOf(cfgJ)), members };
}

/** `idx=100,_,99` or `votes=y,n,_`: one value per member, in the order of `cfg` then the new ones of `cfg_j`. */
function valuesOf(opts: Map<string, string>, key: string, members: NodeId[]): Map<NodeId, string> {
  const values = (opts.get(key) ?? "").split(",");
  if (values.length !== members.length) throw new Error(`${key} has ${values.length} values for ${members.length} members`);
  return new Map(members.map((m, i) => [m, values[i] as string]));
}

const COMMANDS: Record<string, (opts: Map<string, string>) => string[]> = {
  /**
   * The committed index, with each member's acknowledged index (`_`: none yet) and `>` marking those
   * that hold it. Example:
   *   committed cfg=1,2,3 idx=100,101,99
   *   ----
   *   > n1 100
   *   > n2 101
   *     n3 99
   *   committed 100
   */
  committed(opts) {
    const { system, members } = configOf(opts);
    const acked = valuesOf(opts, "idx", members);
    const index = system.committedIndex((id) => {
      const v = acked.get(id);
      return v === undefined || v === "_" ? undefined : Number(v);
    });
    const rows = members.map((m) => {
      const v = acked.get(m) as string;
      return `${v !== "_" && Number(v) >= index && index > 0 ? ">" : " "} ${m} ${v}`;
    });
    return [...rows, `committed ${index}`];
  },
  /**
   * The outcome of a vote (`y` granted, `n` refused, `_` not heard). Example:
   *   vote cfg=1,2,3 votes=y,_,n
   *   ----
   *   pending
   */
  vote(opts) {
    const { system, members } = configOf(opts);
    const votes = valuesOf(opts, "votes", members);
    return [system.voteResult((id) => (votes.get(id) === "y" ? true : votes.get(id) === "n" ? false : undefined))];
  },
};

/** @returns the output of one command line */
export function runQuorumCommand(command: string): string {
  const [verb, ...args] = command.trim().split(/\s+/);
  const handler = COMMANDS[verb ?? ""];
  if (handler === undefined) throw new Error(`unknown command ${String(verb)}`);
  const opts = new Map(args.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as [string, string]));
  return handler(opts).join("\n");
}

/** @returns the transcript with every expected output replaced by the actual one */
export function rewriteQuorumTranscript(text: string): ReturnType<typeof rewriteTranscriptWith> {
  return rewriteTranscriptWith(text, runQuorumCommand);
}
