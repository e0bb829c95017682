// A small SVG line chart: RTT (p50, p95) on the left axis in ms, health score 0–1 on the right axis, time along the
// bottom. Written here rather than vendored: it draws three polylines and a grid, nothing more.
"use strict";

window.ResilinkChart = (function () {
  const SVG = "http://www.w3.org/2000/svg"; // the SVG namespace name, not a resource that is fetched
  const W = 640, H = 220, LEFT = 44, RIGHT = 34, TOP = 10, BOTTOM = 22;

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A round upper bound for the RTT axis: 1, 2 or 5 times a power of ten.
  function niceMax(value) {
    if (!(value > 0)) return 10;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
    return 10 * power;
  }

  function clock(t) {
    return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  // points: [{ t: ms since epoch, rtt, p95, score }], oldest first; changes: [{ t, status }] drawn as vertical marks.
  function draw(svg, points, changes, colours) {
    svg.replaceChildren();
    const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    if (points.length === 0) {
      svg.appendChild(el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "axis" }, "no samples yet"));
      return;
    }
    const t0 = points[0].t, t1 = Math.max(points[points.length - 1].t, t0 + 1000);
    const rttMax = niceMax(Math.max(...points.map(p => Math.max(p.rtt, p.p95))));
    const x = t => LEFT + ((t - t0) / (t1 - t0)) * plotW;
    const yRtt = v => TOP + plotH - (Math.min(v, rttMax) / rttMax) * plotH;
    const yScore = v => TOP + plotH - Math.max(0, Math.min(1, v)) * plotH;

    for (let i = 0; i <= 4; i++) {
      const y = TOP + (plotH * i) / 4;
      svg.appendChild(el("line", { x1: LEFT, x2: W - RIGHT, y1: y, y2: y, class: "grid" }));
      svg.appendChild(el("text", { x: LEFT - 4, y: y + 3, "text-anchor": "end", class: "axis" }, String(+(rttMax * (1 - i / 4)).toFixed(2))));
      svg.appendChild(el("text", { x: W - RIGHT + 4, y: y + 3, class: "axis" }, (1 - i / 4).toFixed(2)));
    }
    svg.appendChild(el("text", { x: LEFT, y: H - 6, class: "axis" }, clock(t0)));
    svg.appendChild(el("text", { x: W - RIGHT, y: H - 6, "text-anchor": "end", class: "axis" }, clock(t1)));

    for (const change of changes) {
      if (change.t < t0 || change.t > t1) continue;
      const line = el("line", { x1: x(change.t), x2: x(change.t), y1: TOP, y2: TOP + plotH, class: "change" });
      line.style.stroke = colours[change.status] || "#8a8f98";
      line.appendChild(el("title", {}, `${clock(change.t)} → ${change.status}`));
      svg.appendChild(line);
    }

    const path = (value, y) => points.map(p => `${x(p.t).toFixed(1)},${y(value(p)).toFixed(1)}`).join(" ");
    svg.appendChild(el("polyline", { points: path(p => p.p95, yRtt), class: "p95" }));
    svg.appendChild(el("polyline", { points: path(p => p.rtt, yRtt), class: "rtt" }));
    svg.appendChild(el("polyline", { points: path(p => p.score, yScore), class: "score" }));
  }

  return { draw };
})();
