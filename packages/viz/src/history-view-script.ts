import type { SVG_SCRIPT_HELPERS } from "./svg-script.js";

/**
 * The history page's script, plain browser JavaScript run from the page itself. It draws only the bars
 * that intersect the visible time window (and their labels only when they are wide enough), so a
 * history of hundreds of thousands of operations stays responsive. Written without template literals
 * so it can live in this string; it needs {@link SVG_SCRIPT_HELPERS} before it. On a page with other time-axis views (the run report) its data is the
 * `#history-data` element and its time window follows theirs: it listens to and announces
 * `synod:window` events (`detail: { from, to, source }`).
 */
export const HISTORY_VIEW_SCRIPT = String.raw`
(function () {
  "use strict";
  var view = JSON.parse((document.getElementById("history-data") || document.getElementById("data")).textContent);
  var LANE_H = 24, TOP = 26, LEFT = 90, RIGHT = 16, MAX_LABELS = 3000;
  var svg = document.getElementById("timeline");
  var chart = document.getElementById("chart");
  var tooltip = document.getElementById("tooltip");
  var status = document.getElementById("status");
  var bars = view.bars.slice().sort(function (a, b) { return a.start - b.start; });
  var tMin = Infinity, tMax = -Infinity, longest = 0;
  bars.forEach(function (b) {
    tMin = Math.min(tMin, b.start);
    tMax = Math.max(tMax, b.end === null ? b.start : b.end);
  });
  if (!isFinite(tMin)) { tMin = 0; tMax = 1; }
  if (tMax <= tMin) tMax = tMin + 1;
  var openEnd = tMax + (tMax - tMin) * 0.02;
  bars.forEach(function (b) { longest = Math.max(longest, (b.end === null ? openEnd : b.end) - b.start); });
  var win = { from: tMin, to: openEnd };
  var shownLanes = view.lanes.map(function () { return true; });
  var partition = "*";
  var selected = null;

  var partitions = {};
  bars.forEach(function (b) { partitions[b.partition] = true; });
  var select = document.getElementById("partition");
  Object.keys(partitions).sort().forEach(function (p) {
    var o = document.createElement("option");
    o.value = p; o.textContent = p === "" ? "(single register)" : p;
    select.appendChild(o);
  });
  select.addEventListener("change", function () { partition = select.value; draw(); });

  var filter = document.getElementById("lane-filter");
  view.lanes.forEach(function (name, i) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.lane = String(i);
    box.addEventListener("change", function () { shownLanes[i] = box.checked; draw(); });
    label.appendChild(box); label.appendChild(document.createTextNode(" " + name));
    filter.appendChild(label);
  });

  var el = synodSvg.el;
  function width() { return Math.max(200, chart.clientWidth); }
  function x(t, w) { return LEFT + (t - win.from) / (win.to - win.from) * (w - LEFT - RIGHT); }

  function draw() {
    var w = width();
    var lanes = [];
    shownLanes.forEach(function (on, i) { if (on) lanes.push(i); });
    var row = {};
    lanes.forEach(function (lane, r) { row[lane] = r; });
    var h = TOP + lanes.length * LANE_H + 8;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("height", String(h));
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    lanes.forEach(function (lane, r) {
      svg.appendChild(el("rect", { "class": "lane-row" + (r % 2 ? " odd" : ""), x: 0, y: TOP + r * LANE_H, width: w, height: LANE_H }));
      svg.appendChild(el("text", { "class": "lane-label lane", x: 6, y: TOP + r * LANE_H + 16, "data-lane": lane }, view.lanes[lane]));
    });
    var axis = el("g", { "class": "axis" });
    synodSvg.ticks(win.from, win.to).forEach(function (t) {
      var px = x(t, w);
      axis.appendChild(el("line", { x1: px, x2: px, y1: 18, y2: h }));
      axis.appendChild(el("text", { x: px + 2, y: 13 }, String(Math.round(t * 1000) / 1000) + " " + view.timeUnit));
    });
    svg.appendChild(axis);
    var drawn = 0, labelled = 0;
    var group = el("g", {});
    // Bars are sorted by start: skip those starting after the window, and those that end before it.
    for (var i = 0; i < bars.length; i++) {
      var b = bars[i];
      if (b.start > win.to) break;
      var end = b.end === null ? openEnd : b.end;
      if (end < win.from || !(b.lane in row)) continue;
      if (partition !== "*" && b.partition !== partition) continue;
      var x0 = Math.max(LEFT, x(b.start, w)), x1 = Math.min(w - RIGHT, x(end, w));
      var y = TOP + row[b.lane] * LANE_H + 4;
      var cls = "bar " + b.status + (b.mark ? " " + b.mark : "") + (selected === b.id ? " selected" : "");
      var rect = el("rect", { "class": cls, x: x0, y: y, width: Math.max(2, x1 - x0), height: LANE_H - 8, "data-id": b.id });
      group.appendChild(rect);
      drawn++;
      if (x1 - x0 > 36 && labelled < MAX_LABELS) {
        group.appendChild(el("text", { "class": "bar-label", x: x0 + 3, y: y + 12 }, b.label));
        labelled++;
      }
      if (b.order !== undefined && x1 - x0 > 10 && labelled < MAX_LABELS) {
        group.appendChild(el("text", { "class": "order", x: x1 - 2, y: y - 1, "text-anchor": "end" }, String(b.order)));
      }
    }
    svg.appendChild(group);
    status.textContent = drawn + " of " + bars.length + " operations in view, " + lanes.length + " of " + view.lanes.length + " clients";
    svg.dataset.drawn = String(drawn);
  }

  function announce() {
    document.dispatchEvent(new CustomEvent("synod:window", { detail: { from: win.from, to: win.to, source: "history" } }));
  }
  document.addEventListener("synod:window", function (e) {
    if (e.detail.source === "history") return;
    win = { from: e.detail.from, to: e.detail.to };
    draw();
  });
  function zoom(factor, centre) {
    var c = centre === undefined ? (win.from + win.to) / 2 : centre;
    var span = Math.max((win.to - win.from) * factor, 1e-6);
    win = { from: c - (c - win.from) * factor, to: c - (c - win.from) * factor + span };
    draw();
    announce();
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(2); });
  document.getElementById("zoom-reset").addEventListener("click", function () { win = { from: tMin, to: openEnd }; draw(); announce(); });
  function timeAt(clientX) {
    var r = svg.getBoundingClientRect(), w = width();
    return win.from + (clientX - r.left - LEFT) / (w - LEFT - RIGHT) * (win.to - win.from);
  }
  chart.addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY < 0 ? 0.8 : 1.25, timeAt(e.clientX)); }, { passive: false });
  synodSvg.dragPan(chart, function () { return width() - LEFT - RIGHT; }, function () { return win; }, function (from, to) {
    win = { from: from, to: to };
    draw();
    announce();
  });
  var byId = {};
  bars.forEach(function (b) { byId[b.id] = b; });
  svg.addEventListener("mousemove", function (e) {
    var id = e.target && e.target.getAttribute && e.target.getAttribute("data-id");
    if (id === null || id === undefined) { tooltip.hidden = true; return; }
    var b = byId[id];
    tooltip.textContent = "#" + b.id + " " + view.lanes[b.lane] + "\n" + b.detail + "\n" + b.start + " → " + (b.end === null ? "?" : b.end) + " " + view.timeUnit + (b.order !== undefined ? "\norder " + b.order : "") + (b.mark ? "\n" + b.mark : "");
    tooltip.style.left = e.clientX + 12 + "px"; tooltip.style.top = e.clientY + 12 + "px"; tooltip.hidden = false;
  });
  svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
  document.getElementById("search").addEventListener("change", function (e) {
    var b = byId[e.target.value.trim()];
    if (!b) { status.textContent = "no operation with id " + e.target.value; return; }
    selected = b.id;
    var end = b.end === null ? openEnd : b.end, pad = Math.max((end - b.start) * 2, 1e-3);
    win = { from: b.start - pad, to: end + pad };
    shownLanes[b.lane] = true;
    var box = filter.querySelector('input[data-lane="' + b.lane + '"]');
    if (box) box.checked = true;
    draw();
    announce();
  });
  window.addEventListener("resize", draw);
  draw();
})();
`;
