import type { MutantsArgs } from "./args.js";
import type { Mutant } from "./mutant.js";

/** @returns the catalogue entries the arguments select (`--quick`, `--only`), in catalogue order */
export function selectMutants(catalogue: readonly Mutant[], args: MutantsArgs): Mutant[] {
  return catalogue.filter((m) => (!args.quick || m.quick === true) && (args.only.length === 0 || args.only.some((p) => m.id.startsWith(p))));
}
