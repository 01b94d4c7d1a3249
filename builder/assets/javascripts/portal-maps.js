/* Interactive maps of the ITSM guidance portal.
 *
 * Each .portal-map-app element carries its map as JSON: nodes with their positions in a wide
 * and a narrow layout, lines, and every style (colours, shapes, sizes, line widths, palettes),
 * all decided at build time (builder/render/maps.py). This script only draws them with
 * vis-network (loaded from the site's own assets) and wires the controls: find, filters,
 * zoom, presenter mode, keyboard, the details panel and ?focus= / #focus= links.
 * Every label and tooltip is set as text: nothing from the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  var maps = (window.portalMaps = window.portalMaps || []);
  var DRAWN = "portal-map-drawn";
  var FONT = 14; /* label size at scale 1 (maplayout.FONT) */
  var LINE = 17;
  var FACE = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  /* Labels are never drawn smaller than this on screen (px). Presenting, the map may zoom
   * further to fill a large screen (MAX_SCALE). */
  var MIN_LABEL = 12;
  var MAX_SCALE = { page: 1.3, present: 2.6 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function norm(text) {
    return String(text || "").toLowerCase().replace(/[\s_\-]+/g, " ").trim();
  }

  /* Tooltips: vis-network shows an element's `title` element after the pointer rests on it.
   * Each starts empty and is filled on the element's hover event, which comes first. */
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

  function table(heads, rows) {
    var t = el("table");
    var head = t.appendChild(el("thead")).appendChild(el("tr"));
    heads.forEach(function (h) { head.appendChild(el("th", "", h)); });
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (cells) {
      var tr = body.appendChild(el("tr"));
      cells.forEach(function (cell) {
        tr.appendChild(el("td")).appendChild(typeof cell === "string" ? document.createTextNode(cell) : cell);
      });
    });
    return t;
  }

  /* The text alternative: every element and line of the map as two tables, made from the same
   * data when the reader first opens them. */
  function buildTable(details, map) {
    var sorted = map.nodes.get().sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    var elements = table(["Element", "Kind", "Framework"], sorted.map(function (n) {
      var link = el("a", "", n.name);
      link.href = n.url;
      return [link, n.kind, map.fwTitle(n)];
    }));
    var lines = table(["From", "Relation", "To", "Strength"], map.data.edges.map(function (e) {
      var from = map.nodes.get(e.from), to = map.nodes.get(e.to);
      return [from ? from.name : e.from, map.relLabel(e.relation), to ? to.name : e.to, e.strength ? String(e.strength) : ""];
    }));
    var placeholder = details.querySelector(".pm-table-body");
    if (placeholder) placeholder.remove();
    [elements, lines].forEach(function (t) {
      var wrap = el("div", "md-typeset__scrollwrap");
      wrap.appendChild(el("div", "md-typeset__table")).appendChild(t);
      details.appendChild(wrap);
    });
    details.dataset.built = "true";
  }

  /* The state a link carries: focus, hidden frameworks and lines, minimum strength, presenting. */
  function readAddress() {
    var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var query = new URLSearchParams(window.location.search);
    function get(key) { return hash.has(key) ? hash.get(key) : query.get(key); }
    function list(key) { return (get(key) || "").split(",").filter(Boolean); }
    return {
      focus: get("focus"),
      hide: list("hide"),
      off: list("off"),
      min: Number(get("min")) || 0,
      present: get("present") === "1",
    };
  }

  /* --- Drawing ------------------------------------------------------------------------ */

  function shapePath(ctx, style, x, y, r) {
    ctx.beginPath();
    if (!style.points || !style.points.length) {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    } else {
      style.points.forEach(function (p, i) {
        if (i) ctx.lineTo(x + p[0] * r, y + p[1] * r);
        else ctx.moveTo(x + p[0] * r, y + p[1] * r);
      });
      ctx.closePath();
    }
  }

  function drawLabel(ctx, map, n, x, y, selected) {
    var pal = map.palette();
    var place = n[map.layoutName];
    var lines = String(place[2]).split("\n");
    var side = place[3] || "right";
    var bold = selected || n.id === map.data.current;
    ctx.font = (bold ? "600 " : "") + FONT + "px " + FACE;
    ctx.textBaseline = "middle";
    var gap = n.size + 6;
    var align = side === "left" ? "right" : side === "above" ? "center" : "left";
    var tx = side === "left" ? x - gap : side === "above" ? x : x + gap;
    var first = side === "above" ? y - gap - (lines.length - 0.5) * LINE : y - ((lines.length - 1) * LINE) / 2;
    ctx.textAlign = align;
    var most = map.layout().label + 2;
    lines.forEach(function (line, i) {
      var w = ctx.measureText(line).width;
      /* The layout estimated the width of each line; a face wider than the estimate would run
       * a label into its neighbour, so such a line is cut short (the full name is on hover). */
      while (w > most && line.length > 2) {
        line = line.slice(0, -2).replace(/\s+$/, "") + "\u2026";
        w = ctx.measureText(line).width;
      }
      var left = align === "right" ? tx - w : align === "center" ? tx - w / 2 : tx;
      var ly = first + i * LINE;
      ctx.fillStyle = pal.halo;
      ctx.fillRect(left - 2, ly - LINE / 2, w + 4, LINE);
      ctx.fillStyle = n.tint === "hidden" ? pal.group : pal.label;  // greyed, still AA
      ctx.fillText(line, tx, ly);
    });
  }

  function renderer(map) {
    return function (p) {
      var n = map.nodes.get(p.id);
      var style = map.data.frameworks[n.framework];
      var r = n.size;
      var selected = p.state.selected;
      return {
        drawNode: function () {
          var ctx = p.ctx, pal = map.palette();
          if (selected || p.state.hover) {
            ctx.beginPath();
            ctx.arc(p.x, p.y, r + 5, 0, 2 * Math.PI);
            ctx.lineWidth = selected ? 3 : 1.5;
            ctx.strokeStyle = pal.ring;
            ctx.stroke();
          }
          shapePath(ctx, style, p.x, p.y, r);
          var ring = style.shape === "ring";
          // An organisation overlay's own element, or one it has not adopted, has its tint
          // (fill and border of the scheme); a tinted ring is drawn in the tint's border.
          var tint = n.tint && map.data.tints[n.tint][scheme()];
          var fill = tint ? tint[0] : style.colour, border = tint ? tint[1] : style.border;
          ctx.fillStyle = ring ? pal.background : fill;
          ctx.fill();
          ctx.lineWidth = ring ? 3 : n.id === map.data.current ? 3 : tint ? 1.5 : 1.2;
          ctx.strokeStyle = n.id === map.data.current ? pal.current : ring ? (tint ? border : fill) : border;
          ctx.stroke();
        },
        drawExternalLabel: function () { drawLabel(p.ctx, map, n, p.x, p.y, selected); },
        nodeDimensions: { width: 2 * r, height: 2 * r },
      };
    };
  }

  function drawBackdrop(ctx, map) {
    var layout = map.layout(), pal = map.palette();
    layout.bands.forEach(function (b) {
      ctx.fillStyle = pal.band;
      ctx.fillRect(b.x, b.y, b.w, b.h);
    });
    layout.captions.forEach(function (c) {
      ctx.font = (c.bold ? "700 " + (FONT + 1) : FONT - 1) + "px " + FACE;
      ctx.textAlign = c.align === "end" ? "right" : "left";
      ctx.textBaseline = "top";
      String(c.text).split("\n").forEach(function (line, i) {
        var w = ctx.measureText(line).width;
        ctx.fillStyle = pal.halo;
        ctx.fillRect(c.align === "end" ? c.x - w - 2 : c.x - 2, c.y + i * (LINE + 2) - 1, w + 4, LINE + 1);
        ctx.fillStyle = c.bold ? pal.caption : pal.group;
        ctx.fillText(line, c.x, c.y + i * (LINE + 2));
      });
    });
  }

  /* --- One map ------------------------------------------------------------------------- */

  function init(app) {
    var data = JSON.parse(app.querySelector(".pm-data").textContent);
    var canvas = app.querySelector(".pm-canvas");
    var status = app.querySelector(".pm-status");
    var details = app.querySelector(".pm-details");
    var local = app.classList.contains("pm-local");
    var hiddenFrameworks = new Set();
    var hiddenRelations = new Set();
    var minStrength = 0;
    var map = { app: app, data: data, layoutName: null, present: false };

    map.palette = function () { return data.palette[scheme()]; };
    map.layout = function () { return data.layouts[map.layoutName]; };
    map.fwTitle = function (n) { return (data.frameworks[n.framework] || {}).title || n.framework; };
    map.relLabel = function (rel) { return (data.relations[rel] || {}).label || rel.replace(/-/g, " "); };

    function nodeTip(n) {
      return lazyTip(function (tip) {
        tip.appendChild(el("strong", "", n.name));
        tip.appendChild(el("div", "pm-tip-meta", [n.kind, map.fwTitle(n)].filter(Boolean).join(" · ")));
        if (n.summary) tip.appendChild(el("div", "pm-tip-summary", n.summary));
      });
    }

    function edgeStyle(e) {
      var style = data.relations[e.relation] || {};
      return {
        color: { color: style[scheme()] || "#999999", highlight: map.palette().ring, hover: style[scheme()] },
        dashes: style.dashes || false,
        arrows: { to: { enabled: style.arrow !== false, scaleFactor: 0.6 } },
      };
    }

    /* A narrow layout's label lines are 0 where they are the wide layout's. */
    data.nodes.forEach(function (n) {
      if (n.narrow[2] === 0) n.narrow[2] = n.wide[2];
    });
    /* The wide layout when its labels fit at their least size, else the narrow one. */
    function layoutFor(width) {
      return width >= (data.layouts.wide.width * MIN_LABEL) / FONT ? "wide" : "narrow";
    }
    /* Lines between two nodes of one column bow out of it (the bend is per layout). */
    function smooth(e) {
      var bend = e.bend && e.bend[map.layoutName];
      return bend ? { enabled: true, type: bend[0], roundness: bend[1] } : false;
    }
    map.layoutName = layoutFor(canvas.clientWidth || 600);

    var nodes = new vis.DataSet(
      data.nodes.map(function (n) {
        var place = n[map.layoutName];
        var copy = Object.assign({}, n, {
          url: data.prefix + n.id + ".html",
          shape: "custom",
          physics: false,
          x: place[0],
          y: place[1],
        });
        copy.title = nodeTip(copy);
        return copy;
      })
    );
    /* Lines name their nodes by place in data.nodes (a smaller page). */
    data.edges.forEach(function (e) {
      e.from = data.nodes[e.from].id;
      e.to = data.nodes[e.to].id;
    });
    var edges = new vis.DataSet(
      data.edges.map(function (e, i) {
        return Object.assign({ id: "e" + i, smooth: smooth(e) }, e, edgeStyle(e), {
          title: lazyTip(function (tip) {
            tip.appendChild(el("strong", "", map.relLabel(e.relation) + (e.strength ? " (strength " + e.strength + "/10)" : "")));
            if (e.rationale) tip.appendChild(el("div", "pm-tip-summary", e.rationale));
          }),
        });
      })
    );
    var nodeView = new vis.DataView(nodes, {
      filter: function (n) { return !hiddenFrameworks.has(n.framework); },
    });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) {
        if (map.layoutName && map.layout().lines === "selected") {
          var chosen = app.dataset.selected;
          if (e.from !== chosen && e.to !== chosen) return false;
        }
        return !hiddenRelations.has(e.relation) && (!e.strength || e.strength >= minStrength);
      },
    });
    map.nodes = nodes;
    map.edges = edges;
    map.nodeView = nodeView;
    map.edgeView = edgeView;

    /* Choose the layout that fits, place the nodes, size the canvas so that the whole drawing
     * shows with labels at least MIN_LABEL px high (the page scrolls), and return the scale. */
    function arrange() {
      var width = canvas.clientWidth || 600;
      var least = MIN_LABEL / FONT;
      var name = layoutFor(width);
      if (name !== map.layoutName) {
        map.layoutName = name;
        nodes.update(data.nodes.map(function (n) { return { id: n.id, x: n[name][0], y: n[name][1] }; }));
        edges.update(data.edges.map(function (e, i) { return { id: "e" + i, smooth: smooth(e) }; }));
        edgeView.refresh();
      }
      var layout = map.layout();
      var scale = Math.max(least, Math.min(MAX_SCALE[map.present ? "present" : "page"], width / layout.width));
      var height = map.present ? canvas.clientHeight : Math.ceil(layout.height * scale) + 2;
      if (!map.present) canvas.style.height = height + "px";
      return { scale: scale, width: width, height: height, layout: layout };
    }

    function fit() {
      var a = arrange();
      if (map.network) {
        map.network.setSize("100%", a.height + "px");
        /* Centred when the drawing is narrower than the canvas, else its left edge at the left. */
        var cx = a.width / a.scale >= a.layout.width ? a.layout.width / 2 : a.width / (2 * a.scale);
        map.network.moveTo({ position: { x: cx, y: a.height / (2 * a.scale) }, scale: a.scale, animation: false });
      }
      return a;
    }

    var first = arrange();
    canvas.style.height = first.height + "px";
    var network = new vis.Network(canvas, { nodes: nodeView, edges: edgeView }, {
      autoResize: true,
      physics: { enabled: false, stabilization: false },
      layout: { improvedLayout: false },
      interaction: {
        hover: true,
        tooltipDelay: 150,
        keyboard: false,
        zoomView: false,
        dragView: true,
        selectConnectedEdges: true,
      },
      nodes: { shape: "custom", ctxRenderer: renderer(map), size: 9 },
      edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 },
    });
    map.network = network;
    fit();

    network.once("afterDrawing", function () {
      if (window.performance && performance.mark && !performance.getEntriesByName(DRAWN).length) {
        performance.mark(DRAWN);
      }
    });
    network.on("beforeDrawing", function (ctx) { drawBackdrop(ctx, map); });
    network.on("hoverNode", function (params) { fillTip(nodes.get(params.node)); });
    network.on("hoverEdge", function (params) { fillTip(edges.get(params.edge)); });

    function visibleLinks() {
      var shown = new Set(nodeView.getIds());
      return edgeView.get().filter(function (e) { return shown.has(e.from) && shown.has(e.to); }).length;
    }

    function report(extra) {
      if (!status) return;
      var hint = map.layout().lines === "selected" && !app.dataset.selected
        ? " Select an element to draw its lines."
        : "";
      status.textContent = local && !extra
        ? ""
        : "Showing " + nodeView.length + " of " + nodes.length + " elements and " +
          visibleLinks() + " of " + edges.length + " links." + (extra ? " " + extra : hint);
    }

    /* --- Selection and details --- */

    function counterparts(id) {
      return edges.get()
        .filter(function (e) { return e.from === id || e.to === id; })
        .map(function (e) {
          var other = nodes.get(e.from === id ? e.to : e.from);
          var style = data.relations[e.relation] || {};
          var words = e.from === id ? map.relLabel(e.relation) : style.back || map.relLabel(e.relation);
          return { node: other, text: words, strength: e.strength };
        })
        .filter(function (c) { return c.node; });
    }

    function showDetails(n) {
      if (!details) return;
      details.textContent = "";
      var close = details.appendChild(el("button", "pm-button pm-close", "\u00d7"));
      close.type = "button";
      close.setAttribute("aria-label", "Close the details");
      close.addEventListener("click", function () { deselect(); canvas.focus(); });
      details.appendChild(el("h3", "pm-details-title", n.name));
      details.appendChild(el("p", "pm-details-meta", [n.kind, map.fwTitle(n)].filter(Boolean).join(" · ")));
      if (n.summary) details.appendChild(el("p", "pm-details-summary", n.summary));
      var links = counterparts(n.id);
      if (links.length) {
        details.appendChild(el("p", "pm-details-head", "On this map (" + links.length + ")"));
        var list = details.appendChild(el("ul", "pm-details-list"));
        links.forEach(function (c) {
          var item = list.appendChild(el("li"));
          item.appendChild(document.createTextNode(c.text + ": "));
          var go = item.appendChild(el("button", "pm-link", c.node.name));
          go.type = "button";
          go.addEventListener("click", function () { select(c.node.id, true); });
          if (c.strength) item.appendChild(document.createTextNode(" (" + c.strength + "/10)"));
        });
      }
      var open = details.appendChild(el("a", "pm-button pm-open", "Open the page"));
      open.href = n.url;
      details.hidden = false;
    }

    function deselect() {
      network.unselectAll();
      delete app.dataset.selected;
      if (map.layout().lines === "selected") edgeView.refresh();
      if (details) details.hidden = true;
      report();
    }

    /* Bring a node into view: scroll the page when the whole map shows, else pan. */
    function reveal(id) {
      var pos = network.getPositions([id])[id];
      var dom = network.canvasToDOM(pos);
      var box = canvas.getBoundingClientRect();
      if (dom.x < 0 || dom.y < 0 || dom.x > box.width || dom.y > box.height) {
        network.moveTo({ position: pos, scale: network.getScale(), animation: false });
        dom = network.canvasToDOM(pos);
      }
      var y = box.top + dom.y;
      if (!map.present && (y < 60 || y > window.innerHeight - 40)) {
        window.scrollBy(0, y - window.innerHeight / 2);
      }
    }

    function select(id, updateAddress) {
      var node = nodes.get(id);
      if (!node) return false;
      if (hiddenFrameworks.has(node.framework)) {
        hiddenFrameworks.delete(node.framework);
        var box = app.querySelector('.pm-framework[value="' + node.framework + '"]');
        if (box) box.checked = true;
        nodeView.refresh();
      }
      app.dataset.selected = id;
      if (map.layout().lines === "selected") edgeView.refresh();
      network.selectNodes([id]);
      reveal(id);
      if (updateAddress && !local) writeAddress(id);
      report("Selected: " + node.name + ".");
      showDetails(node);
      return true;
    }

    map.select = select;

    /* --- Links: focus by id, alias, acronym or title --- */

    function resolve(wanted) {
      var key = norm(wanted);
      if (!key) return [];
      var all = nodes.get();
      var exact = all.filter(function (n) { return n.id === wanted || norm(n.id) === key; });
      if (exact.length) return exact;
      var named = all.filter(function (n) {
        return norm(n.name) === key || norm(n[map.layoutName][2]) === key ||
          (n.aliases || []).some(function (a) { return norm(a) === key; });
      });
      if (named.length) return named;
      var starts = all.filter(function (n) { return norm(n.name).indexOf(key) === 0; });
      if (starts.length) return starts;
      return all.filter(function (n) { return norm(n.name).indexOf(key) >= 0; });
    }

    var choices = app.querySelector(".pm-choices");
    var find = app.querySelector(".pm-find");

    function focusOn(wanted, updateAddress) {
      if (choices) { choices.hidden = true; choices.textContent = ""; }
      var found = resolve(wanted);
      if (found.length === 1) return select(found[0].id, updateAddress);
      if (found.length > 1 && choices) {
        report(found.length + " elements match \u201c" + wanted + "\u201d: choose one.");
        choices.appendChild(el("span", "", "Did you mean: "));
        found.slice(0, 12).forEach(function (n) {
          var b = choices.appendChild(el("button", "pm-button pm-choice", n.name + " (" + map.fwTitle(n) + ")"));
          b.type = "button";
          b.dataset.id = n.id;
          b.addEventListener("click", function () {
            choices.hidden = true;
            select(n.id, true);
          });
        });
        choices.hidden = false;
        return false;
      }
      report("No element called \u201c" + wanted + "\u201d on this map. Try Find, above.");
      if (find) {
        find.value = wanted;
        find.classList.add("pm-attention");
      }
      return false;
    }

    function stateParams(id) {
      var params = new URLSearchParams();
      if (id) params.set("focus", id);
      if (hiddenFrameworks.size) params.set("hide", Array.from(hiddenFrameworks).sort().join(","));
      if (hiddenRelations.size) params.set("off", Array.from(hiddenRelations).sort().join(","));
      if (minStrength) params.set("min", String(minStrength));
      if (map.present) params.set("present", "1");
      return params.toString().replace(/%2C/g, ",");
    }

    var written = null;
    function writeAddress(id) {
      var hash = stateParams(id === undefined ? app.dataset.selected : id);
      written = hash ? "#" + hash : "";
      history.replaceState(null, "", window.location.pathname + window.location.search + written);
    }

    /* --- Controls --- */

    function onFilter(selector, hidden, view) {
      app.querySelectorAll(selector).forEach(function (box) {
        box.addEventListener("change", function () {
          if (box.checked) hidden.delete(box.value);
          else hidden.add(box.value);
          view.refresh();
          report();
          writeAddress();
        });
      });
    }
    onFilter(".pm-framework", hiddenFrameworks, nodeView);
    onFilter(".pm-relation", hiddenRelations, edgeView);
    var strength = app.querySelector(".pm-strength");
    var strengthOut = app.querySelector(".pm-strength-value");
    function setStrength(value) {
      minStrength = value;
      if (strength) strength.value = String(value);
      if (strengthOut) strengthOut.textContent = String(value);
      edgeView.refresh();
    }
    if (strength) {
      strength.addEventListener("input", function () {
        setStrength(Number(strength.value));
        report();
        writeAddress();
      });
    }

    function applyFilters(state) {
      var same = state.min === minStrength &&
        state.hide.slice().sort().join() === Array.from(hiddenFrameworks).sort().join() &&
        state.off.slice().sort().join() === Array.from(hiddenRelations).sort().join();
      if (same) return; /* refreshing a view makes the network take every item again */
      hiddenFrameworks.clear();
      hiddenRelations.clear();
      state.hide.forEach(function (f) { hiddenFrameworks.add(f); });
      state.off.forEach(function (r) { hiddenRelations.add(r); });
      app.querySelectorAll(".pm-framework").forEach(function (b) { b.checked = !hiddenFrameworks.has(b.value); });
      app.querySelectorAll(".pm-relation").forEach(function (b) { b.checked = !hiddenRelations.has(b.value); });
      nodeView.refresh();
      setStrength(state.min);
      report();
    }

    if (find) {
      find.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        find.classList.remove("pm-attention");
        if (find.value.trim()) focusOn(find.value.trim(), true);
      });
    }

    function zoom(factor) {
      var id = app.dataset.selected;
      var centre = id ? network.getPositions([id])[id] : network.getViewPosition();
      network.moveTo({ position: centre, scale: network.getScale() * factor, animation: false });
    }

    function setPresent(on) {
      if (map.present === on) return;
      map.present = on;
      app.classList.toggle("pm-present", on);
      document.documentElement.classList.toggle("pm-presenting", on);
      var button = app.querySelector(".pm-present");
      if (button) {
        button.setAttribute("aria-pressed", String(on));
        button.textContent = on ? "Exit" : "Present";
      }
      network.setOptions({ interaction: { zoomView: on } });
      if (on) canvas.style.height = "";
      fit();
      if (app.dataset.selected) reveal(app.dataset.selected);
      if (!local) writeAddress();
    }
    map.setPresent = setPresent;

    function on(selector, handler) {
      var button = app.querySelector(selector);
      if (button) button.addEventListener("click", handler);
      return button;
    }
    on(".pm-zoom-in", function () { zoom(1.25); });
    on(".pm-zoom-out", function () { zoom(0.8); });
    on(".pm-fit", function () { fit(); });
    on(".pm-present", function () {
      if (map.present) {
        if (document.fullscreenElement) document.exitFullscreen();
        setPresent(false);
      } else {
        setPresent(true);
        if (app.requestFullscreen) app.requestFullscreen().catch(function () {});
      }
    });
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement && map.present) setPresent(false);
      else if (map.present) fit();
    });
    var keys = app.querySelector(".pm-keys");
    var keysButton = on(".pm-keys-button", function () { toggleKeys(); });
    function toggleKeys() {
      if (!keys) return;
      keys.hidden = !keys.hidden;
      if (keysButton) keysButton.setAttribute("aria-expanded", String(!keys.hidden));
    }
    var legend = app.querySelector(".pm-legend");
    var legendButton = on(".pm-legend-button", function () {
      legend.hidden = !legend.hidden;
      legendButton.setAttribute("aria-expanded", String(!legend.hidden));
    });
    on(".pm-copy", function () {
      var link = window.location.href.split("#")[0];
      var hash = stateParams(app.dataset.selected);
      link += hash ? "#" + hash : "";
      app.dataset.link = link;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(
          function () { report("Link copied: " + link); },
          function () { report("Copy this link: " + link); }
        );
      } else {
        report("Copy this link: " + link);
      }
    });

    /* --- Pointer and keyboard --- */

    network.on("click", function (params) {
      var id = params.nodes.length ? params.nodes[0] : labelAt(params.pointer.canvas);
      if (id) select(id, true);
      else if (!params.edges.length) deselect();
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) window.location.href = nodes.get(params.nodes[0]).url;
    });

    /* A click on a label selects its node too. */
    function labelAt(point) {
      var ctx = canvas.querySelector("canvas").getContext("2d");
      ctx.save();
      ctx.font = FONT + "px " + FACE;
      var hit = null;
      nodeView.get().some(function (n) {
        var place = n[map.layoutName];
        var lines = String(place[2]).split("\n");
        var side = place[3] || "right";
        var w = Math.max.apply(null, lines.map(function (l) { return ctx.measureText(l).width; }));
        var h = lines.length * LINE;
        var gap = n.size + 6;
        var left = side === "left" ? place[0] - gap - w : side === "above" ? place[0] - w / 2 : place[0] + gap;
        var top = side === "above" ? place[1] - gap - h : place[1] - h / 2;
        if (point.x >= left && point.x <= left + w && point.y >= top && point.y <= top + h) hit = n.id;
        return hit;
      });
      ctx.restore();
      return hit;
    }

    function nearest(direction) {
      var id = app.dataset.selected;
      var shown = nodeView.get();
      if (!shown.length) return null;
      var here = id ? network.getPositions([id])[id] : null;
      if (!here) {
        var view = network.getViewPosition();
        return shown.reduce(function (best, n) {
          var d = Math.hypot(n.x - view.x, n.y - view.y);
          return !best || d < best.d ? { id: n.id, d: d } : best;
        }, null).id;
      }
      var dx = { ArrowRight: 1, ArrowLeft: -1 }[direction] || 0;
      var dy = { ArrowDown: 1, ArrowUp: -1 }[direction] || 0;
      var best = null;
      var positions = network.getPositions(shown.map(function (n) { return n.id; }));
      Object.keys(positions).forEach(function (other) {
        if (other === id) return;
        var p = positions[other];
        var along = (p.x - here.x) * dx + (p.y - here.y) * dy;
        var across = Math.abs((p.x - here.x) * dy) + Math.abs((p.y - here.y) * dx);
        if (along <= 0.5) return;
        var score = along + 2 * across;
        if (!best || score < best.score) best = { id: other, score: score };
      });
      return best && best.id;
    }

    canvas.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var key = event.key;
      if (/^Arrow/.test(key)) {
        var next = nearest(key);
        if (next) select(next, true);
      } else if (key === "Enter") {
        if (!app.dataset.selected) return;
        window.location.href = nodes.get(app.dataset.selected).url;
      } else if (key === "+" || key === "=") {
        zoom(1.25);
      } else if (key === "-" || key === "_") {
        zoom(0.8);
      } else if (key === "0") {
        fit();
      } else if (key === "?") {
        toggleKeys();
      } else if (key === "Escape") {
        if (keys && !keys.hidden) toggleKeys();
        else if (map.present) setPresent(false);
        else deselect();
      } else {
        return;
      }
      event.preventDefault();
    });

    /* --- Scheme, size and address changes --- */

    new MutationObserver(function () {
      edges.update(data.edges.map(function (e, i) { return Object.assign({ id: "e" + i }, edgeStyle(e)); }));
      network.redraw();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    var lastWidth = canvas.clientWidth;
    window.addEventListener("resize", function () {
      if (canvas.clientWidth !== lastWidth || map.present) {
        lastWidth = canvas.clientWidth;
        fit();
      }
    });

    if (!local) {
      window.addEventListener("hashchange", function () {
        if (window.location.hash === written) return;
        var state = readAddress();
        applyFilters(state);
        if (state.focus) focusOn(state.focus, false);
        report(app.dataset.selected ? "Selected: " + nodes.get(app.dataset.selected).name + "." : "");
      });
    }

    var table = document.querySelector('.pm-table[data-map="' + app.dataset.map + '"]');
    if (table) {
      var build = function () {
        if (table.open && !table.dataset.built) buildTable(table, map);
      };
      table.addEventListener("toggle", build);
      build();
    }

    report();
    if (local) {
      /* The page's own element starts the keyboard; it is marked, not selected, so that its
       * lines keep their colours. */
      if (app.dataset.current) app.dataset.selected = app.dataset.current;
    } else {
      var state = readAddress();
      applyFilters(state);
      report();
      if (state.present) setPresent(true);
      if (state.focus) focusOn(state.focus, false);
    }
    app.classList.add("pm-ready");
    maps.push(map);
  }

  function start() {
    if (typeof vis === "undefined") return;
    document.querySelectorAll(".portal-map-app:not(.pm-ready)").forEach(init);
  }

  /* The page places this script after its maps, so they are drawn at once, before Material's
   * bundle runs; a map placed after the script is drawn on DOMContentLoaded. */
  start();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
})();
