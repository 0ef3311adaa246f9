/**
 * Every benchmark suite still runs: each suite in bench/suites/ is imported and run in quick mode
 * (tiny iteration counts), and must return rows whose numeric metrics are finite. Figures are not
 * checked (perf targets are measurements in `pnpm bench`, not tests).
 */
import { describe, expect, it } from "vitest";
import type { BenchReport } from "../../bench/harness.js";
import { listSuiteFiles, loadSuites } from "../../bench/main.js";

const files = listSuiteFiles();

function assertFiniteReport(file: string, report: BenchReport): void {
  const notes = report.notes ?? [];
  // A suite whose real data is missing returns no rows and says why in its notes.
  if (report.rows.length === 0) {
    expect(notes.join(" "), `${file}: no rows and no note saying why`).toMatch(/missing|not found|skip/i);
    return;
  }
  for (const row of report.rows) {
    expect(typeof row.name === "string" && row.name.length > 0, `${file}: a row has no name`).toBe(true);
    const metrics = Object.entries(row).filter(([key]) => key !== "name");
    expect(metrics.length, `${file}/${row.name}: no metrics`).toBeGreaterThan(0);
    for (const [key, value] of metrics) {
      expect(["string", "number", "boolean"], `${file}/${row.name}.${key}`).toContain(typeof value);
      if (typeof value === "number") expect(Number.isFinite(value), `${file}/${row.name}.${key} = ${value}`).toBe(true);
    }
  }
  for (const target of report.targets ?? []) {
    expect(Number.isFinite(target.value), `${file}: target "${target.description}" value ${target.value}`).toBe(true);
    expect(Number.isFinite(target.target), `${file}: target "${target.description}" bound ${target.target}`).toBe(true);
    expect(target.unit.length, `${file}: target "${target.description}" has no unit`).toBeGreaterThan(0);
  }
}

describe("bench suites in quick mode", () => {
  it("finds at least one suite", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} runs and reports finite numbers`, async () => {
      const [loaded] = await loadSuites([file]);
      if (!loaded) throw new Error(`suite ${file} did not load`);
      expect(loaded.suite.name.length).toBeGreaterThan(0);
      assertFiniteReport(file, await loaded.suite.run({ quick: true }));
    });
  }
});
