import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedData } from "../../../test/support/shared-data.js";
import { DEFAULT_TIMEOUT_MS, checkOperations, loadHistory, type HistoryFormat } from "../src/index.js";

// Real Jepsen histories nobody here wrote (see ABOUT.md in the data set): the checker must agree
// with every known verdict and decide every file within the default budget.
const data = sharedData("jepsen-histories");

function listFiles(): { file: string; format: HistoryFormat }[] {
  if (data.missing !== undefined) return [];
  const etcd = readdirSync(join(data.path, "etcd")).filter((f) => f.endsWith(".log")).map((f) => ({ file: `etcd/${f}`, format: "jepsen-etcd" as const }));
  const kv = readdirSync(join(data.path, "kv")).filter((f) => f.endsWith(".txt")).map((f) => ({ file: `kv/${f}`, format: "jepsen-kv" as const }));
  return [...etcd, ...kv].sort((a, b) => a.file.localeCompare(b.file));
}

describe.skipIf(data.missing !== undefined)(`Jepsen histories ${data.missing ?? ""}`, () => {
  const files = listFiles();
  const verdicts = data.missing === undefined ? (JSON.parse(readFileSync(join(data.path, "verdicts.json"), "utf8")) as { linearizable: Record<string, boolean> }).linearizable : {};

  it("every known verdict names a file of the data set, and there are files of both formats", () => {
    const names = new Set(files.map((f) => f.file));
    for (const name of Object.keys(verdicts)) expect(names.has(name), name).toBe(true);
    expect(files.filter((f) => f.format === "jepsen-etcd").length).toBeGreaterThan(50);
    expect(files.filter((f) => f.format === "jepsen-kv").length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)("$file is decided and agrees with its known verdict", ({ file, format }) => {
    const h = loadHistory(format, readFileSync(join(data.path, file), "utf8"));
    const result = checkOperations(h.model, h.operations, { timeoutMs: DEFAULT_TIMEOUT_MS, describePosition: h.describePosition });
    expect(result.linearizable, `${file}: undecided within ${DEFAULT_TIMEOUT_MS} ms`).not.toBe("unknown");
    const known = verdicts[file];
    if (known !== undefined) expect(result.linearizable, `${file}: ${result.witness?.text ?? "linearizable"}`).toBe(known);
    if (result.linearizable === false) {
      expect(result.witness?.operation.unknown).toBe(false);
      expect(result.witness?.text).toMatch(/line \d+ to line \d+/);
    }
  });
});
