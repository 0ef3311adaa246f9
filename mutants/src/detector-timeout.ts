import type { Detector } from "./mutant.js";

/**
 * A detector's wall-clock limit: `--timeout` (the default for every detector), raised to the
 * detector's own `timeoutSeconds` where it states one. A limit never falls below what a detector
 * needs to run its seeds: a detector cut short would count a mutant as surviving, or a baseline as
 * broken, for the host's load rather than the code.
 */
export function detectorTimeoutMs(detector: Detector, defaultSeconds: number): number {
  return 1000 * Math.max(defaultSeconds, detector.timeoutSeconds ?? 0);
}
