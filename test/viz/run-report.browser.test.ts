import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKvModel } from "@synod/lincheck";
import { raftSimulation } from "@synod/raft/simulation";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { withLinearizability } from "../../simulator/src/checks/linearizable.js";
import { DEFAULT_NETWORK, type SimulationOptions } from "../../simulator/src/engine/options.js";
import { runSimulation } from "../../simulator/src/engine/run-simulation.js";
import { MessageFate, type RunRecording } from "../../simulator/src/record/run-recording.js";
import { RunRecorder } from "../../simulator/src/record/run-recorder.js";
import { runReportPage } from "../../simulator/src/report/run-report.js";
import { browserSuite, noBrowser, shots } from "./support/browser.js";

// `pnpm sim … --report` pages as a person sees them, in a real headless Chromium: no console errors and
// no network, one lane per node, one arrow per message of the trace, drops marked, zoom, node and type
// filters and the event search working, the history view following the diagram's time window, and a
// golden layout of a small fixed seed (test/viz/golden/, UPDATE_GOLDEN=1 rewrites it) so that layout
// changes show up in review. Screenshots go to .screenshots/ (not committed).
const raft = withLinearizability(raftSimulation, createKvModel());
const nominal = DEFAULT_NETWORK.minLatencyMs;
const golden = join(import.meta.dirname, "golden", "raft-3-nodes-seed-2.txt");

function recorded(options: SimulationOptions, target = raft): { html: string; rec: RunRecording; endMs: number } {
  const recorder = new RunRecorder();
  const result = runSimulation(target, { ...options, record: recorder });
  const html = runReportPage({ result, recording: recorder.recording(), command: `test seed ${options.seed}`, nominalLatencyMs: nominal });
  return { html, rec: recorder.recording(), endMs: result.simulatedMs };
}

/** The messages the diagram must draw in [from, to]: both ends' lanes shown, the type chosen, the flight in the window. */
function expectedInView(rec: RunRecording, endMs: number, from: number, to: number, lanes: ReadonlySet<number>, type = -1): number {
  const m = rec.messages;
  let n = 0;
  for (let j = 0; j < m.from.length; j++) {
    const end = (m.endMs[j] as number) >= 0 ? (m.endMs[j] as number) : m.fate[j] === MessageFate.InFlight ? endMs : (m.sentMs[j] as number) + nominal;
    if (!lanes.has(m.from[j] as number) || !lanes.has(m.to[j] as number) || (type >= 0 && m.type[j] !== type)) continue;
    if ((m.sentMs[j] as number) <= to && end >= from) n++;
  }
  return n;
}

const attr = async (page: Page, name: string): Promise<number> => Number(await page.locator("#st-timeline").getAttribute(`data-${name}`));
const window = async (page: Page): Promise<[number, number]> => [await attr(page, "from"), await attr(page, "to")];

