import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const errors = []; page.on("pageerror", (e) => errors.push(e.message));
const t0 = Date.now();
await page.goto("file://" + process.argv[2]);
console.log("load+first draw ms", Date.now() - t0);
const times = await page.evaluate(() => {
  const out = [];
  for (let i = 0; i < 10; i++) { const t = performance.now(); document.getElementById("st-zoom-in").click(); out.push(Math.round(performance.now() - t)); }
  for (let i = 0; i < 10; i++) { const t = performance.now(); document.getElementById("st-zoom-out").click(); out.push(Math.round(performance.now() - t)); }
  return out;
});
console.log("ms per zoom click:", times.join(" "), "max", Math.max(...times), "errors", errors);
await page.screenshot({ path: process.argv[3] });
await browser.close();
