/* Interactive maps of the ITSM guidance portal.
 *
 * Each .portal-map-app element carries its network as JSON (positions computed at build
 * time). This script draws it with vis-network (loaded from the site's own assets), and wires
 * the find box, the filters, the physics toggle, fullscreen and ?focus= / #focus= deep links.
 * Every label and tooltip is set as text: nothing from the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  var maps = (window.portalMaps = window.portalMaps || []);
  var DRAWN = "portal-map-drawn";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Tooltips: vis-network shows an element's `title` element after the pointer rests on it
   * (tooltipDelay). Each starts empty and is filled on the element's hover event, which comes
   * first: making every tooltip up front delayed the first frame of big maps. */
  function lazyTip(fill) {
    var tip = el("div", "pm-tip");
    tip.fill = fill;
    return tip;
  }

  function fillTip(item) {
    var tip = item && item.title;
    if (tip && tip.fill) {
      tip.fill(tip);
      tip.fill = null;
    }
  }

  function nodeTip(n) {
    return lazyTip(function (tip) {
      tip.appendChild(el("strong", "", n.name));
      tip.appendChild(el("div", "pm-tip-meta", [n.kind, n.fwTitle || n.framework].filter(Boolean).join(" · ")));
      if (n.summary) tip.appendChild(el("div", "pm-tip-summary", n.summary));
    });
  }

  function edgeTip(e) {
    return lazyTip(function (tip) {
      var head = e.relation.replace(/-/g, " ") + (e.strength ? " (strength " + e.strength + "/10)" : "");
      tip.appendChild(el("strong", "", head));
      if (e.rationale) tip.appendChild(el("div", "pm-tip-summary", e.rationale));
    });
  }

  function row(cells) {
    var tr = el("tr");
    cells.forEach(function (cell) {
      var td = el("td");
      td.appendChild(typeof cell === "string" ? document.createTextNode(cell) : cell);
      tr.appendChild(td);
    });
    return tr;
  }

  function table(heads, rows) {
    var t = el("table");
    var head = t.appendChild(el("thead")).appendChild(el("tr"));
    heads.forEach(function (h) { head.appendChild(el("th", "", h)); });
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (r) { body.appendChild(row(r)); });
    return t;
  }

  /* The text alternative: every element and every link of the map, as two tables, made from
   * the same data as the network (so that they cannot disagree) when the reader first opens
   * them; building them before the first frame delayed every map. */
  function buildTable(details, data, nodes) {
    var sorted = nodes.get().sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    var elements = table(["Element", "Kind", "Framework"], sorted.map(function (n) {
      var link = el("a", "", n.name);
      link.href = n.url;
      return [link, n.kind, n.fwTitle || n.framework];
    }));
    var links = table(["From", "Relation", "To", "Strength"], data.edges.map(function (e) {
      var from = nodes.get(e.from), to = nodes.get(e.to);
      return [from ? from.name : e.from, e.relation.replace(/-/g, " "), to ? to.name : e.to, e.strength ? String(e.strength) : ""];
    }));
    var placeholder = details.querySelector(".pm-table-body");
    if (placeholder) placeholder.remove();
    [elements, links].forEach(function (t) {
      // The wrappers Material puts around the tables of a page, for the same look and scrolling.
      var wrap = el("div", "md-typeset__scrollwrap");
      wrap.appendChild(el("div", "md-typeset__table")).appendChild(t);
      details.appendChild(wrap);
    });
    details.dataset.built = "true";
  }

  function focusRequest() {
    var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var query = new URLSearchParams(window.location.search);
    return hash.get("focus") || query.get("focus");
  }

  function init(app) {
    var data = JSON.parse(app.querySelector(".pm-data").textContent);
    var canvas = app.querySelector(".pm-canvas");
    var status = app.querySelector(".pm-status");
    var titles = data.frameworks || {};
    var hiddenFrameworks = new Set();
    var hiddenRelations = new Set();
    var minStrength = 0;

    var styles = data.styles;
    var nodes = new vis.DataSet(
      data.nodes.map(function (n) {
        var style = styles.frameworks[n.framework] || styles.other;
        var current = n.id === data.current;
        var copy = Object.assign({}, n, {
          name: n.label.replace(/\n/g, " "),
          fwTitle: titles[n.framework],
          url: data.prefix + n.id + ".html",
          shape: style[1],
          // An organisation overlay's own element (or one it has not adopted) has its tint.
          color: {
            background: n.tint ? n.tint[0] : style[0],
            border: current ? "#222222" : n.tint ? n.tint[1] : style[0],
          },
          borderWidth: current ? 4 : 1,
          size: current ? 22 : 14,
          physics: false,
        });
        copy.title = nodeTip(copy);
        return copy;
      })
    );
    var edges = new vis.DataSet(
      data.edges.map(function (e, i) {
        var style = styles.relations[e.relation] || styles.relations["links-to"];
        var strength = e.strength || 0;
        return Object.assign({ id: "e" + i }, e, {
          strength: strength,
          rationale: e.rationale || "",
          dashes: style[0],
          color: { color: style[1] },
          width: strength ? 1 + strength / 2.5 : 1,
          arrows: e.relation === "equal" || e.relation === "intersects-with" ? "" : "to",
          title: edgeTip(Object.assign({ rationale: "" }, e)),
        });
      })
    );
    var nodeView = new vis.DataView(nodes, {
      filter: function (n) { return !hiddenFrameworks.has(n.framework); },
    });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) {
        return !hiddenRelations.has(e.relation) && (!e.strength || e.strength >= minStrength);
      },
    });
    var network = new vis.Network(canvas, { nodes: nodeView, edges: edgeView }, {
      physics: { enabled: false, stabilization: false },
      layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 120, keyboard: { enabled: true, bindToWindow: false } },
      nodes: { font: { size: 13, face: "system-ui, sans-serif" }, size: 14 },
      edges: { smooth: false, selectionWidth: 2 },
    });

    function visibleLinks() {
      var shown = new Set(nodeView.getIds());
      return edgeView.get().filter(function (e) { return shown.has(e.from) && shown.has(e.to); }).length;
    }

    function report(extra) {
      if (!status) return;
      status.textContent =
        "Showing " + nodeView.length + " of " + nodes.length + " elements and " +
        visibleLinks() + " of " + edges.length + " links." + (extra ? " " + extra : "");
    }

    function select(id, updateAddress) {
      var node = nodes.get(id);
      if (!node) return false;
      network.selectNodes([id]);
      if (!app.classList.contains("pm-local")) network.focus(id, { scale: 0.9, animation: false });
      if (updateAddress && !app.classList.contains("pm-local")) {
        history.replaceState(null, "", "#focus=" + encodeURIComponent(id));
      }
      report("Selected: " + node.name + ".");
      app.dataset.selected = id;
      return true;
    }

    /* When the first map of the page is first drawn, as a User Timing mark (since the
     * navigation started): what `make bench` reports as a map's first render. */
    network.once("afterDrawing", function () {
      if (window.performance && performance.mark && !performance.getEntriesByName(DRAWN).length) {
        performance.mark(DRAWN);
      }
    });

    network.on("hoverNode", function (params) { fillTip(nodes.get(params.node)); });
    network.on("hoverEdge", function (params) { fillTip(edges.get(params.edge)); });

    network.on("click", function (params) {
      if (params.nodes.length) {
        var node = nodes.get(params.nodes[0]);
        if (node && node.url) window.location.href = node.url;
      }
    });

    network.on("beforeDrawing", function (ctx) {
      (data.lanes || []).forEach(function (lane) {
        ctx.save();
        ctx.fillStyle = "rgba(63, 81, 181, 0.06)";
        ctx.fillRect(lane.x - 40, -40, 300, 100000);
        ctx.fillStyle = "#303f9f";
        ctx.font = "bold 18px system-ui, sans-serif";
        ctx.fillText(lane.title, lane.x - 30, 20);
        ctx.restore();
      });
    });

    var find = app.querySelector(".pm-find");
    if (find) {
      find.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        var wanted = find.value.trim().toLowerCase();
        if (!wanted) return;
        var all = nodes.get();
        var match =
          all.find(function (n) { return n.name.toLowerCase() === wanted || n.id === wanted; }) ||
          all.find(function (n) { return n.name.toLowerCase().indexOf(wanted) === 0; }) ||
          all.find(function (n) { return n.name.toLowerCase().indexOf(wanted) >= 0; });
        if (!match || !select(match.id, true)) report("No element matches \u201c" + find.value + "\u201d.");
      });
    }

    /* A checkbox filter: unchecked values go into `hidden`, then `view` is refiltered. */
    function filter(selector, hidden, view) {
      app.querySelectorAll(selector).forEach(function (box) {
        box.addEventListener("change", function () {
          if (box.checked) hidden.delete(box.value);
          else hidden.add(box.value);
          view.refresh();
          report();
        });
      });
    }
    filter(".pm-framework", hiddenFrameworks, nodeView);
    filter(".pm-relation", hiddenRelations, edgeView);
    var strength = app.querySelector(".pm-strength");
    if (strength) {
      strength.addEventListener("input", function () {
        minStrength = Number(strength.value);
        var out = app.querySelector(".pm-strength-value");
        if (out) out.textContent = strength.value;
        edgeView.refresh();
        report();
      });
    }
    var physics = app.querySelector(".pm-physics");
    if (physics) {
      physics.addEventListener("change", function () {
        network.setOptions({ physics: { enabled: physics.checked } });
      });
    }
    var full = app.querySelector(".pm-fullscreen");
    if (full) {
      full.addEventListener("click", function () {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (app.requestFullscreen) app.requestFullscreen();
      });
    }
    var copy = app.querySelector(".pm-copy");
    if (copy) {
      copy.addEventListener("click", function () {
        var link = window.location.href;
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(link).then(
            function () { report("Link copied."); },
            function () { report("Copy this link: " + link); }
          );
        } else {
          report("Copy this link: " + link);
        }
      });
    }

    var details = document.querySelector('.pm-table[data-map="' + app.dataset.map + '"]');
    if (details) {
      var build = function () {
        if (details.open && !details.dataset.built) buildTable(details, data, nodes);
      };
      details.addEventListener("toggle", build);
      build();
    }

    var wanted = app.classList.contains("pm-local") ? app.dataset.current : focusRequest();
    report();
    if (wanted && !select(wanted, false) && !app.classList.contains("pm-local")) {
      report("No element with id \u201c" + wanted + "\u201d on this map.");
    }
    app.classList.add("pm-ready");
    maps.push({ app: app, network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView });
  }

  function start() {
    if (typeof vis === "undefined") return;
    document.querySelectorAll(".portal-map-app:not(.pm-ready)").forEach(init);
  }

  /* The page places this script after its maps, so they are drawn at once, before Material's
   * bundle runs (about 90 ms sooner than waiting for DOMContentLoaded); a map placed after the
   * script is drawn then. */
  start();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
})();