describe.skipIf(noBrowser !== undefined)("pnpm sim --report in headless Chromium", () => {
  const { open } = browserSuite("synod-run-report-");

  it("raft seed 3, every fault: a lane per node, an arrow per message, drops marked; zoom, filters and search work", async () => {
    const { html, rec, endMs } = recorded({ seed: 3, faults: "all", durationMs: 3000 });
    const total = rec.messages.from.length;
    const all = new Set([0, 1, 2, 3, 4]);
    const { page, errors } = await open(html, "raft-3");
    expect(await page.locator("[data-testid=run-verdict]").textContent()).toBe("all invariants held");
    expect(await page.locator("text.st-lane-label").count()).toBe(5);
    expect(await attr(page, "drawn")).toBe(total);
    expect(await page.locator("line.arrow").count()).toBe(total);
    const dropped = rec.messages.fate.filter((f) => f !== MessageFate.Delivered && f !== MessageFate.InFlight).length;
    expect(await page.locator("text.drop-mark").count()).toBe(dropped);
    expect(await page.locator("line.arrow.dup").count()).toBe(rec.messages.dupOf.filter((d) => d >= 0).length);
    expect(await page.locator("rect.ep").count()).toBe(rec.nodeEpisodes.length);
    expect(await page.locator("rect.band").count()).toBe(rec.networkEpisodes.length);
    expect(await page.locator("text.role.leader").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "run-report-raft-3.png"), fullPage: true });

    for (let i = 0; i < 3; i++) await page.click("#st-zoom-in");
    const [from, to] = await window(page);
    const zoomed = await attr(page, "drawn");
    expect(zoomed).toBe(expectedInView(rec, endMs, from, to, all));
    expect(zoomed).toBeLessThan(total);
    expect(zoomed).toBeGreaterThan(0);
    // The history below follows: its axis shows the same ticks.
    expect(await page.locator("#timeline .axis text").allTextContents()).toEqual(await page.locator("#st-timeline text.tick").allTextContents());
    await page.screenshot({ path: join(shots, "run-report-raft-3-zoomed.png"), fullPage: true });

    // Drag to pan (the shared synodSvg.dragPan): dragging left moves the window later, same width.
    const box = await page.locator("#st-chart").boundingBox();
    if (box === null) throw new Error("no chart box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const [panFrom, panTo] = await window(page);
    expect(panFrom).toBeGreaterThan(from);
    expect(panTo - panFrom).toBeCloseTo(to - from, 6);
    expect(await attr(page, "drawn")).toBe(expectedInView(rec, endMs, panFrom, panTo, all));

    await page.click("#st-zoom-reset");
    await page.locator('#st-lane-filter input[data-lane="0"]').uncheck();
    expect(await page.locator("text.st-lane-label").count()).toBe(4);
    const rest = new Set([1, 2, 3, 4]);
    expect(await attr(page, "drawn")).toBe(expectedInView(rec, endMs, 0, endMs, rest));
    const append = rec.messageTypes.indexOf("append");
    expect(append).toBeGreaterThanOrEqual(0);
    await page.selectOption("#st-type", String(append));
    expect(await attr(page, "drawn")).toBe(expectedInView(rec, endMs, 0, endMs, rest, append));

    await page.selectOption("#st-type", "-1");
    await page.locator('#st-lane-filter input[data-lane="0"]').check();
    const j = rec.messages.fate.findIndex((f, k) => f === MessageFate.Delivered && (rec.messages.sentMs[k] as number) > 1000);
    const event = rec.messages.sendEvent[j] as number;
    await page.fill("#st-search", String(event));
    await page.locator("#st-search").press("Enter");
    expect(await page.locator("line.event-marker").count()).toBe(1);
    expect(await page.locator(`line.arrow.hit[data-id="${j}"]`).count()).toBe(1);
    const [f2, t2] = await window(page);
    expect(f2).toBeLessThanOrEqual(rec.eventTimesMs[event] as number);
    expect(t2).toBeGreaterThanOrEqual(rec.eventTimesMs[event] as number);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a planted violation (a test-only invariant: no node may become leader) shows the event, the culprit, the states and the schedule", async () => {
    const noLeaderEver = {
      name: "NoLeaderEver",
      check: (view: { nodes: ReadonlyMap<string, { role: string } | undefined> }) => ([...view.nodes.values()].some((n) => n?.role === "leader") ? "a node became leader" : undefined),
    };
    const planted = { ...raft, createInvariants: () => [noLeaderEver] };
    const { html, rec } = recorded({ seed: 4, faults: "all", durationMs: 3000 }, planted as typeof raft);
    const { page, errors } = await open(html, "raft-violation", 1400, 1100);
    expect(await page.locator("[data-testid=run-verdict]").textContent()).toBe("violation");
    expect(await page.locator("[data-testid=violation] h2").textContent()).toMatch(/NoLeaderEver violated at event \d+/);
    expect(await page.locator("[data-testid=violation-marker]").count()).toBe(1);
    expect(await page.locator("text.st-lane-label.culprit").count()).toBe(1);
    expect(await page.locator("[data-testid=states] details").count()).toBe(5);
    expect(await page.locator("[data-testid=states] details[open] pre").textContent()).toContain('"role": "leader"');
    expect(await page.locator("line.arrow.hit").count()).toBeGreaterThan(0);
    expect(Object.keys(rec.states ?? {})).toHaveLength(5);
    await page.screenshot({ path: join(shots, "run-report-violation.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a 60-second 5-node raft run with every fault: send density when zoomed out, arrows when zoomed in", async () => {
    const { html, rec, endMs } = recorded({ seed: 1, faults: "all", durationMs: 60_000 });
    const total = rec.messages.from.length;
    expect(total).toBeGreaterThan(20_000);
    const { page, errors } = await open(html, "raft-60s");
    expect(await attr(page, "in-view")).toBe(total);
    expect(await attr(page, "drawn")).toBe(0);
    expect(await page.locator("rect.density").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "run-report-raft-60s.png"), fullPage: true });
    for (let i = 0; i < 7; i++) await page.click("#st-zoom-in");
    const [from, to] = await window(page);
    const drawn = await attr(page, "drawn");
    expect(drawn).toBe(expectedInView(rec, endMs, from, to, new Set([0, 1, 2, 3, 4])));
    expect(drawn).toBeGreaterThan(0);
    expect(await page.locator("line.arrow").count()).toBe(drawn);
    await page.screenshot({ path: join(shots, "run-report-raft-60s-zoomed.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("golden: the layout of raft, 3 nodes, seed 2, 400 ms with every fault", async () => {
    const { html } = recorded({ seed: 2, nodes: 3, faults: "all", durationMs: 400 });
    const { page, errors } = await open(html, "golden", 1200, 600);
    // Typed here: the test's tsconfig has no DOM library.
    interface Node {
      readonly tagName: string;
      readonly textContent: string | null;
      getAttribute(name: string): string | null;
    }
    const layout = await page.locator("#st-timeline").evaluate((svg: unknown) => {
      const r = (v: string | null): string => String(Math.round(Number(v) * 10) / 10);
      const lines: string[] = [];
      const found = (svg as { querySelectorAll(selector: string): ArrayLike<Node> }).querySelectorAll("line.arrow, rect.ep, rect.band, text.role, text.st-lane-label, text.drop-mark, text.restart");
      for (const e of Array.from(found)) {
        const c = e.getAttribute("class");
        if (e.tagName === "line") lines.push(`${c} ${r(e.getAttribute("x1"))},${r(e.getAttribute("y1"))} → ${r(e.getAttribute("x2"))},${r(e.getAttribute("y2"))}`);
        else if (e.tagName === "rect") lines.push(`${c} x=${r(e.getAttribute("x"))} y=${r(e.getAttribute("y"))} w=${r(e.getAttribute("width"))} h=${r(e.getAttribute("height"))}`);
        else lines.push(`${c} "${e.textContent}" at ${r(e.getAttribute("x"))},${r(e.getAttribute("y"))}`);
      }
      return lines.join("\n") + "\n";
    });
    await page.screenshot({ path: join(shots, "run-report-golden.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
      mkdirSync(join(import.meta.dirname, "golden"), { recursive: true });
      writeFileSync(golden, layout);
      if (process.env.UPDATE_GOLDEN !== "1") throw new Error(`golden file ${golden} was missing and has been written: check it in and rerun`);
    }
    expect(layout).toBe(readFileSync(golden, "utf8"));
  });
});
