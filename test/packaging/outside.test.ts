// The packages as someone outside the monorepo gets them: built, packed, installed from tarballs
// with npm into a scratch app, the examples type-checked there (nodenext, strict) and run with
// plain node (scripts/pack-outside.mjs). Needs the npm registry for third-party dependencies, as
// `pnpm install` does. About a minute of CPU: most of it is tsc building ten packages.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("installing synod outside the monorepo", () => {
  it("packs every published package, installs the tarballs, type-checks and runs the examples", () => {
    const run = spawnSync(process.execPath, [join(root, "scripts", "pack-outside.mjs")], { cwd: root, encoding: "utf8" });
    const output = `${run.stdout}${run.stderr}`;
    expect(output, output).toContain("pack-outside: ok (11 packages, 4 examples)");
    expect(run.status).toBe(0);
    // What each example checks itself (it throws otherwise), visible in the transcript:
    expect(output).toContain('read x after the restart: {"ok":true,"value":"2"}');
    expect(output).toMatch(/healed \(converged\):\n\s+paris counter=5 set=\["milk"\]/);
    expect(output).toContain("signed with the revoked old key    → rejected (revoked-key)");
    expect(output).toContain("n1 says hello"); // the security README's snippet (signed-envelope-basics.ts)
  }, 600_000);
});
