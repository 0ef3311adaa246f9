import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import type { SpecModel } from "../../../../specs/runner/discovery.js";
import { LIMITS } from "../limits.js";
import { confinedPath } from "../repo-paths.js";
import { ToolError } from "../tool-error.js";

/** Where a TLA+ tool's spec comes from: a file of the repository, or text the client supplies. */
export interface SpecInput {
  /** A `.tla` or `.cfg` file inside the repository, e.g. `specs/broadcast/MCBroadcast.cfg`. */
  readonly spec?: string | undefined;
  /** The text of a root module (`---- MODULE Name ----` … `====`), instead of `spec`. */
  readonly moduleText?: string | undefined;
  /** The model config for `moduleText` (needed by smoke and check). */
  readonly configText?: string | undefined;
  /** Further modules the root module extends or instances, by name. */
  readonly extraModules?: readonly { readonly name: string; readonly text: string }[] | undefined;
}

/** A spec ready for TLC: the model, and the clean-up of anything written for it. */
export interface PreparedSpec {
  readonly model: SpecModel;
  /** Folder whose modules the spec may extend (for the state-limit wrapper). */
  readonly libraryDir: string;
  readonly cleanup: () => void;
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MODULE_HEADER = /^-{4,}\s*MODULE\s+([A-Za-z_][A-Za-z0-9_]*)\s*-{4,}/m;

/**
 * Resolve a spec input to a model TLC can run. Supplied text goes to a fresh temporary folder,
 * removed by `cleanup` (call it in a `finally`).
 * @param root - the repository root
 * @param input - the client's arguments
 * @param needConfig - smoke and check need a config; parse does not
 * @throws {ToolError} bad-argument, outside-repository or not-found
 */
export function prepareSpec(root: string, input: SpecInput, needConfig: boolean): PreparedSpec {
  if ((input.spec === undefined) === (input.moduleText === undefined)) {
    throw new ToolError("bad-argument", "give exactly one of spec (a .tla or .cfg path in the repository) or moduleText (the module's text)");
  }
  if (input.spec !== undefined) {
    const path = confinedPath(root, input.spec);
    const ext = extname(path);
    if (ext !== ".tla" && ext !== ".cfg") throw new ToolError("bad-argument", `spec must name a .tla or .cfg file, got ${input.spec}`);
    const dir = dirname(path);
    const name = basename(path, ext);
    const module = `${name}.tla`;
    const config = `${name}.cfg`;
    if (!existsSync(join(dir, module))) throw new ToolError("not-found", `${module} is not beside ${input.spec}`);
    if (needConfig && !existsSync(join(dir, config))) throw new ToolError("not-found", `${config} (the model config) is not beside ${module}`);
    return { model: { protocol: basename(dir), dir, config, module }, libraryDir: dir, cleanup: () => {} };
  }
  const text = input.moduleText ?? "";
  const header = MODULE_HEADER.exec(text);
  if (!header?.[1]) throw new ToolError("bad-argument", "moduleText has no '---- MODULE Name ----' header");
  if (needConfig && input.configText === undefined) throw new ToolError("bad-argument", "configText is required with moduleText for smoke and check");
  const sizes = text.length + (input.configText?.length ?? 0) + (input.extraModules ?? []).reduce((n, m) => n + m.text.length, 0);
  if (sizes > LIMITS.maxInputChars) throw new ToolError("bad-argument", `the supplied texts are ${sizes} characters; the limit is ${LIMITS.maxInputChars}`);
  const name = header[1];
  const dir = mkdtempSync(join(tmpdir(), "synod-mcp-spec-"));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    writeFileSync(join(dir, `${name}.tla`), text);
    if (input.configText !== undefined) writeFileSync(join(dir, `${name}.cfg`), input.configText);
    for (const extra of input.extraModules ?? []) {
      if (!MODULE_NAME.test(extra.name) || extra.name === name) throw new ToolError("bad-argument", `extra module name "${extra.name}" must be a TLA+ identifier other than ${name}`);
      writeFileSync(join(dir, `${extra.name}.tla`), extra.text);
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  return { model: { protocol: "(supplied)", dir, config: `${name}.cfg`, module: `${name}.tla` }, libraryDir: dir, cleanup };
}

/** The wrapper module's name: it extends the model and adds the state-limit constraint. */
export const LIMIT_MODULE = "SynodMcpStateLimit";

/**
 * Write a wrapper that bounds a full check to `maxStates` distinct states: a module extending the
 * model with `TLCGet("distinct") < maxStates` as a CONSTRAINT, and the model's config plus that line.
 * TLC finds the model's modules through `-DTLA-Library` (see {@link tlaLibraryArg}).
 * @returns the wrapper model and its clean-up
 */
export function stateLimitWrapper(prepared: PreparedSpec, configText: string, maxStates: number): PreparedSpec {
  const dir = mkdtempSync(join(tmpdir(), "synod-mcp-limit-"));
  const root = basename(prepared.model.module, ".tla");
  writeFileSync(join(dir, `${LIMIT_MODULE}.tla`), `---- MODULE ${LIMIT_MODULE} ----\nEXTENDS ${root}, TLC\nSynodMcpWithinStateLimit == TLCGet("distinct") < ${maxStates}\n====\n`);
  writeFileSync(join(dir, `${LIMIT_MODULE}.cfg`), `${configText}\nCONSTRAINT SynodMcpWithinStateLimit\n`);
  return {
    model: { protocol: prepared.model.protocol, dir, config: `${LIMIT_MODULE}.cfg`, module: `${LIMIT_MODULE}.tla` },
    libraryDir: prepared.libraryDir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** @returns the Java system property that lets SANY and TLC find the modules in `dir` */
export function tlaLibraryArg(dir: string): string {
  return `-DTLA-Library=${dir}`;
}
