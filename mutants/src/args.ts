/** The `pnpm mutants` command line. */
export interface MutantsArgs {
  /** Only the quick subset (CI). */
  readonly quick: boolean;
  /** Only check that every snippet is found exactly once; run nothing. */
  readonly checkAnchors: boolean;
  /** JSON lines instead of the table. */
  readonly json: boolean;
  /** Only mutants whose id starts with one of these. */
  readonly only: readonly string[];
  /** Wall-clock limit per detector, seconds. */
  readonly timeoutSeconds: number;
  /** Run each selected mutant's detectors on the unmutated code and list every failing seed. */
  readonly baseline: boolean;
}

/** A usage error (exit code 2). */
export class UsageError extends Error {}

export const USAGE = `usage: pnpm mutants [--quick] [--check-anchors] [--json] [--only PREFIX[,PREFIX…]] [--timeout SECONDS] [--baseline]`;

/**
 * @throws {UsageError} on an unknown flag or a bad value
 */
export function parseArgs(argv: readonly string[]): MutantsArgs {
  let quick = false;
  let checkAnchors = false;
  let json = false;
  let only: string[] = [];
  let timeoutSeconds = 300;
  let baseline = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--check-anchors":
        checkAnchors = true;
        break;
      case "--baseline":
        baseline = true;
        break;
      case "--json":
        json = true;
        break;
      case "--only":
        only = value().split(",").filter((p) => p.length > 0);
        break;
      case "--timeout": {
        const v = value();
        timeoutSeconds = Number(v);
        if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new UsageError(`--timeout must be a positive integer, got ${v}`);
        break;
      }
      default:
        throw new UsageError(`unknown flag ${flag}`);
    }
  }
  return { quick, checkAnchors, json, only, timeoutSeconds, baseline };
}
