/**
 * Browser-side helpers shared by the views' scripts (put before them on the page): `synodSvg.el` makes
 * an SVG element, `synodSvg.ticks(from, to)` gives round axis ticks (about 8 to 16) for a time window,
 * `synodSvg.dragPan(chart, plotWidth, getWindow, setWindow)` pans a time window by dragging the chart.
 */
export const SVG_SCRIPT_HELPERS = String.raw`
var synodSvg = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function ticks(from, to) {
    var span = to - from, step = Math.pow(10, Math.floor(Math.log10(span / 8)));
    if (span / step > 16) step *= 5; else if (span / step > 8) step *= 2;
    var out = [];
    for (var t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
    return out;
  }
  // Drag to pan: the window moves by the dragged pixels over the plot's width (plotWidth(): pixels).
  function dragPan(chart, plotWidth, getWindow, setWindow) {
    var drag = null;
    chart.addEventListener("mousedown", function (e) {
      var w = getWindow();
      drag = { x: e.clientX, from: w.from, to: w.to };
      chart.classList.add("dragging");
    });
    window.addEventListener("mouseup", function () { drag = null; chart.classList.remove("dragging"); });
    window.addEventListener("mousemove", function (e) {
      if (!drag) return;
      var dt = (e.clientX - drag.x) / plotWidth() * (drag.to - drag.from);
      setWindow(drag.from - dt, drag.to - dt);
    });
  }
  return { el: el, ticks: ticks, dragPan: dragPan };
})();
`;
