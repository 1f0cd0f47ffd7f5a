// report/dashboard/page: the dashboard page and its browser script. The page loads only what the
// dashboard server itself serves (its script and the Vega / Vega-Lite builds from node_modules),
// opens the /events stream, and draws batch curves, epoch curves (train and validation), the
// learning rate, an epoch table, the model summary, system figures and the run comparison.
// A reconnect replays the run from its start, so the page resets on each "run" message. Layer: report.

const CSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; }
header h1 { margin: 0; font-size: 19px; }
#connection { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #8a6d00; }
#connection.live { background: #1f7a3d; }
main { padding: 8px 24px 24px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 12px; min-width: 110px; }
.card .label { color: #5a6270; font-size: 12px; }
.card .value { font-size: 18px; font-variant-numeric: tabular-nums; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
h2 { font-size: 15px; margin: 2px 0 8px; }
.row { display: flex; flex-wrap: wrap; gap: 16px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #dde1e7; padding: 2px 8px; text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f0f2f5; }
pre { background: #f6f7f9; padding: 8px; overflow-x: auto; font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; margin: 0; }
#runs-list label { margin-right: 12px; }
#runs-compare img { border: 1px solid #dde1e7; }
`;

/** The HTML of the dashboard page. */
export function dashboardPage(withRuns: boolean): string {
  const runs = withRuns
    ? `<section id="runs"><h2>Compare runs</h2><div id="runs-list"></div><div id="runs-compare" class="row"></div></section>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera dashboard</title>
<style>${CSS}</style>
<script src="/vendor/vega.js"></script>
<script src="/vendor/vega-lite.js"></script>
<script src="/dashboard.js" defer></script>
</head>
<body>
<header><h1>Tessera <span id="run-name">(waiting for a run)</span></h1><span id="connection">connecting</span></header>
<main>
<div class="cards">
  <div class="card"><div class="label">epoch</div><div class="value" id="stat-epoch">-</div></div>
  <div class="card"><div class="label">batch</div><div class="value" id="stat-batch">-</div></div>
  <div class="card"><div class="label">loss</div><div class="value" id="stat-loss">-</div></div>
  <div class="card"><div class="label">val_loss</div><div class="value" id="stat-val-loss">-</div></div>
  <div class="card"><div class="label">learning rate</div><div class="value" id="stat-lr">-</div></div>
  <div class="card"><div class="label">samples/s</div><div class="value" id="stat-throughput">-</div></div>
  <div class="card"><div class="label">epoch time</div><div class="value" id="stat-epoch-time">-</div></div>
  <div class="card"><div class="label">elapsed</div><div class="value" id="stat-elapsed">-</div></div>
</div>
<section id="batch-section"><h2>Per batch (train)</h2><div id="batch-chart" class="row"></div></section>
<section id="epoch-section"><h2>Per epoch (train and validation)</h2><div class="row"><div id="epoch-chart" class="row"></div><div id="lr-chart"></div></div></section>
<section id="table-section"><h2>Epochs</h2><table id="epoch-table"><thead></thead><tbody></tbody></table></section>
<div class="row">
<section id="model-section"><h2>Model</h2><pre id="model-summary"></pre></section>
<section id="system-section"><h2>System</h2><table id="system-table"><tbody></tbody></table></section>
</div>
${runs}
</main>
</body>
</html>
`;
}

/** The page's script (plain browser JavaScript; vega and vegaLite are globals from /vendor). */
export const DASHBOARD_SCRIPT = `"use strict";
(() => {
  const state = { run: null, batches: [], epochs: [], end: null, messages: 0 };
  window.dashboardState = state;
  const byId = (id) => document.getElementById(id);
  const views = {};
  const pending = {};
  let frame = 0;

  const fmt = (v) => (v === null || v === undefined || Number.isNaN(v) ? "-" :
    Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4))));
  const bytes = (v) => (v / 1048576).toFixed(1) + " MiB";
  const setText = (id, text) => { const el = byId(id); if (el) el.textContent = text; };

  function makeView(el, spec) {
    el.textContent = "";
    const compiled = vegaLite.compile({
      // resize: the layout (axis label widths) is redone as rows stream in.
      autosize: { type: "pad", resize: true },
      config: { background: "white", view: { stroke: "#ddd" } },
      ...spec,
    }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "svg", container: el, hover: false });
    view.runAsync();
    return view;
  }

  const SPECS = {
    batch: (metric) => ({
      title: metric, width: 260, height: 140, data: { name: "rows" }, mark: { type: "line", strokeWidth: 1 },
      encoding: { x: { field: "step", type: "quantitative", title: "step" },
        y: { field: "value", type: "quantitative", scale: { zero: false }, title: null } },
    }),
    epoch: (metric) => ({
      title: metric, width: 220, height: 140, data: { name: "rows" }, mark: { type: "line", point: true },
      encoding: { x: { field: "epoch", type: "quantitative", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "value", type: "quantitative", scale: { zero: false }, title: null },
        color: { field: "split", type: "nominal", scale: { domain: ["train", "validation"] }, title: null } },
    }),
  };

  // One small chart per metric, created when the metric first appears (no faceting, so each
  // chart keeps its size as rows stream in).
  function queue(kind, metric, row) {
    const key = kind + ":" + metric;
    if (!views[key]) {
      const el = document.createElement("div");
      el.className = "chart";
      el.dataset.metric = metric;
      byId(kind + "-chart").appendChild(el);
      views[key] = makeView(el, SPECS[kind](metric));
      pending[key] = [];
    }
    pending[key].push(row);
  }

  function resetViews() {
    for (const view of Object.values(views)) view.finalize();
    for (const key of Object.keys(views)) delete views[key];
    for (const key of Object.keys(pending)) delete pending[key];
    byId("batch-chart").textContent = "";
    byId("epoch-chart").textContent = "";
    views.lr = makeView(byId("lr-chart"), {
      title: "learning rate", width: 200, height: 140, data: { name: "rows" }, mark: { type: "line", point: true },
      encoding: { x: { field: "epoch", type: "quantitative", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "learningRate", type: "quantitative", scale: { zero: false }, title: null } },
    });
    pending.lr = [];
  }

  function schedule() {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      for (const [key, rows] of Object.entries(pending)) {
        if (rows.length === 0 || !views[key]) continue;
        pending[key] = [];
        views[key].change("rows", vega.changeset().insert(rows)).runAsync();
      }
    });
  }

  function onRun(m) {
    state.run = m; state.batches = []; state.epochs = []; state.end = null;
    setText("run-name", m.name);
    byId("model-summary").textContent = m.summary;
    byId("epoch-table").tHead.innerHTML = "";
    byId("epoch-table").tBodies[0].innerHTML = "";
    setText("stat-epoch", "0 / " + m.epochs);
    system(m.system);
    resetViews();
  }

  function system(s) {
    const rows = [["backend", s.backend], ["memory (rss)", bytes(s.rss)], ["JS heap used", bytes(s.heapUsed)]];
    byId("system-table").tBodies[0].innerHTML = "";
    for (const [k, v] of rows) {
      const tr = byId("system-table").tBodies[0].insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = v;
    }
  }

  function onBatches(m) {
    for (const [epoch, batch, step, seconds, logs] of m.rows) {
      state.batches.push({ epoch, batch, step, seconds, logs });
      for (const [metric, value] of Object.entries(logs)) {
        if (Number.isFinite(value)) queue("batch", metric, { step, value });
      }
      setText("stat-batch", String(batch + 1) + (state.run && state.run.steps ? " / " + state.run.steps : ""));
      setText("stat-loss", fmt(logs.loss));
      setText("stat-elapsed", seconds.toFixed(1) + " s");
    }
    schedule();
  }

  function onEpoch(m) {
    state.epochs.push(m);
    const epoch = m.epoch + 1;
    for (const [name, value] of Object.entries(m.logs)) {
      // The learning rate has its own chart.
      if (!Number.isFinite(value) || name === "learning_rate") continue;
      const validation = name.startsWith("val_");
      queue("epoch", validation ? name.slice(4) : name, { epoch, split: validation ? "validation" : "train", value });
    }
    if (m.learningRate !== null) pending.lr.push({ epoch, learningRate: m.learningRate });
    schedule();
    setText("stat-epoch", epoch + " / " + (state.run ? state.run.epochs : "?"));
    setText("stat-loss", fmt(m.logs.loss));
    setText("stat-val-loss", fmt(m.logs.val_loss));
    setText("stat-lr", fmt(m.learningRate));
    setText("stat-throughput", m.samplesPerSecond === null ? fmt(m.batchesPerSecond) + " b/s" : fmt(m.samplesPerSecond));
    setText("stat-epoch-time", m.seconds.toFixed(2) + " s");
    system(m.system);
    const table = byId("epoch-table");
    const names = Object.keys(m.logs);
    if (table.tHead.rows.length === 0) {
      const head = table.tHead.insertRow();
      for (const h of ["epoch", ...names, "seconds", "samples/s"]) head.insertCell().outerHTML = "<th>" + h + "</th>";
    }
    const tr = table.tBodies[0].insertRow();
    tr.dataset.epoch = String(epoch);
    const cells = [["epoch", epoch], ...names.map((n) => [n, m.logs[n]]), ["seconds", m.seconds], ["samples/s", m.samplesPerSecond]];
    for (const [name, value] of cells) {
      const td = tr.insertCell();
      td.dataset.name = name;
      td.dataset.value = String(value);
      td.textContent = name === "epoch" ? String(value) : fmt(value);
    }
  }

  function onEnd(m) {
    state.end = m;
    setText("stat-elapsed", m.seconds.toFixed(1) + " s (done)");
  }

  function connect() {
    const source = new EventSource("/events");
    source.onopen = () => { byId("connection").textContent = "live"; byId("connection").className = "live"; };
    source.onerror = () => { byId("connection").textContent = "reconnecting"; byId("connection").className = ""; };
    source.onmessage = (event) => {
      const m = JSON.parse(event.data);
      state.messages++;
      if (m.type === "run") onRun(m);
      else if (m.type === "batches") onBatches(m);
      else if (m.type === "epoch") onEpoch(m);
      else if (m.type === "end") onEnd(m);
    };
  }

  async function loadRuns() {
    const list = byId("runs-list");
    if (!list) return;
    const runs = await (await fetch("/api/runs")).json();
    if (runs.length === 0) { list.textContent = "No run folders with a history.json yet."; return; }
    const compare = byId("runs-compare");
    const show = () => {
      compare.innerHTML = "";
      const checked = [...list.querySelectorAll("input:checked")].map((box) => box.value);
      if (checked.length > 1) {
        const overlay = document.createElement("img");
        overlay.src = "/api/compare.svg?runs=" + checked.map(encodeURIComponent).join(",");
        overlay.alt = "runs compared: " + checked.join(", ");
        overlay.id = "runs-overlay";
        compare.appendChild(overlay);
      }
      for (const box of list.querySelectorAll("input:checked")) {
        const img = document.createElement("img");
        img.src = "/api/runs/" + encodeURIComponent(box.value) + "/curves.svg";
        img.alt = "learning curves of " + box.value;
        img.dataset.run = box.value;
        compare.appendChild(img);
      }
    };
    runs.forEach((name, i) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox"; box.value = name; box.checked = i < 4;
      box.addEventListener("change", show);
      label.append(box, " " + name);
      list.appendChild(label);
    });
    show();
  }

  connect();
  loadRuns();
})();
`;
