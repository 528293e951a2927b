// gradstream's live page: polls the service's read-only JSON (/ui/api/...) and draws it.
// Every value from the service is put on the page as text (textContent), never as HTML: a model
// key may hold any character.
"use strict";

const PAGE_SIZE = 25;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];

const state = { page: 0, search: "", selected: null, failures: 0, lastModels: 0 };
const charts = {};

function el(id) {
  return document.getElementById(id);
}

function text(node, value) {
  node.textContent = value;
  return node;
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toPrecision(4);
}

async function json(url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    const r = await fetch(url, { signal: abort.signal, cache: "no-store" });
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(url + ": " + r.status);
    return await r.json();
  } finally {
    clearTimeout(timer);
  }
}

function setStatus(live, message) {
  const s = el("status");
  s.className = "status " + (live ? "live" : "down");
  text(s, message);
}

// A line chart that is rebuilt when its series change and otherwise only fed new data; with
// ownAxisFrom, the series from that index on are drawn against a second axis on the right;
// marks (times) are drawn as dashed vertical lines: a model's drifts.
function lineChart(id, title, names, data, logScale, ownAxisFrom, marks) {
  const box = el(id);
  const split = ownAxisFrom !== undefined && names.length > ownAxisFrom;
  const signature = names.join("\u0000") + (logScale ? "/log" : "") + (split ? "/split" : "");
  let chart = charts[id];
  if (!chart || chart.signature !== signature) {
    if (chart) chart.plot.destroy();
    const series = [{}].concat(names.map((name, i) => ({
      label: name, stroke: COLORS[i % COLORS.length], width: i === 0 ? 2 : 1.25,
      spanGaps: true, value: (u, v) => fmt(v), scale: split && i >= ownAxisFrom ? "y2" : "y",
    })));
    // wide enough for the longest label the axis shows (no clipped digits)
    const size = (u, values) => 16 + 7 * Math.max(4, ...(values || []).map((v) => String(v).length));
    const axes = [{}, { size: size, values: (u, vals) => vals.map(fmt) }];
    const scales = { x: { time: true }, y: logScale ? { distr: 3 } : {} };
    if (split) {
      axes.push({ scale: "y2", side: 1, grid: { show: false }, size: size,
        values: (u, vals) => vals.map(fmt) });
      scales.y2 = {};
    }
    const marked = { times: marks || [] };
    const plot = new uPlot({
      title: title, width: Math.max(320, box.clientWidth - 4), height: 260, series: series,
      scales: scales, axes: axes, hooks: { draw: [(u) => drawMarks(u, marked.times)] },
    }, data, box);
    chart = charts[id] = { plot: plot, signature: signature, marked: marked };
  } else {
    chart.marked.times = marks || [];
    chart.plot.setData(data);
  }
  box.dataset.marks = String((marks || []).length);
  // how many points are drawn, for a reader and for the browser tests
  box.dataset.points = String(data[0].length);
  box.dataset.series = String(names.length);
  box.dataset.latest = String(data[0][data[0].length - 1]);
  box.dataset.ordered = String(data[0].every((t, i) => i === 0 || t > data[0][i - 1]));
}

