import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkOperations, loadHistory } from "@synod/lincheck";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { historyReportHtml } from "../../packages/lincheck/src/report/history-report.js";
import { browserSuite, noBrowser, shots } from "./support/browser.js";

// The lincheck history report as a person sees it: opened in a real headless Chromium (Debian's,
// installed by .ci/run when missing), with no console errors, the right number of lanes and bars,
// and zoom, client filter and search that work. Screenshots go to .screenshots/ (not committed).
const dataDir = process.env.SYNOD_DATA_DIR ?? join(import.meta.dirname, "..", "..", "..", "shared", "data");
const etcd = join(dataDir, "jepsen-histories", "etcd", "etcd_000.log");

/** A synod history: `clients` clients each doing `perClient` sequential puts and gets on 3 keys, all linearizable. */
function syntheticHistory(clients: number, perClient: number): string {
  const lines: string[] = [];
  let id = 0;
  const last = new Map<string, string>();
  for (let round = 0; round < perClient; round++) {
    for (let c = 0; c < clients; c++) {
      const key = `k${(round + c) % 3}`;
      const t = (round * clients + c) * 10;
      if ((round + c) % 2 === 0) {
        const value = `${c}-${round}`;
        lines.push(JSON.stringify({ type: "invoke", id, client: c, timeMs: t, op: { type: "put", key, value } }));
        lines.push(JSON.stringify({ type: "ok", id, client: c, timeMs: t + 5, result: { ok: true } }));
        last.set(key, value);
      } else {
        lines.push(JSON.stringify({ type: "invoke", id, client: c, timeMs: t, op: { type: "get", key } }));
        lines.push(JSON.stringify({ type: "ok", id, client: c, timeMs: t + 5, result: { ok: true, value: last.get(key) ?? null } }));
      }
      id++;
    }
  }
  return lines.join("\n");
}

const drawn = async (page: Page): Promise<number> => Number(await page.locator("#timeline").getAttribute("data-drawn"));

describe.skipIf(noBrowser !== undefined)("lincheck --report in headless Chromium", () => {
  const { open } = browserSuite("synod-report-");

  it("draws one lane per client and one bar per operation; zoom, filter and search work", async () => {
    const loaded = loadHistory("synod", syntheticHistory(6, 40));
    const result = checkOperations(loaded.model, loaded.operations);
    expect(result.linearizable).toBe(true);
    const { page, errors } = await open(historyReportHtml("synthetic.ndjson", loaded, result, "ms"), "synthetic");
    expect(await page.locator("[data-testid=verdict]").textContent()).toBe("linearizable");
    expect(await page.locator("text.lane").count()).toBe(6);
    expect(await drawn(page)).toBe(240);
    expect(await page.locator("rect.bar").count()).toBe(240);
    await page.screenshot({ path: join(shots, "history-synthetic.png"), fullPage: true });

    for (let i = 0; i < 4; i++) await page.click("#zoom-in");
    const zoomed = await drawn(page);
    expect(zoomed).toBeLessThan(240);
    expect(zoomed).toBeGreaterThan(0);
    // Zoomed in, bars are wide enough to carry their label and linearization order.
    expect(await page.locator("text.order").count()).toBeGreaterThan(0);
    expect(await page.locator("text.bar-label").count()).toBe(zoomed);
    await page.screenshot({ path: join(shots, "history-synthetic-zoomed.png") });
    await page.click("#zoom-reset");
    expect(await drawn(page)).toBe(240);

    await page.locator('#lane-filter input[data-lane="0"]').uncheck();
    expect(await page.locator("text.lane").count()).toBe(5);
    expect(await drawn(page)).toBe(200);
    await page.selectOption("#partition", "k1");
    expect(await drawn(page)).toBe(loaded.operations.filter((op) => op.input.key === "k1" && op.client !== 0).length);

    await page.selectOption("#partition", "*");
    await page.fill("#search", "0");
    await page.locator("#search").press("Enter");
    expect(await page.locator("rect.bar.selected").count()).toBe(1);
    expect(await page.locator("text.lane").count()).toBe(6);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!existsSync(etcd))("shows a real Jepsen etcd history's witness: the failing operation, its prefix and the alternatives", async () => {
    const loaded = loadHistory("jepsen-etcd", readFileSync(etcd, "utf8"));
    const result = checkOperations(loaded.model, loaded.operations, { timeoutMs: 60_000, describePosition: loaded.describePosition });
    expect(result.linearizable).toBe(false);
    const { page, errors } = await open(historyReportHtml("etcd_000.log", loaded, result, "t"), "etcd_000");
    expect(await page.locator("[data-testid=verdict]").textContent()).toBe("not linearizable");
    expect(await page.locator("rect.bar.failing").count()).toBe(1);
    expect(await page.locator("rect.bar.prefix").count()).toBe(result.witness?.prefix.length);
    expect(await page.locator("[data-testid=explanation]").textContent()).toContain("cannot be linearized");
    await page.screenshot({ path: join(shots, "history-etcd_000.png"), fullPage: true });
    const failing = String(result.witness?.operation.id);
    await page.fill("#search", failing);
    await page.locator("#search").press("Enter");
    expect(await page.locator(`rect.bar.selected[data-id="${failing}"]`).count()).toBe(1);
    await page.screenshot({ path: join(shots, "history-etcd_000-failing.png") });
    expect(errors).toEqual([]);
    await page.close();
  });
});
