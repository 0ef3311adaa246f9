// Open an HTML report (`pnpm sim … --report FILE`) in headless Chromium and time it: load and first
// draw, then each of 8 zoom-in and 8 zoom-out clicks (diagram and history redrawn). A measurement for
// the README, not a test: `node scripts/time-report.mjs FILE.html` (needs /usr/bin/chromium or CHROMIUM_PATH).
import { chromium } from "playwright-core";

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write("usage: node scripts/time-report.mjs FILE.html\n");
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
const t0 = Date.now();
await page.goto(`file://${file.startsWith("/") ? file : `${process.cwd()}/${file}`}`);
const loadMs = Date.now() - t0;
const zoomMs = await page.evaluate(() => {
  const out = [];
  for (const id of [...Array(8).fill("st-zoom-in"), ...Array(8).fill("st-zoom-out")]) {
    const t = performance.now();
    document.getElementById(id).click();
    out.push(Math.round(performance.now() - t));
  }
  return out;
});
process.stdout.write(`load and first draw ${loadMs} ms; per zoom step ${Math.min(...zoomMs)}–${Math.max(...zoomMs)} ms (${zoomMs.join(" ")}); page errors ${errors.length}\n`);
await browser.close();