function drawMarks(u, marks) {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#c0392b";
  ctx.setLineDash([6, 4]);
  ctx.lineWidth = 1.5;
  for (const t of marks) {
    const x = u.valToPos(t, "x", true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

// Several series with time columns of their own, on one time axis.
function joined(tables) {
  return tables.length === 1 ? tables[0] : uPlot.join(tables);
}

function positive(values) {
  return values.map((v) => (v !== null && v > 0 ? v : null));
}

// The series so far, kept here: each poll asks only for the samples after the last one held.
const held = { time: [], eventsPerSecond: [], meanLoss: [], servedLoss: [], dead: {}, models: {} };
const KEEP = 600;

function append(into, values, length) {
  // a series that appeared later is padded with nulls in front, so that it stays aligned
  while (into.length < length) into.push(null);
  into.push(...values);
  into.splice(0, Math.max(0, into.length - KEEP));
}

function last(times) {
  return times.length > 0 ? times[times.length - 1] : "";
}

// Where the new samples of an answer start: two answers in flight may overlap.
function fresh(times, heldTimes) {
  const after = heldTimes.length > 0 ? heldTimes[heldTimes.length - 1] : -Infinity;
  let k = 0;
  while (k < times.length && times[k] <= after) k++;
  return k;
}

async function overview() {
  const o = await json("/ui/api/overview?since=" + last(held.time));
  const before = held.time.length;
  const k = fresh(o.time, held.time);
  append(held.time, o.time.slice(k), 0);
  append(held.eventsPerSecond, o.eventsPerSecond.slice(k), before);
  append(held.meanLoss, o.meanLoss.slice(k), before);
  append(held.servedLoss, o.servedLoss.slice(k), before);
  for (const reason of Object.keys(held.dead)) {
    if (!(reason in o.deadLettersPerSecond)) {
      append(held.dead[reason], o.time.slice(k).map(() => 0), before);
    }
  }
  for (const reason of Object.keys(o.deadLettersPerSecond)) {
    append(held.dead[reason] = held.dead[reason] || [], o.deadLettersPerSecond[reason].slice(k),
      before);
  }
  for (const key of Object.keys(o.models)) {
    const m = held.models[key] = held.models[key] || { time: [], lossEwma: [] };
    const j = fresh(o.models[key].time, m.time);
    append(m.time, o.models[key].time.slice(j), 0);
    append(m.lossEwma, o.models[key].lossEwma.slice(j), 0);
  }
  const n = held.time.length;
  text(el("rate"), n > 0 ? fmt(held.eventsPerSecond[n - 1]) + " events/s" : "");
  text(el("model-count"), o.modelCount + (o.modelCount === 1 ? " model" : " models"));

  const lossNames = ["mean loss"];
  const lossTables = [[held.time, positive(held.meanLoss)]];
  if (held.servedLoss.some((v) => v !== null)) {
    lossNames.push("served-prediction loss");
    lossTables.push([held.time, positive(held.servedLoss)]);
  }
  for (const key of Object.keys(held.models).sort()) {
    const m = held.models[key];
    if (m.time.length === 0) continue;
    lossNames.push(key);
    lossTables.push([m.time, positive(m.lossEwma)]);
  }
  if (n > 0) lineChart("loss-chart", "Loss", lossNames, joined(lossTables), true);

  const rateNames = ["events/s"];
  const rateData = [held.time, held.eventsPerSecond];
  for (const reason of Object.keys(held.dead).sort()) {
    rateNames.push("dead letters/s: " + reason);
    rateData.push(held.dead[reason]);
  }
  // dead letters on an axis of their own (right): a few a second stay visible beside thousands
  if (n > 0) lineChart("rate-chart", "Per second", rateNames, rateData, false, 1);
}

// A model's row after its key: steps, mean loss, recent loss, weights (or layers), bias, and
// its main metric (a classifier's accuracy, a regression's R²).
function rowCells(m) {
  return [m.steps === undefined ? "–" : String(m.steps), fmt(m.meanLoss), fmt(m.lossEwma),
    m.layers ? "network " + m.layers.join("–")
      : m.w ? m.w.map(fmt).join(", ") + (m.features > m.w.length ? ", …" : "") : "–",
    fmt(m.b), metricText(m)];
}

function metricText(m) {
  if (m.metric === undefined) return "–";
  return (m.metric === "r2" ? "R² " : "accuracy ") + fmt(m.metricValue)
    + (m.logLoss !== undefined ? ", log loss " + fmt(m.logLoss) : "");
}

async function modelList() {
  const q = new URLSearchParams({ search: state.search, page: state.page, size: PAGE_SIZE });
  const list = await json("/ui/api/models?" + q);
  const body = el("models").tBodies[0];
  const rows = list.models.map((m) => {
    const tr = document.createElement("tr");
    tr.dataset.key = m.key;
    if (m.key === state.selected) tr.className = "selected";
    [m.key].concat(rowCells(m)).forEach((c, i) => {
      const td = text(document.createElement("td"), c);
      if (i === 0) {
        td.className = "key";
        td.title = c;
      }
      tr.appendChild(td);
    });
    tr.addEventListener("click", () => select(m.key));
    return tr;
  });
  body.replaceChildren(...rows);
  const pages = Math.max(1, Math.ceil(list.total / list.size));
  text(el("page"), "page " + (list.page + 1) + " of " + pages + " (" + list.total
    + (list.total === 1 ? " model" : " models") + ")" + (list.problem ? ": " + list.problem : ""));
  el("prev").disabled = list.page === 0;
  el("next").disabled = list.page + 1 >= pages;
  state.lastModels = Date.now();
  if (state.selected === null && list.models.length > 0 && state.search === "") {
    select(firstTwoParameterOr(list.models));
  }
}

function firstTwoParameterOr(models) {
  const two = models.find((m) => m.w && m.features + (m.b !== undefined ? 1 : 0) === 2);
  return (two || models[0]).key;
}

function select(key) {
  state.selected = key;
  for (const tr of el("models").tBodies[0].rows) {
    tr.className = tr.dataset.key === key ? "selected" : "";
  }
  el("model-view").hidden = false;
  text(el("model-key"), key);
  modelView().catch(failed);
}

// The selected model's series so far; like the overview, each poll asks only for what is new.
let view = null;

async function modelView() {
  const key = state.selected;
  if (key === null) return;
  if (view === null || view.key !== key) {
    view = { key: key, time: [], loss: [], w: [], b: [], layers: [],
      evalTime: [], prequential: [], served: [], drifts: [], raceTime: [], raceLoss: [] };
  }
  const m = await json("/ui/api/models/" + encodeURIComponent(key) + "?since=" + last(view.time));
  if (key !== state.selected || view.key !== key) return;
  if (m === null) {
    text(el("model-summary"), "not trained yet");
    return;
  }
  const now = m.now || {};
  const parts = ["steps " + (now.steps === undefined ? "–" : now.steps),
    "mean loss " + fmt(now.meanLoss)];
  if (now.layers) parts.push("network " + now.layers.join("–") + " (inputs first)");
  if (now.w) parts.push("w [" + now.w.map(fmt).join(", ") + (now.features > now.w.length ? ", …" : "") + "]");
  if (now.b !== undefined) parts.push("b " + fmt(now.b));
  if (now.metric !== undefined) {
    parts.push(metricText(now) + " (" + now.metricScope + ")");
    if (now.drifts > 0) {
      parts.push(now.drifts + (now.drifts === 1 ? " drift" : " drifts") + ", generation "
        + now.generation);
    }
  }
  text(el("model-summary"), parts.join(" · "));
  el("model-untracked").hidden = m.tracked;


  if (m.time && m.time.length > 0) {
    const k = fresh(m.time, view.time);
    append(view.time, m.time.slice(k), 0);
    append(view.loss, m.lossEwma.slice(k), 0);
    (m.w || []).forEach((series, i) => append(view.w[i] = view.w[i] || [], series.slice(k), 0));
    (m.layerGradientNorm || []).forEach((series, i) =>
      append(view.layers[i] = view.layers[i] || [], series.slice(k), 0));
    if (m.b) append(view.b, m.b.slice(k), 0);
  }
  const e = m.evaluation;
  if (e) {
    view.drifts = e.driftTimes || [];
    if (e.time && e.time.length > 0) {
      const k = fresh(e.time, view.evalTime);
      append(view.evalTime, e.time.slice(k), 0);
      append(view.prequential, e.prequential.slice(k), 0);
      append(view.served, e.served.slice(k), 0);
    }
  }
  const race = m.race;
  if (race && race.time && race.time.length > 0) {
    const k = fresh(race.time, view.raceTime);
    append(view.raceTime, race.time.slice(k), 0);
    race.lossEwma.forEach((series, v) =>
      append(view.raceLoss[v] = view.raceLoss[v] || [], series.slice(k), 0));
  }
  if (race && view.raceTime.length > 0) {
    // a race: each variant's weighted loss, the one the champion is chosen by; ★ the champion
    const names = race.variants.map((name) => (name === race.champion ? "★ " : "") + name);
    lineChart("model-loss-chart", "Weighted loss per variant (★ champion: " + race.champion + ")",
      names, [view.raceTime].concat(view.raceLoss.map(positive)), true, undefined, view.drifts);
    el("model-loss-chart").dataset.variants = String(view.raceLoss.length);
    el("model-loss-chart").dataset.champion = race.champion || "";
  } else if (view.time.length > 0) {
    lineChart("model-loss-chart", "Loss (moving average)", ["loss"],
      [view.time, positive(view.loss)], true, undefined, view.drifts);
  }
  el("model-eval-chart").hidden = view.evalTime.length === 0;
  if (view.evalTime.length > 0) {
    const name = now.metric === "r2" ? "R²" : "accuracy";
    lineChart("model-eval-chart", name + " over the last window (dashed: drifts)",
      [name + ", before each step", name + ", served"],
      [view.evalTime, view.prequential, view.served], false, undefined, view.drifts);
  }
  if (view.time.length > 0 && view.layers.length > 0) {
    // a network: how much gradient reaches each layer; one falling towards 0 while the output
    // layer's does not is a vanishing gradient
    const sizes = now.layers || [];
    const names = view.layers.map((series, i) => "layer " + (i + 1)
      + (sizes.length > i + 1 ? " (" + sizes[i] + " → " + sizes[i + 1] + ")" : ""));
    lineChart("param-chart", "Gradient norm per layer (moving average)", names,
      [view.time].concat(view.layers.map(positive)), true);
  } else if (view.time.length > 0) {
    const names = [];
    const data = [view.time];
    view.w.forEach((series, i) => {
      names.push("w" + (i + 1));
      data.push(series);
    });
    if (view.b.length > 0) {
      names.push("b");
      data.push(view.b);
    }
    if (names.length > 0) lineChart("param-chart", "Parameters over time", names, data, false);
  }
  // the selected row shows what the view shows: the table is read every 5 s, the view every second
  const recent = view.loss.length > 0 ? view.loss[view.loss.length - 1] : undefined;
  for (const tr of el("models").tBodies[0].rows) {
    if (tr.dataset.key !== key) continue;
    rowCells(Object.assign({}, now, { lossEwma: recent })).forEach((c, i) => {
      if (i !== 2 || recent !== undefined) text(tr.cells[i + 1], c);
    });
  }
  const box = el("surface-box");
  box.hidden = !m.surface;
  if (m.surface) drawSurface(m.surface);
  const classes = el("classes-box");
  classes.hidden = !m.recentClasses || m.recentClasses.length === 0;
  if (!classes.hidden) drawClasses(m.classes, m.recentClasses);
}

// A model of K classes: a row per recent event, newest first, each class's probability as a bar;
// the label's cell and the predicted class's are marked, so a wrong guess stands out
function drawClasses(names, rows) {
  const table = el("recent-classes");
  const head = document.createElement("tr");
  ["label", "predicted"].concat(names).forEach(name => {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  });
  table.tHead.replaceChildren(head);
  const body = rows.slice().reverse().map(r => {
    const tr = document.createElement("tr");
    tr.className = r.d === r.predicted ? "right" : "wrong";
    [names[r.d], names[r.predicted]].forEach(name => {
      const td = document.createElement("td");
      td.textContent = name;
      tr.appendChild(td);
    });
    r.p.forEach((p, k) => {
      const td = document.createElement("td");
      td.className = "probability" + (k === r.d ? " truth" : "") + (k === r.predicted ? " predicted" : "");
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = Math.round(100 * (p === null ? 0 : p)) + "%";
      td.appendChild(bar);
      td.appendChild(document.createTextNode(fmt(p)));
      tr.appendChild(td);
    });
    return tr;
  });
  table.tBodies[0].replaceChildren(...body);
}

// The loss surface as contour lines (marching squares over the service's grid), with the path
// the two parameters took drawn on it, oldest faint, the latest as a dot.
function drawSurface(s) {
  text(el("surface-events"), String(s.events));
  text(el("surface-p1"), s.p1);
  text(el("surface-p2"), s.p2);
  const canvas = el("surface");
  const g = canvas.getContext("2d");
  const W = canvas.width;
  const H = canvas.height;
  const pad = 40;
  // the right margin holds the legend of the contour levels
  const legend = 84;
  const nx = s.x.length;
  const ny = s.y.length;
  const px = (v) => pad + (v - s.x[0]) / (s.x[nx - 1] - s.x[0]) * (W - 2 * pad - legend);
  const py = (v) => H - pad - (v - s.y[0]) / (s.y[ny - 1] - s.y[0]) * (H - 2 * pad);
  g.clearRect(0, 0, W, H);
  g.fillStyle = "#fff";
  g.fillRect(0, 0, W, H);

  const values = s.loss.flat().filter((v) => v !== null && v > 0);
  let lines = 0;
  let labelled = 0;
  g.font = "12px system-ui, sans-serif";
  if (values.length > 0) {
    const lo = Math.log(Math.min(...values));
    const hi = Math.log(Math.max(...values));
    const LEVELS = 14;
    const right = W - pad - legend;
    g.fillStyle = "#333";
    g.fillText("loss", right + 12, pad - 8);
    for (let k = 1; k < LEVELS; k++) {
      const level = Math.exp(lo + (hi - lo) * k / LEVELS);
      const color = "hsl(" + (240 - 200 * k / LEVELS) + ", 70%, 50%)";
      g.strokeStyle = color;
      g.lineWidth = 1;
      g.beginPath();
      for (let j = 0; j + 1 < ny; j++) {
        for (let i = 0; i + 1 < nx; i++) {
          lines += cell(g, s, i, j, level, px, py);
        }
      }
      g.stroke();
      // the legend, highest level on top: each line's colour and the loss it follows
      const y = pad + (LEVELS - 1 - k) * (H - 2 * pad) / (LEVELS - 2);
      g.lineWidth = 2;
      g.beginPath();
      g.moveTo(right + 12, y - 4);
      g.lineTo(right + 28, y - 4);
      g.stroke();
      g.fillStyle = "#333";
      g.fillText(fmt(level), right + 32, y);
      labelled++;
    }
  }

  g.strokeStyle = "#333";
  g.strokeRect(pad, pad, W - 2 * pad - legend, H - 2 * pad);
  g.fillStyle = "#333";
  g.fillText(s.p1 + " " + fmt(s.x[0]), pad, H - pad + 16);
  g.fillText(fmt(s.x[nx - 1]), W - pad - legend - 40, H - pad + 16);
  g.fillText(s.p2 + " " + fmt(s.y[0]), 4, H - pad - 4);
  g.fillText(fmt(s.y[ny - 1]), 4, pad + 12);

  if (s.paths) {
    drawVariantPaths(g, s.paths, px, py, pad);
    canvas.dataset.variants = String(Object.keys(s.paths).length);
    canvas.dataset.variantPoints = Object.values(s.paths).map((p) => p.length).join(",");
  }
  const path = s.paths ? [] : s.path;
  g.lineWidth = 1.5;
  for (let i = 1; i < path.length; i++) {
    g.strokeStyle = "rgba(0, 0, 0, " + (0.15 + 0.85 * i / path.length) + ")";
    g.beginPath();
    g.moveTo(px(path[i - 1][0]), py(path[i - 1][1]));
    g.lineTo(px(path[i][0]), py(path[i][1]));
    g.stroke();
  }
  if (path.length > 0) {
    const last = path[path.length - 1];
    g.fillStyle = "#d62728";
    g.beginPath();
    g.arc(px(last[0]), py(last[1]), 4, 0, 2 * Math.PI);
    g.fill();
  }
  canvas.dataset.pathPoints = String(s.path.length);
  canvas.dataset.contourSegments = String(lines);
  canvas.dataset.levels = String(labelled);
  canvas.dataset.last = s.path.length > 0 ? s.path[s.path.length - 1].join(",") : "";
}

// A race: each variant's path in its own colour on the one surface, its latest point a dot, and
// a legend in the corner: how a small rate crawls, a large one swings, a good one goes down.
const VARIANT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
  "#7b4173", "#3182bd"];

function drawVariantPaths(g, paths, px, py, pad) {
  // the last listed first, so that the first listed (a race's slowest setting, usually) lies on
  // top of a wide swing rather than under it
  const entries = Object.entries(paths);
  entries.slice().reverse().forEach(([name, path]) => {
    const v = entries.findIndex(([other]) => other === name);
    const colour = VARIANT_COLOURS[v % VARIANT_COLOURS.length];
    g.strokeStyle = colour;
    g.fillStyle = colour;
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    for (const point of path) {
      if (point[0] === null || point[1] === null) continue;
      if (started) {
        g.lineTo(px(point[0]), py(point[1]));
      } else {
        g.moveTo(px(point[0]), py(point[1]));
        started = true;
      }
    }
    g.stroke();
    const last = path[path.length - 1];
    if (last && last[0] !== null && last[1] !== null) {
      g.beginPath();
      g.arc(px(last[0]), py(last[1]), 4, 0, 2 * Math.PI);
      g.fill();
    }
    g.fillRect(pad + 8, pad + 8 + 16 * v, 12, 3);
    g.fillStyle = "#333";
    g.fillText(name, pad + 24, pad + 13 + 16 * v);
  });
}

// One cell of marching squares: the segments of the level line through it; returns how many.
function cell(g, s, i, j, level, px, py) {
  const v = [s.loss[j][i], s.loss[j][i + 1], s.loss[j + 1][i + 1], s.loss[j + 1][i]];
  if (v.some((x) => x === null)) return 0;
  const x0 = s.x[i];
  const x1 = s.x[i + 1];
  const y0 = s.y[j];
  const y1 = s.y[j + 1];
  const t = (a, b) => (level - a) / (b - a);
  // where the level crosses each edge: bottom, right, top, left
  const edges = [];
  if ((v[0] < level) !== (v[1] < level)) edges.push([x0 + t(v[0], v[1]) * (x1 - x0), y0]);
  if ((v[1] < level) !== (v[2] < level)) edges.push([x1, y0 + t(v[1], v[2]) * (y1 - y0)]);
  if ((v[3] < level) !== (v[2] < level)) edges.push([x0 + t(v[3], v[2]) * (x1 - x0), y1]);
  if ((v[0] < level) !== (v[3] < level)) edges.push([x0, y0 + t(v[0], v[3]) * (y1 - y0)]);
  for (let k = 0; k + 1 < edges.length; k += 2) {
    g.moveTo(px(edges[k][0]), py(edges[k][1]));
    g.lineTo(px(edges[k + 1][0]), py(edges[k + 1][1]));
  }
  return edges.length >> 1;
}

function failed(error) {
  state.failures++;
  setStatus(false, "reconnecting… (" + (error && error.message ? error.message : "no answer") + ")");
}

async function tick() {
  try {
    await overview();
    if (Date.now() - state.lastModels > 5000) await modelList();
    await modelView();
    state.failures = 0;
    setStatus(true, "live");
  } catch (e) {
    failed(e);
  }
  // back off while the service is away, up to 5 s; come back at once when it answers
  setTimeout(tick, state.failures === 0 ? 1000 : Math.min(5000, 1000 * state.failures));
}

let searchTimer = null;
el("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    state.search = el("search").value;
    state.page = 0;
    modelList().catch(failed);
  }, 250);
});
el("prev").addEventListener("click", () => {
  state.page = Math.max(0, state.page - 1);
  modelList().catch(failed);
});
el("next").addEventListener("click", () => {
  state.page++;
  modelList().catch(failed);
});
tick();
