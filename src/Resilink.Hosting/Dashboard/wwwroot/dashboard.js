// The dashboard page: one EventSource for everything live (a snapshot each second, status/alert/circuit changes at
// once), the table rebuilt from each snapshot (one click listener on its body), and a chart of the selected connection from the history store when the
// node has one, else from the samples this page has seen since it opened.
"use strict";

(function () {
  const COLOURS = { Healthy: "#1e9e4a", Degraded: "#d9a000", Unhealthy: "#e8690b", Dead: "#d32f2f", Closed: "#4b5563", Unknown: "#8a8f98" };
  const MAX_CHANGES = 50;        // status changes listed
  const HISTORY_MINUTES = 15;
  const WINDOW_MS = HISTORY_MINUTES * 60 * 1000; // what the chart shows; older points are dropped
  const TRIM_MARGIN = 120;       // points past the window kept before one trim: no copy per point
  const HISTORY_REFETCH_MS = 2 * 60 * 1000;     // stored history is read again this often
  const RECONNECT_MAX_MS = 30000;

  const $ = id => document.querySelector(`[data-testid="${id}"]`);
  const series = new Map();      // connection id -> { points: [{ t, rtt, p95, score }], start }; points before start are past the window
  const statusSeen = new Map();  // connection id -> { seq, current, score } from the last status event applied
  const changes = [];            // newest first: { t, connectionId, peerId, previous, current, reason }
  let snapshot = null;
  let selected = null;           // connection id the chart shows
  let stored = null;             // { connectionId, points, changes, fetchedAt } from /api/dashboard/history, when available
  let events = null;             // the EventSource
  let reconnectAttempts = 0;
  let reconnectTimer = null;

  function node(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") element.className = value;
      else element.setAttribute(key, String(value));
    }
    for (const child of children) element.append(child);
    return element;
  }

  const badge = (status, testid) => node("span", { class: "badge", "data-status": status, "data-testid": testid }, status);
  const circuitBadge = state => node("span", { class: "badge", "data-circuit": state }, state);
  const shortId = id => (id.length > 20 ? `${id.slice(0, 10)}…${id.slice(-6)}` : id);
  const clock = t => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  function ms(value) {
    if (!(value > 0)) return "–";
    return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
  }

  function rate(bytesPerSecond) {
    const units = ["B/s", "KB/s", "MB/s", "GB/s"];
    let value = bytesPerSecond, unit = 0;
    while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
    return `${value < 10 && unit > 0 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
  }

  function age(seconds) {
    if (seconds < 60) return `${Math.floor(seconds)}s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
    return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
  }

  // ---- live connection -------------------------------------------------------------------------------------------

  function setLive(state, text) {
    const indicator = $("live-indicator");
    indicator.dataset.state = state;
    indicator.textContent = text || state;
  }

  // Each event's id is its place in the server's one sequence (see DashboardEvent.Sequence).
  const sequenceOf = e => Number(e.lastEventId) || 0;

  function connect() {
    reconnectTimer = null;
    events = new EventSource("api/dashboard/events");
    events.onopen = () => {
      reconnectAttempts = 0;
      statusSeen.clear(); // a new stream (perhaps a restarted node) numbers its events afresh
      setLive("live");
    };
    events.onerror = () => {
      if (events.readyState !== EventSource.CLOSED) {
        setLive("reconnecting"); // EventSource retries by itself (the server asks for one second)
        return;
      }
      // Closed for good (an answer that is not 200 text/event-stream, e.g. a proxy while the node restarts):
      // EventSource gives up, so try again here, backing off up to RECONNECT_MAX_MS.
      events.close();
      const delay = Math.min(RECONNECT_MAX_MS, 1000 * 2 ** reconnectAttempts++);
      setLive("reconnecting", `reconnecting in ${Math.round(delay / 1000)} s`);
      if (reconnectTimer === null) reconnectTimer = setTimeout(connect, delay);
    };
    events.addEventListener("snapshot", e => { setLive("live"); onSnapshot(JSON.parse(e.data), sequenceOf(e)); });
    events.addEventListener("status", e => onStatus(JSON.parse(e.data), sequenceOf(e)));
    events.addEventListener("alert", e => onAlert(JSON.parse(e.data)));
    events.addEventListener("circuit", e => onCircuit(JSON.parse(e.data)));
  }

  function onSnapshot(next, seq) {
    snapshot = next;
    const t = Date.parse(next.timestamp);
    const present = new Set();
    for (const peer of next.peers) {
      for (const c of peer.connections) {
        present.add(c.id);
        const seen = statusSeen.get(c.id);
        if (seen && seen.seq > seq) {
          // The snapshot read the host before this status event's change: the event is newer, keep what it said.
          c.status = seen.current;
          c.score = seen.score;
        } else if (seen) {
          statusSeen.delete(c.id);
        }
        if (c.closed) continue;
        let s = series.get(c.id);
        if (!s) series.set(c.id, (s = { points: [], start: 0 }));
        // Before its first ping a connection has no RTT (0) and no verdict: charting that would draw a false dip.
        if (c.status !== "Unknown") s.points.push({ t, rtt: c.rttP50Ms, p95: c.rttP95Ms, score: c.score });
        while (s.start < s.points.length && s.points[s.start].t < t - WINDOW_MS) s.start++;
        if (s.start > TRIM_MARGIN) { s.points = s.points.slice(s.start); s.start = 0; }
      }
    }
    // A connection the node no longer lists (closed rows are listed for a few minutes) needs no series; the chart's
    // own keeps its until another is selected.
    for (const id of series.keys()) if (!present.has(id) && id !== selected) series.delete(id);
    for (const [id, seen] of statusSeen) if (!present.has(id) && seen.seq < seq) statusSeen.delete(id);
    if (selected !== null && stored && stored.points && stored.connectionId === selected && t - stored.fetchedAt > HISTORY_REFETCH_MS) fetchHistory(selected);
    render();
  }

  function onStatus(change, seq) {
    statusSeen.set(change.connectionId, { seq, current: change.current, score: change.score });
    changes.unshift({ t: Date.parse(change.timestamp), ...change });
    changes.length = Math.min(changes.length, MAX_CHANGES);
    // Show it at once; the next snapshot agrees.
    const row = document.querySelector(`tr.connection[data-connection-id="${CSS.escape(change.connectionId)}"]`);
    if (row) {
      row.dataset.status = change.current;
      const status = row.querySelector(".badge");
      status.dataset.status = change.current;
      status.textContent = change.current;
      row.querySelector(".score").textContent = change.score.toFixed(2);
    }
    renderChanges();
    renderChart();
  }

  function onAlert(alert) {
    if (!snapshot) return;
    snapshot.activeAlerts = snapshot.activeAlerts.filter(a => a.id !== alert.id);
    if (alert.resolvedAt) snapshot.recentAlerts = [alert, ...snapshot.recentAlerts.filter(a => a.id !== alert.id)];
    else snapshot.activeAlerts.unshift(alert);
    renderAlerts();
  }

  function onCircuit(change) {
    const peer = snapshot && snapshot.peers.find(p => p.peerId === change.peerId);
    if (peer) { peer.circuit = change.to; renderCircuits(); }
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    $("node-peer-id").textContent = snapshot.nodePeerId;
    $("updated").textContent = `updated ${clock(Date.parse(snapshot.timestamp))}`;
    renderTotals();
    renderTable();
    renderAlerts();
    renderCircuits();
    renderChanges();
    renderChart();
  }

  function renderTotals() {
    const totals = snapshot.totals;
    $("total-peers").textContent = totals.peers;
    $("total-connections").textContent = totals.connections;
    $("average-health").textContent = totals.connections ? totals.averageHealth.toFixed(2) : "–";
    $("by-status").replaceChildren(...Object.entries(totals.connectionsByStatus)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => node("span", { class: "badge", "data-status": status }, `${count} ${status}`)));
  }

  function renderTable() {
    const rows = [];
    const ids = [];
    for (const peer of snapshot.peers) {
      const open = peer.connections.filter(c => !c.closed).length;
      rows.push(node("tr", { class: "peer", "data-testid": "peer-row", "data-peer-id": peer.peerId, "data-status": peer.status },
        node("td", { colspan: 8 },
          node("span", { class: "id", title: peer.peerId }, shortId(peer.peerId)), " ",
          badge(peer.status, "peer-status"),
          ` ${open} open connection${open === 1 ? "" : "s"} · score ${peer.averageScore.toFixed(2)} · circuit ${peer.circuit}${peer.keptAlive ? " · kept alive" : ""}`)));
      for (const c of peer.connections) {
        ids.push(c.id);
        const row = node("tr", {
          class: "connection", "data-testid": "connection-row", "data-connection-id": c.id, "data-peer-id": c.peerId,
          "data-status": c.status, "data-closed": c.closed, "aria-selected": c.id === selected,
        },
          node("td", { class: "id", title: c.closed ? `closed at ${clock(Date.parse(c.closedAt))}` : "" }, c.id + (c.closed ? " (closed)" : "")),
          node("td", {}, badge(c.status, "connection-status")),
          node("td", { class: "num score" }, c.score.toFixed(2)),
          node("td", { class: "num" }, `${ms(c.rttP50Ms)} / ${ms(c.rttP95Ms)} ms`),
          node("td", { class: "num" }, c.closed ? "–" : String(c.activeStreams)),
          node("td", { class: "num" }, c.closed ? "–" : `${rate(c.bytesInPerSecond)} / ${rate(c.bytesOutPerSecond)}`),
          node("td", { class: "num" }, c.closed ? "–" : age(c.ageSeconds)),
          node("td", {}, c.routable ? "yes" : "no"));
        rows.push(row);
      }
    }
    $("connections-body").replaceChildren(...rows);
    $("no-peers").hidden = snapshot.peers.length > 0;
    if ((selected === null || !ids.includes(selected)) && ids.length > 0) select(ids[0]);
  }

  function renderAlerts() {
    const item = a => node("li", { "data-testid": "alert", "data-level": a.level, "data-rule": a.rule },
      node("span", { class: "when" }, clock(Date.parse(a.resolvedAt || a.lastSeen))),
      node("span", { class: "level" }, a.resolvedAt ? "resolved" : a.level),
      `${a.rule} · ${a.message}${a.count > 1 ? ` (×${a.count})` : ""}`);
    const none = text => node("li", { class: "note" }, text);
    $("active-alerts").replaceChildren(...(snapshot.activeAlerts.length ? snapshot.activeAlerts.map(item) : [none("None.")]));
    $("recent-alerts").replaceChildren(...(snapshot.recentAlerts.length ? snapshot.recentAlerts.map(item) : [none("None resolved recently.")]));
  }

  function renderCircuits() {
    const resilience = snapshot.resilience;
    $("circuits").replaceChildren(...(snapshot.peers.length
      ? snapshot.peers.map(p => node("li", { "data-testid": "circuit", "data-peer-id": p.peerId, "data-state": p.circuit },
          node("span", { class: "id", title: p.peerId }, shortId(p.peerId)), circuitBadge(p.circuit)))
      : [node("li", { class: "note" }, "No peers.")]));
    if (!resilience.circuitBreaking) $("circuits").prepend(node("li", { class: "note" }, "Circuit breaking is off on this node: every breaker stays Closed."));
    const r = resilience.reconnection;
    $("reconnection").textContent = `Keep-alive re-dials: ${r.attempts} attempts, ${r.successes} reconnected, ${r.failedAttempts} failed, ${r.giveUps} given up` +
      (r.successes ? `, ${r.meanSecondsToReconnect.toFixed(2)} s mean to reconnect.` : ".");
  }

  function renderChanges() {
    $("status-changes").replaceChildren(...(changes.length
      ? changes.map(c => node("li", { "data-testid": "status-change", "data-connection-id": c.connectionId, "data-status": c.current },
          node("span", { class: "when" }, clock(c.t)), `${c.connectionId}: ${c.previous} → `, badge(c.current), ` ${c.reason}`))
      : [node("li", { class: "note" }, "None since this page opened.")]));
  }

  // ---- chart -----------------------------------------------------------------------------------------------------

  function select(id) {
    if (selected !== null && selected !== id && !(snapshot && snapshot.peers.some(p => p.connections.some(c => c.id === selected)))) {
      series.delete(selected); // kept only while it was on the chart
    }
    selected = id;
    for (const row of document.querySelectorAll("tr.connection")) row.setAttribute("aria-selected", String(row.dataset.connectionId === id));
    stored = null;
    renderChart();
    fetchHistory(id);
  }

  // The stored history of a connection; asked again every HISTORY_REFETCH_MS while it stays selected.
  function fetchHistory(id) {
    if (stored && stored.connectionId === id) stored.fetchedAt = now(); // one request at a time
    fetch(`api/dashboard/history?connection=${encodeURIComponent(id)}&minutes=${HISTORY_MINUTES}`)
      .then(response => (response.ok ? response.json() : null))
      .then(history => {
        if (!history || selected !== id) return;
        stored = history.available ? {
          connectionId: id,
          fetchedAt: now(),
          points: history.samples.filter(s => s.status !== "Unknown")
            .map(s => ({ t: Date.parse(s.timestamp), rtt: s.rttP50Ms, p95: s.rttP95Ms, score: s.score })),
          changes: history.statusChanges.map(c => ({ t: Date.parse(c.timestamp), status: c.current })),
        } : { connectionId: id, fetchedAt: now(), unavailable: true };
        renderChart();
      })
      .catch(() => { /* the live samples still draw */ });
  }

  // The node's clock as of its last snapshot: samples carry its timestamps, so the window is measured on its clock.
  const now = () => (snapshot ? Date.parse(snapshot.timestamp) : Date.now());

  function renderChart() {
    const svg = $("history-chart");
    $("chart-connection").textContent = selected || "";
    svg.dataset.connectionId = selected || "";
    if (!selected) { ResilinkChart.draw(svg, [], [], COLOURS); return; }
    const from = now() - WINDOW_MS;
    const s = series.get(selected);
    const live = s ? s.points.slice(s.start).filter(p => p.t >= from) : [];
    const liveChanges = changes.filter(c => c.connectionId === selected && c.t >= from).map(c => ({ t: c.t, status: c.current }));
    let points = live, marks = liveChanges, source = "Live samples since this page opened (this node keeps no history store).";
    if (stored && stored.points && stored.connectionId === selected) {
      const last = stored.points.length ? stored.points[stored.points.length - 1].t : 0;
      // Fetched a while ago: what has since left the window is not drawn.
      points = stored.points.filter(p => p.t >= from).concat(live.filter(p => p.t > last));
      marks = stored.changes.filter(c => c.t >= from).concat(liveChanges.filter(c => c.t > last));
      source = `Stored history (last ${HISTORY_MINUTES} minutes) and live samples.`;
    }
    svg.dataset.points = String(points.length);
    $("history-source").textContent = source;
    ResilinkChart.draw(svg, points, marks, COLOURS);
  }

  // One listener for every row, present and future: the table is rebuilt each second.
  $("connections-body").addEventListener("click", e => {
    const row = e.target.closest("tr.connection");
    if (row) select(row.dataset.connectionId);
  });

  connect();
})();
