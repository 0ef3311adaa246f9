import type { GossipInvariant } from "./invariants.js";

/** Slack for floating-point rounding when the measured loss is compared with its inputs. */
const EPSILON = 1e-9;

/**
 * `LossFromAnsweredProbes` (adaptive tuning, as packages/gossip promises it): the packet loss a
 * window of probes measures comes from the probes that were answered — as a round-trip miss rate
 * 1 − (1 − p)² it is the share of them answered only after the probe timeout (`indirect / (direct +
 * indirect)`), and a window with none answered measures nothing. A probe nobody answered says its
 * target is down, cut off or paused, not that packets are lost: counted as loss, every crash reads as
 * loss to each member probing the crashed one, which raise their fanout and stretch their probe
 * interval — slowing the detection of that very crash. Checked on each `tuned` output against the
 * window's counts it reports.
 * @returns the checker (stateless)
 */
export function lossFromAnsweredProbes(): GossipInvariant {
  return {
    name: "LossFromAnsweredProbes",
    afterStepOn: "persist-or-output",
    afterStep(id, step) {
      for (const out of step.output) {
        if (out.type !== "tuned") continue;
        const { direct, indirect, failed, windowLoss } = out.reason;
        const answered = direct + indirect;
        const what = `${id}'s window of ${direct} direct, ${indirect} indirect and ${failed} failed probes`;
        if (answered === 0) {
          if (windowLoss !== undefined) return `${what} measured a loss of ${windowLoss} with no probe answered`;
          continue;
        }
        if (windowLoss === undefined) return `${what} measured no loss though ${answered} probes were answered`;
        const missRate = 1 - (1 - windowLoss) ** 2;
        if (Math.abs(missRate - indirect / answered) > EPSILON) {
          const shown = (indirect / answered).toFixed(4);
          return `${what} measured a one-way loss of ${windowLoss.toFixed(4)} (round-trip miss rate ${missRate.toFixed(4)}); the answered probes show ${shown}`;
        }
      }
      return undefined;
    },
  };
}
