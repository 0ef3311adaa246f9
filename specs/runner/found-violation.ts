import { renderCounterexample } from "./counterexample.js";
import type { FoundViolation } from "./model-result.js";
import { propertiesRow, readDefinitions } from "./property-definitions.js";
import type { Violation } from "./tlc-outcome.js";

/** Longest definition text shown beside a violation (lines). */
const MAX_DEFINITION_LINES = 20;

/**
 * Everything a person debugging a violation needs: the property's definition with `file:line`,
 * its properties.md row (TypeScript twin and tests), the command that reproduces it, and the
 * rendered counterexample.
 * @param dir - the spec folder (where the definition and properties.md are looked up)
 * @param violation - what TLC reported
 * @param found - the stage, the reproducing command and, for a simulation, its seed
 * @returns the violation as the report shows it
 */
export function describeViolation(
  dir: string,
  violation: Violation,
  found: { readonly stage: "smoke" | "full"; readonly reproduce: string; readonly seed?: number },
  module?: string,
): FoundViolation {
  const property = violation.property;
  const definition = property !== undefined ? readDefinitions(dir, module).get(property)?.[0] : undefined;
  const row = property !== undefined ? propertiesRow(dir, property) : undefined;
  const lines = definition?.text.split("\n") ?? [];
  const text = lines.length > MAX_DEFINITION_LINES ? [...lines.slice(0, MAX_DEFINITION_LINES), "  …"].join("\n") : lines.join("\n");
  return {
    stage: found.stage,
    kind: violation.kind,
    message: violation.message,
    ...(property !== undefined ? { property } : {}),
    ...(found.seed !== undefined ? { seed: found.seed } : {}),
    reproduce: found.reproduce,
    ...(definition ? { definition: { file: definition.file, line: definition.line, text } } : {}),
    ...(row ? { propertiesRow: row } : {}),
    counterexample: renderCounterexample(violation),
  };
}
