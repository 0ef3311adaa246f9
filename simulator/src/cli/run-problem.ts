import type { CliCommand } from "./args.js";
import type { AnySimulationTarget } from "./registry.js";
import { strategyNameProblem } from "../byzantine/strategy-names.js";
import { traceDirectoryProblem } from "./trace-file.js";

/**
 * What is wrong with a run command for this protocol, checked before anything runs or prints (the
 * flags' own syntax is checked by `parseArgs`; these need the protocol or the file system).
 * @param nodes - the cluster size (`--nodes`, or the protocol's default)
 * @returns one line for a usage error (exit 2), or undefined when the command can run
 */
export function runProblem(command: Extract<CliCommand, { kind: "run" }>, target: AnySimulationTarget, nodes: number): string | undefined {
  if (nodes < target.minNodes) return `${command.protocol} needs at least ${target.minNodes} nodes, got --nodes ${nodes}`;
  if (command.byzantine > nodes) return `--byzantine ${command.byzantine} exceeds the ${nodes} nodes: give at most ${nodes}`;
  const strategyProblem = command.strategy === undefined ? undefined : strategyNameProblem(command.protocol, command.strategy);
  if (strategyProblem !== undefined) return `--strategy: ${strategyProblem}`;
  if (command.twins > nodes) return `--twins ${command.twins} exceeds the ${nodes} nodes: give at most ${nodes}`;
  const traceProblem = command.trace === undefined ? undefined : traceDirectoryProblem(command.trace);
  if (traceProblem !== undefined) return `--trace: ${traceProblem}`;
  const reportProblem = command.report === undefined ? undefined : traceDirectoryProblem(command.report);
  return reportProblem === undefined ? undefined : `--report: ${reportProblem}`;
}
