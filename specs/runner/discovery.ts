import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** One model to check: `specs/<protocol>/MCX.cfg` with its module `MCX.tla`. */
export interface SpecModel {
  /** The folder name under specs/, e.g. `broadcast`. */
  readonly protocol: string;
  /** Absolute folder of the spec. */
  readonly dir: string;
  /** The config file name, e.g. `MCBroadcast.cfg`. */
  readonly config: string;
  /** The module file name paired with it, e.g. `MCBroadcast.tla`. */
  readonly module: string;
  /** Set when the pairing is broken (the module is missing): the model is reported as an error. */
  readonly problem?: string;
}

/** Folders under specs/ that are not specs. */
const NOT_SPECS = new Set(["runner", "node_modules"]);

/**
 * A trace-validation config (`<Name>Trace.cfg`, e.g. raft/RaftTrace.cfg) is no model: it needs a
 * trace module that `pnpm specs validate` generates, so the model check leaves it alone.
 */
export function isTraceConfig(file: string): boolean {
  return file.endsWith("Trace.cfg");
}

/**
 * Find every model under `specsRoot`: each `<protocol>/*.cfg` (but trace-validation configs), paired with the `.tla` of the same name.
 * @param specsRoot - the specs/ folder
 * @param only - protocol names to keep (empty: all)
 * @returns models sorted by protocol, then config name
 * @throws {Error} when a name in `only` is not a folder under specsRoot (bad usage)
 */
export function discoverModels(specsRoot: string, only: readonly string[] = []): SpecModel[] {
  const protocols = existsSync(specsRoot)
    ? readdirSync(specsRoot)
        .filter((name) => !NOT_SPECS.has(name) && !name.startsWith("."))
        .filter((name) => statSync(join(specsRoot, name)).isDirectory())
        .sort()
    : [];
  for (const wanted of only) {
    if (!protocols.includes(wanted)) {
      throw new Error(`no spec folder specs/${wanted} (known: ${protocols.join(", ") || "none"})`);
    }
  }
  const chosen = only.length === 0 ? protocols : protocols.filter((p) => only.includes(p));
  const models: SpecModel[] = [];
  for (const protocol of chosen) {
    const dir = join(specsRoot, protocol);
    const configs = readdirSync(dir)
      .filter((f) => f.endsWith(".cfg") && !isTraceConfig(f))
      .sort();
    for (const config of configs) {
      const module = `${basename(config, ".cfg")}.tla`;
      const problem = existsSync(join(dir, module)) ? undefined : `${config} has no ${module} beside it`;
      models.push({ protocol, dir, config, module, ...(problem ? { problem } : {}) });
    }
  }
  return models;
}
