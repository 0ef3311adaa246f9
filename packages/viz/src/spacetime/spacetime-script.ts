/**
 * The space-time diagram's script, plain browser JavaScript run from the page itself (written without
 * template literals so it can live in this string). Messages are sorted by send time; a draw scans only
 * those sent in the window (less the longest flight time) and draws at most `MAX_ARROWS` of them — beyond
 * that it draws each lane's send density and asks to zoom in — so a run of hundreds of thousands of
 * messages stays responsive. It needs `SVG_SCRIPT_HELPERS` before it. Its time window follows the history view's through `synod:window` events.
 */
export const SPACETIME_SCRIPT = String.raw`
(function () {
  "use strict";
  var view = JSON.parse(document.getElementById("spacetime-data").textContent);
  var LANE_H = 56, TOP = 30, LEFT = 90, RIGHT = 16, MAX_ARROWS = 4000, MAX_LABELS = 600;
  var svg = document.getElementById("st-timeline"), chart = document.getElementById("st-chart");
  var status = document.getElementById("st-status"), tooltip = document.getElementById("tooltip");
  var M = view.messages, count = M.from.length;
  var FATE_CLASS = { "delivered": "delivered", "in flight": "inflight", "lost": "lost", "cut": "cut",
    "to crashed node": "crashed", "pause overflow": "overflow" };
  var fateClass = view.fates.map(function (f) { return FATE_CLASS[f] || "delivered"; });
  var endAll = Math.max(view.endMs, 1e-3);
  var drawEnd = new Float64Array(count), maxSpan = 0, inflight = [];
  for (var i = 0; i < count; i++) {
    var e = M.endMs[i];
    if (e < 0 && fateClass[M.fate[i]] === "inflight") { e = endAll; inflight.push(i); }
    else { if (e < 0) e = M.sentMs[i] + view.nominalLatencyMs; maxSpan = Math.max(maxSpan, e - M.sentMs[i]); }
    drawEnd[i] = e;
  }
  var win = { from: view.initialWindow.fromMs, to: view.initialWindow.toMs };
  var shown = view.lanes.map(function () { return true; });
  // A violation's event is highlighted from the start: the messages it delivered and sent stand out.
  var typeFilter = -1, hitEvent = view.violation ? view.violation.event : -1, pending = false;
  var LABEL_ARROWS = 80;

  var el = synodSvg.el;
  function width() { return Math.max(200, chart.clientWidth); }
  function x(t, w) { return LEFT + (t - win.from) / (win.to - win.from) * (w - LEFT - RIGHT); }
  function laneY(r) { return TOP + r * LANE_H + LANE_H / 2; }
  function fmt(t) { return String(Math.round(t * 1000) / 1000); }
  function lowerBound(t) {
    var lo = 0, hi = count;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (M.sentMs[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function drawAxis(g, w, h) {
    synodSvg.ticks(win.from, win.to).forEach(function (t) {
      var px = x(t, w);
      g.appendChild(el("line", { x1: px, x2: px, y1: 16, y2: h, "class": "st-grid" }));
      g.appendChild(el("text", { "class": "tick", x: px + 2, y: 12 }, fmt(t) + " ms"));
    });
  }

  function drawBands(g, w, h, row) {
    view.networkEpisodes.forEach(function (ep, k) {
      if (ep.toMs < win.from || ep.fromMs > win.to) return;
      var x0 = Math.max(LEFT, x(ep.fromMs, w)), x1 = Math.min(w - RIGHT, x(ep.toMs, w));
      var top = ep.kind === "partition" ? TOP - 8 : h - 12;
      var bandH = ep.kind === "partition" ? h - top : 10;
      g.appendChild(el("rect", { "class": "band " + ep.kind, x: x0, y: top, width: Math.max(1, x1 - x0), height: bandH, "data-band": k }));
      if (x1 - x0 > 40) g.appendChild(el("text", { "class": "band-label " + ep.kind, x: x0 + 2, y: ep.kind === "partition" ? TOP - 1 : h - 3 }, ep.label));
      ep.nodes.forEach(function (n) {
        if (n in row) g.appendChild(el("line", { "class": "cut-side", x1: x0, x2: x1, y1: laneY(row[n]), y2: laneY(row[n]) }));
      });
    });
  }

  var EP_Y = { down: [-7, 14], paused: [-7, 14], slow: [8, 5], skew: [14, 3], byzantine: [-13, 4] };
  function drawEpisodes(g, w, row) {
    view.nodeEpisodes.forEach(function (ep, k) {
      if (!(ep.node in row) || ep.toMs < win.from || ep.fromMs > win.to) return;
      var x0 = Math.max(LEFT, x(ep.fromMs, w)), x1 = Math.min(w - RIGHT, x(ep.toMs, w)), at = EP_Y[ep.kind];
      g.appendChild(el("rect", { "class": "ep " + ep.kind, x: x0, y: laneY(row[ep.node]) + at[0], width: Math.max(2, x1 - x0), height: at[1], "data-ep": k }));
      if (ep.kind === "down" && ep.toMs < view.endMs && ep.toMs <= win.to) {
        g.appendChild(el("text", { "class": "restart", x: x1 + 2, y: laneY(row[ep.node]) + 4 }, "restart"));
      }
    });
  }

  function inWindow(row) {
    var ids = [], lo = lowerBound(win.from - maxSpan);
    function take(j) {
      if (drawEnd[j] < win.from || !(M.from[j] in row) || !(M.to[j] in row)) return;
      if (typeFilter >= 0 && M.type[j] !== typeFilter) return;
      ids.push(j);
    }
    for (var j = lo; j < count && M.sentMs[j] <= win.to; j++) take(j);
    inflight.forEach(function (j) { if (j < lo) take(j); });
    return ids;
  }

  function drawArrow(g, j, w, row, labelled) {
    var cls = fateClass[M.fate[j]], y1 = laneY(row[M.from[j]]), y2 = laneY(row[M.to[j]]);
    var x1 = x(M.sentMs[j], w), x2 = x(drawEnd[j], w), never = M.endMs[j] < 0 && cls !== "inflight";
    if (never) y2 = y1 + (y2 - y1) * 0.6;
    var c = "arrow " + cls + (M.dupOf[j] >= 0 ? " dup" : "") + (hitEvent >= 0 && (M.sendEvent[j] === hitEvent || M.endEvent[j] === hitEvent) ? " hit" : "");
    var attrs = { "class": c, x1: x1, y1: y1, x2: x2, y2: y2, "data-id": j };
    if (cls === "delivered") attrs["marker-end"] = "url(#st-head)";
    g.appendChild(el("line", attrs));
    // A partition's cut is drawn as a wall (‖), every other drop as a cross.
    if (cls !== "delivered" && cls !== "inflight") {
      g.appendChild(el("text", { "class": "drop-mark " + cls, x: x2, y: y2 }, cls === "cut" ? "\u2016" : "\u2715"));
    }
    if (labelled) g.appendChild(el("text", { "class": "arrow-label", x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 2 }, view.messageTypes[M.type[j]]));
  }

  function drawDensity(g, ids, w, row) {
    var buckets = {}, px = 4;
    ids.forEach(function (j) {
      var key = M.from[j] + ":" + Math.floor((x(M.sentMs[j], w) - LEFT) / px);
      buckets[key] = (buckets[key] || 0) + 1;
    });
    var most = 1;
    for (var k in buckets) most = Math.max(most, buckets[k]);
    for (var key in buckets) {
      var parts = key.split(":"), hgt = 4 + 18 * buckets[key] / most;
      g.appendChild(el("rect", { "class": "density", x: LEFT + Number(parts[1]) * px, y: laneY(row[parts[0]]) - hgt, width: px - 1, height: hgt }));
    }
  }

  function drawRoles(g, w, row) {
    var lastX = {}, labels = 0;
    for (var k = 0; k < view.roles.length && labels < MAX_LABELS; k++) {
      var r = view.roles[k];
      if (r.atMs < win.from || r.atMs > win.to || !(r.node in row)) continue;
      var px = x(r.atMs, w), kind = r.label.split(" ")[0], major = kind === "leader" || kind === "primary";
      if (!major && lastX[r.node] !== undefined && px - lastX[r.node] < 60) continue;
      lastX[r.node] = px;
      var y = laneY(row[r.node]);
      g.appendChild(el("line", { "class": "role-tick", x1: px, x2: px, y1: y - 12, y2: y + 4 }));
      g.appendChild(el("text", { "class": "role " + kind, x: px + 2, y: y - 14, "data-role": k }, r.label));
      labels++;
    }
  }

  function drawMarkers(g, w, h) {
    var v = view.violation;
    if (v && v.atMs >= win.from && v.atMs <= win.to) {
      var px = x(v.atMs, w);
      g.appendChild(el("line", { "class": "violation-line", x1: px, x2: px, y1: TOP - 10, y2: h }));
      var label = "\u2716 " + v.invariant + " (event " + v.event + ")";
      g.appendChild(el("text", { "class": "violation-label", x: px - 4, y: TOP - 12, "text-anchor": "end", "data-testid": "violation-marker" }, label));
    }
    if (hitEvent >= 0) {
      var hx = x(view.eventTimesMs[hitEvent], w);
      g.appendChild(el("line", { "class": "event-marker", x1: hx, x2: hx, y1: TOP - 10, y2: h }));
    }
  }

  function draw() {
    pending = false;
    var w = width(), lanes = [], row = {};
    shown.forEach(function (on, n) { if (on) { row[n] = lanes.length; lanes.push(n); } });
    var h = TOP + lanes.length * LANE_H + 14;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("height", String(h));
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var defs = el("defs", {});
    var marker = el("marker", { id: "st-head", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#1565c0" }));
    var clip = el("clipPath", { id: "st-clip" });
    clip.appendChild(el("rect", { x: LEFT, y: 0, width: Math.max(0, w - LEFT - RIGHT), height: h }));
    defs.appendChild(marker); defs.appendChild(clip); svg.appendChild(defs);
    // Arrows, roles and markers are clipped to the plot: a message from before the window starts left of it.
    var back = el("g", { "class": "axis" }), front = el("g", { "clip-path": "url(#st-clip)" });
    drawBands(back, w, h, row);
    drawAxis(back, w, h);
    lanes.forEach(function (n, r) {
      back.appendChild(el("line", { "class": "st-lane-line", x1: LEFT, x2: w - RIGHT, y1: laneY(r), y2: laneY(r) }));
      var culprit = view.violation && view.violation.node === n ? " culprit" : "";
      back.appendChild(el("text", { "class": "st-lane-label" + culprit, x: 6, y: laneY(r) + 4, "data-lane": n }, view.lanes[n]));
    });
    drawEpisodes(back, w, row);
    var ids = inWindow(row), arrows = 0;
    if (ids.length > MAX_ARROWS) drawDensity(front, ids, w, row);
    else { ids.forEach(function (j) { drawArrow(front, j, w, row, ids.length <= LABEL_ARROWS); }); arrows = ids.length; }
    drawRoles(front, w, row);
    drawMarkers(front, w, h);
    svg.appendChild(back); svg.appendChild(front);
    svg.dataset.drawn = String(arrows); svg.dataset.inView = String(ids.length); svg.dataset.lanes = String(lanes.length);
    svg.dataset.from = String(win.from); svg.dataset.to = String(win.to);
    var dense = arrows < ids.length ? " (too many to draw: send density shown, zoom in for arrows)" : "";
    status.textContent = ids.length + " of " + count + " messages in view" + dense +
      ", " + lanes.length + " of " + view.lanes.length + " nodes, " + fmt(win.from) + "–" + fmt(win.to) + " ms";
  }
  function redraw() { if (!pending) { pending = true; requestAnimationFrame(draw); } }

  function announce() { document.dispatchEvent(new CustomEvent("synod:window", { detail: { from: win.from, to: win.to, source: "spacetime" } })); }
  document.addEventListener("synod:window", function (e) {
    if (e.detail.source === "spacetime") return;
    win = { from: e.detail.from, to: e.detail.to }; redraw();
  });
  function setWindow(from, to) { win = { from: from, to: Math.max(to, from + 1e-6) }; draw(); announce(); }
  function zoom(factor, centre) {
    var c = centre === undefined ? (win.from + win.to) / 2 : centre;
    setWindow(c - (c - win.from) * factor, c - (c - win.from) * factor + (win.to - win.from) * factor);
  }
  function timeAt(clientX) {
    var r = svg.getBoundingClientRect();
    return win.from + (clientX - r.left - LEFT) / (width() - LEFT - RIGHT) * (win.to - win.from);
  }
  document.getElementById("st-zoom-in").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("st-zoom-out").addEventListener("click", function () { zoom(2); });
  document.getElementById("st-zoom-reset").addEventListener("click", function () { setWindow(0, endAll); });
  chart.addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY < 0 ? 0.8 : 1.25, timeAt(e.clientX)); }, { passive: false });
  synodSvg.dragPan(chart, function () { return width() - LEFT - RIGHT; }, function () { return win; }, function (from, to) {
    win = { from: from, to: to }; redraw(); announce();
  });

  var filter = document.getElementById("st-lane-filter");
  view.lanes.forEach(function (name, n) {
    var label = document.createElement("label"), box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.lane = String(n);
    box.addEventListener("change", function () { shown[n] = box.checked; draw(); });
    label.appendChild(box); label.appendChild(document.createTextNode(" " + name));
    filter.appendChild(label);
  });
  var select = document.getElementById("st-type");
  view.messageTypes.forEach(function (name, k) {
    var o = document.createElement("option"); o.value = String(k); o.textContent = name; select.appendChild(o);
  });
  select.addEventListener("change", function () { typeFilter = Number(select.value); draw(); });
  document.getElementById("st-search").addEventListener("change", function (e) {
    var n = Number(e.target.value.trim());
    if (!(n >= 0 && n < view.eventTimesMs.length && Math.floor(n) === n)) { status.textContent = "no event with index " + e.target.value; return; }
    hitEvent = n;
    var t = view.eventTimesMs[n], span = Math.min(win.to - win.from, 20 * view.nominalLatencyMs + 1);
    setWindow(t - span / 2, t + span / 2);
  });

  function describe(target) {
    var id = target.getAttribute("data-id"), ep = target.getAttribute("data-ep");
    var band = target.getAttribute("data-band"), role = target.getAttribute("data-role");
    if (id !== null) {
      var j = Number(id);
      var head = "#" + j + " " + view.messageTypes[M.type[j]] + " " + view.lanes[M.from[j]] + " \u2192 " + view.lanes[M.to[j]];
      var end = M.endMs[j] >= 0 ? " " + fmt(M.endMs[j]) + " ms (event " + M.endEvent[j] + ")" : "";
      return head + (M.dupOf[j] >= 0 ? " (duplicate of #" + M.dupOf[j] + ")" : "") +
        "\nsent " + fmt(M.sentMs[j]) + " ms (event " + M.sendEvent[j] + "), " + view.fates[M.fate[j]] + end + "\n" + M.detail[j];
    }
    if (ep !== null) {
      var p = view.nodeEpisodes[Number(ep)];
      return view.lanes[p.node] + " " + p.kind + " " + fmt(p.fromMs) + "–" + fmt(p.toMs) + " ms";
    }
    if (band !== null) { var b = view.networkEpisodes[Number(band)]; return b.label + "\n" + fmt(b.fromMs) + "–" + fmt(b.toMs) + " ms"; }
    if (role !== null) {
      var r = view.roles[Number(role)];
      return view.lanes[r.node] + " becomes " + r.label + " at " + fmt(r.atMs) + " ms (event " + r.event + ")";
    }
    return null;
  }
  svg.addEventListener("mousemove", function (e) {
    var text = e.target && e.target.getAttribute ? describe(e.target) : null;
    if (text === null) { tooltip.hidden = true; return; }
    tooltip.textContent = text; tooltip.style.left = e.clientX + 12 + "px"; tooltip.style.top = e.clientY + 12 + "px"; tooltip.hidden = false;
  });
  svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
  window.addEventListener("resize", draw);
  draw();
  announce();
})();
`;
