/**
 * The page's only script, inlined: hover read-outs (time and every visible line's value under the
 * pointer) and legend buttons that show or hide a policy in every chart. Charts are complete without
 * it. Text from the data is set with textContent, never innerHTML, so scenario strings cannot inject.
 * Kept as plain ES2017 in a string: it runs in the browser, not in Node.
 */
export const reportScript = `
(function () {
  "use strict";
  var dataEl = document.getElementById("report-data");
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var hidden = {};

  function setHidden(key, off) {
    hidden[key] = off;
    document.querySelectorAll("[data-series]").forEach(function (el) {
      if (el.getAttribute("data-series") !== key) return;
      if (el.tagName === "BUTTON") el.setAttribute("aria-pressed", off ? "false" : "true");
      else el.classList.toggle("off", off);
    });
  }
  document.querySelectorAll("button.legend-item").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-series");
      setHidden(key, !hidden[key]);
    });
  });

  function timeLabel(chart, t) {
    if (chart.startMs === null) return "+" + Math.round(t) + " s";
    var iso = new Date(chart.startMs + t * 1000).toISOString();
    return iso.slice(0, 10) + " " + iso.slice(11, 19) + " UTC";
  }
  function formatValue(v, unit) {
    if (v === null || v === undefined) return "no data";
    var rounded = Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
    return rounded.toLocaleString("en-US") + " " + unit;
  }
  // The value of the bucket that contains t: the last point at or before t.
  function valueAt(line, t) {
    var lo = 0, hi = line.t.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (line.t[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found < 0 ? null : line.v[found];
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var chart = data[svg.id];
    var plot = svg.parentNode;
    if (!chart || !plot) return;
    var tip = el("div", "tooltip");
    tip.hidden = true;
    plot.appendChild(tip);
    var cursor = svg.querySelector("line.cursor");
    function hide() {
      tip.hidden = true;
      if (cursor) cursor.setAttribute("visibility", "hidden");
    }
    svg.addEventListener("mousemove", function (event) {
      var box = svg.getBoundingClientRect();
      if (box.width === 0) return;
      var vx = (event.clientX - box.left) * chart.plot.width / box.width;
      if (vx < chart.plot.left || vx > chart.plot.right) { hide(); return; }
      var t = (vx - chart.plot.left) / (chart.plot.right - chart.plot.left) * chart.durationSeconds;
      if (cursor) {
        cursor.setAttribute("x1", vx);
        cursor.setAttribute("x2", vx);
        cursor.setAttribute("visibility", "visible");
      }
      tip.replaceChildren(el("div", "time", timeLabel(chart, t)));
      chart.lines.forEach(function (line) {
        if (hidden[line.key]) return;
        var row = el("div", "row");
        var sw = el("span", "swatch");
        sw.style.background = line.colour;
        row.appendChild(sw);
        row.appendChild(el("span", "", line.label));
        row.appendChild(el("b", "", formatValue(valueAt(line, t), chart.unit)));
        tip.appendChild(row);
      });
      tip.hidden = false;
      var plotBox = plot.getBoundingClientRect();
      var x = event.clientX - plotBox.left + 16;
      if (x + tip.offsetWidth > plotBox.width) x = event.clientX - plotBox.left - tip.offsetWidth - 16;
      tip.style.left = Math.max(0, x) + "px";
      tip.style.top = Math.max(0, event.clientY - plotBox.top - tip.offsetHeight / 2) + "px";
    });
    svg.addEventListener("mouseleave", hide);
  });
})();
`;
