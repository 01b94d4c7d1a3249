/* Self-assessment: the same scoring rules as builder/assessment.py (a browser test checks that
 * both give the same result for the same answers). Answers are kept in localStorage and can be
 * exported and imported as JSON: {"answers": {"question-id": "Level" | null}, "weights": {...}}.
 * Every text shown is set with textContent; nothing from the data is parsed as HTML.
 */
(function () {
  "use strict";
  var app = document.getElementById("assessment");
  if (!app) return;
  var data = JSON.parse(app.querySelector(".pa-data").textContent);
  var titles = JSON.parse(app.querySelector(".pa-titles").textContent);
  var KEY = "portal-assessment-v1";
  var CRITERIA = ["risk", "cost", "time", "value"];
  var form = app.querySelector(".pa-form");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function round2(x) {
    return Math.floor(x * 100 + 0.5 + 1e-9) / 100;
  }

  function levelOf(value) {
    if (value === null || value === undefined || value === "") return null;
    if (typeof value === "number") return value >= 1 && value <= 4 ? value : null;
    var i = data.levels.map(function (l) { return l.toLowerCase(); }).indexOf(String(value).trim().toLowerCase());
    return i >= 0 ? i + 1 : null;
  }

  function collect() {
    var answers = {};
    data.questions.forEach(function (q) {
      var checked = form.querySelector('input[name="' + q.id + '"]:checked');
      answers[q.id] = checked && checked.value ? data.levels[Number(checked.value) - 1] : null;
    });
    var weights = {};
    app.querySelectorAll(".pa-weight").forEach(function (input) {
      var v = Number(input.value);
      weights[input.dataset.criterion] = isFinite(v) && v >= 0 ? v : 1;
    });
    return { answers: answers, weights: weights };
  }

  function apply(state) {
    data.questions.forEach(function (q) {
      var level = levelOf((state.answers || {})[q.id]);
      var input = form.querySelector('input[name="' + q.id + '"][value="' + (level || "") + '"]');
      if (input) input.checked = true;
    });
    app.querySelectorAll(".pa-weight").forEach(function (input) {
      var w = (state.weights || {})[input.dataset.criterion];
      input.value = typeof w === "number" ? w : 1;
    });
    progress();
  }

  /* The scoring: see the docstring of builder/assessment.py. */
  function score(state) {
    var weights = state.weights;
    var total = CRITERIA.reduce(function (s, c) { return s + weights[c]; }, 0) || 1;
    var areas = [], backlog = [];
    data.areas.forEach(function (area) {
      var qs = data.questions.filter(function (q) { return q.area === area.id; });
      var given = qs.map(function (q) { return levelOf(state.answers[q.id]); }).filter(function (v) { return v !== null; });
      var mean = given.length ? round2(given.reduce(function (s, v) { return s + v; }, 0) / given.length) : null;
      var level = mean === null ? null : data.levels[Math.floor(mean) - 1];
      areas.push({ id: area.id, title: area.title, group: area.group, answered: given.length, questions: qs.length, score: mean, level: level });
      if (mean === null || mean >= 3) return;
      var estimate = CRITERIA.reduce(function (s, c) { return s + weights[c] * area.estimates[c]; }, 0) / total;
      var low = qs.filter(function (q) { var v = levelOf(state.answers[q.id]); return (v === null ? 4 : v) < 3; });
      var pages = [area.id], tasks = [];
      low.forEach(function (q) {
        q.pages.forEach(function (p) { if (pages.indexOf(p) < 0) pages.push(p); });
        q.tasks.forEach(function (t) { if (tasks.indexOf(t) < 0) tasks.push(t); });
      });
      backlog.push({
        area: area.id, title: area.title, level: level, score: mean,
        priority: round2((4 - mean) * estimate),
        statement: area.title + " is at the " + level + " level (score " + mean.toFixed(2) + " of 4). Problem: " +
          area.problem + " Opportunity: " + area.opportunity,
        pages: pages, tasks: tasks,
      });
    });
    backlog.sort(function (a, b) { return b.priority - a.priority || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0); });
    var waves = [];
    for (var i = 0; i < backlog.length; i += 3) waves.push(backlog.slice(i, i + 3).map(function (b) { return b.area; }));
    var unanswered = data.questions.filter(function (q) { return levelOf(state.answers[q.id]) === null; }).map(function (q) { return q.id; });
    return { areas: areas, backlog: backlog, waves: waves, unanswered: unanswered, weights: weights };
  }

  function link(id) {
    var a = el("a", titles[id] || id);
    a.href = id + ".html";
    return a;
  }

  function chart(areas) {
    var NS = "http://www.w3.org/2000/svg";
    var rowH = 22, labelW = 260, barW = 360;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + (labelW + barW + 120) + " " + (areas.length * rowH + 30));
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Maturity level per area, from Basic (1) to Dynamic (4); the table below has the same figures");
    data.levels.forEach(function (name, i) {
      var x = labelW + (barW * (i + 1)) / 4;
      var line = document.createElementNS(NS, "line");
      line.setAttribute("x1", x); line.setAttribute("x2", x); line.setAttribute("y1", 14); line.setAttribute("y2", areas.length * rowH + 22);
      line.setAttribute("stroke", "#ccc");
      svg.appendChild(line);
      var t = document.createElementNS(NS, "text");
      t.setAttribute("x", x - 4); t.setAttribute("y", 11); t.setAttribute("text-anchor", "end"); t.setAttribute("class", "pa-axis");
      t.textContent = name;
      svg.appendChild(t);
    });
    areas.forEach(function (a, i) {
      var y = 18 + i * rowH;
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", labelW - 8); label.setAttribute("y", y + 14); label.setAttribute("text-anchor", "end"); label.setAttribute("class", "pa-label");
      label.textContent = a.title;
      svg.appendChild(label);
      if (a.score === null) return;
      var bar = document.createElementNS(NS, "rect");
      bar.setAttribute("x", labelW); bar.setAttribute("y", y + 3);
      bar.setAttribute("width", (barW * a.score) / 4); bar.setAttribute("height", 14);
      bar.setAttribute("fill", a.score < 2 ? "#D55E00" : a.score < 3 ? "#E69F00" : "#009E73");
      svg.appendChild(bar);
      var v = document.createElementNS(NS, "text");
      v.setAttribute("x", labelW + (barW * a.score) / 4 + 6); v.setAttribute("y", y + 14); v.setAttribute("class", "pa-label");
      v.textContent = a.score.toFixed(2) + " " + a.level;
      svg.appendChild(v);
    });
    return svg;
  }

  function show(report) {
    var results = app.querySelector(".pa-results");
    results.hidden = false;
    var box = results.querySelector(".pa-chart");
    box.textContent = "";
    box.appendChild(chart(report.areas));
    var body = results.querySelector(".pa-levels tbody");
    body.textContent = "";
    report.areas.forEach(function (a) {
      var tr = el("tr");
      tr.dataset.area = a.id;
      var name = el("td"); name.appendChild(link(a.id)); tr.appendChild(name);
      tr.appendChild(el("td", a.level || "not scored", "pa-level"));
      tr.appendChild(el("td", a.score === null ? "" : a.score.toFixed(2), "pa-score"));
      tr.appendChild(el("td", a.answered + "/" + a.questions));
      body.appendChild(tr);
    });
    var w = report.weights;
    results.querySelector(".pa-backlog-note").textContent =
      "Ranked by priority = (4 - score) × weighted estimate; weights risk " + w.risk + ", cost " + w.cost +
      ", time " + w.time + ", value " + w.value + ".";
    var list = results.querySelector(".pa-backlog");
    list.textContent = "";
    report.backlog.forEach(function (b) {
      var li = el("li");
      li.dataset.area = b.area;
      li.appendChild(el("strong", b.title + " (priority " + b.priority.toFixed(2) + ")"));
      li.appendChild(el("p", b.statement));
      var read = el("p", "Read: ");
      b.pages.forEach(function (p, i) { if (i) read.appendChild(document.createTextNode(", ")); read.appendChild(link(p)); });
      li.appendChild(read);
      if (b.tasks.length) {
        var doit = el("p", "Do: ");
        b.tasks.forEach(function (t, i) { if (i) doit.appendChild(document.createTextNode(", ")); doit.appendChild(link(t)); });
        li.appendChild(doit);
      }
      list.appendChild(li);
    });
    if (!report.backlog.length) list.appendChild(el("li", "No area is below the Rationalized level."));
    var waves = results.querySelector(".pa-waves");
    waves.textContent = "";
    report.waves.forEach(function (wave, i) {
      var names = wave.map(function (id) { return data.areas.filter(function (a) { return a.id === id; })[0].title; });
      waves.appendChild(el("li", "Quarter " + (i + 1) + ": " + names.join("; ")));
    });
    results.querySelector(".pa-unanswered").textContent = report.unanswered.length
      ? report.unanswered.length + " questions unanswered (left out of the scores)."
      : "Every question is answered.";
  }

  function progress() {
    var state = collect();
    var answered = Object.keys(state.answers).filter(function (k) { return state.answers[k]; }).length;
    app.querySelector(".pa-bar").value = answered;
    app.querySelector(".pa-count").textContent = answered + " of " + data.questions.length + " answered";
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage may be off */ }
    return state;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", progress);
  app.querySelector(".pa-show").addEventListener("click", function () {
    var report = score(progress());
    show(report);
    app.querySelector("#results").scrollIntoView();
  });
  app.querySelector(".pa-export").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(progress(), null, 2)], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "assessment-answers.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  app.querySelector(".pa-import").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    file.text().then(function (text) {
      try {
        apply(JSON.parse(text));
        show(score(progress()));
      } catch (e) {
        app.querySelector(".pa-count").textContent = "That file is not an answers file: " + e.message;
      }
    });
  });
  app.querySelector(".pa-clear").addEventListener("click", function () {
    apply({ answers: {}, weights: {} });
    app.querySelector(".pa-results").hidden = true;
  });

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
  if (saved) apply(saved);
  else progress();
  window.portalAssessment = { score: function (state) { return score(state); }, collect: collect };
})();
