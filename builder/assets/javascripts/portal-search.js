/* The portal's search box: a combobox in the header, results in a listbox.
 *
 * Nothing is read until someone searches: on the first focus of (or keystroke in) the box,
 * two classic scripts are added to the page, the index (search/portal-search-index.js, written
 * by the build from the whoosh index) and the engine (portal-search-engine.js), which ranks
 * exactly as `portal search`. Classic scripts are what loads from file:// (fetch, modules and
 * workers from files do not).
 *
 * Keys: "/" or "s" focus the box; arrows move through the results; Enter opens one; Escape
 * closes the list, then clears the box. An opened result highlights the query's words on its
 * page (?hl=stem+stem in its address; no index is read for that).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = script ? script.src.replace(/assets\/javascripts\/portal-search\.js(\?.*)?$/, "") : "";
  var FACETS = [["framework", "Framework"], ["kind", "Kind"], ["role", "Role"], ["stage", "Stage"]];
  var engine = null, loading = false, box, input, panel, list, status, facets, active = -1;
  var results = [], seq = 0, scrolled = false, shortNames = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function build() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("portal-search-input")) return;
    box = el("div", { "class": "portal-search", role: "search" });
    var label = el("label", { "for": "portal-search-input", "class": "portal-search__label" }, "Search the portal");
    input = el("input", {
      id: "portal-search-input", "class": "portal-search__input", type: "search",
      role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": "portal-search-listbox", "aria-describedby": "portal-search-hint",
      autocomplete: "off", spellcheck: "false", placeholder: "Search", enterkeyhint: "search"
    });
    var hint = el("span", { id: "portal-search-hint", "class": "portal-search__label" },
      "Press / or s to search. Results appear below as you type; arrow keys move through them.");
    panel = el("div", { "class": "portal-search__panel", hidden: "" });
    facets = el("div", { "class": "portal-search__facets", role: "group", "aria-label": "Filters" });
    status = el("div", { "class": "portal-search__status", role: "status", "aria-live": "polite" });
    list = el("ul", { id: "portal-search-listbox", "class": "portal-search__list", role: "listbox",
      "aria-label": "Search results" });
    panel.appendChild(facets);
    panel.appendChild(status);
    panel.appendChild(list);
    box.appendChild(label);
    box.appendChild(hint);
    box.appendChild(input);
    box.appendChild(panel);
    var source = header.querySelector(".md-header__source");
    header.insertBefore(box, source);
    panel.addEventListener("scroll", function () { scrolled = true; }, { passive: true });
    input.addEventListener("focus", start);
    input.addEventListener("keydown", onKey);
    input.addEventListener("input", function () { start(); run(); });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) close();
    });
  }

  /* Load the index and the engine: two classic scripts, once. */
  function start() {
    if (engine || loading) return;
    loading = true;
    say("Loading the search index\u2026");
    open();
    var left = 2;
    function done() {
      left -= 1;
      if (left) return;
      if (!window.PortalSearchEngine || !window.portalSearchIndex) {
        say("The search index could not be read. Rebuild the site with `portal build`.");
        return;
      }
      engine = window.PortalSearchEngine(window.portalSearchIndex);
      fillFacets();
      run();
    }
    ["search/portal-search-index.js", "assets/javascripts/portal-search-engine.js"].forEach(function (path) {
      var s = document.createElement("script");
      s.src = ROOT + path;
      s.async = false;
      s.onload = done;
      s.onerror = function () { say("The search index could not be read (" + path + ")."); };
      document.head.appendChild(s);
    });
  }

  function fillFacets() {
    var titles = {};
    engine.docs.forEach(function (d) { titles[d.id] = d; });
    FACETS.forEach(function (pair) {
      var name = pair[0];
      var id = "portal-search-" + name;
      var wrap = el("span", { "class": "portal-search__facet" });
      wrap.appendChild(el("label", { "for": id }, pair[1]));
      var select = el("select", { id: id, "data-facet": name });
      select.appendChild(el("option", { value: "" }, "Any"));
      (engine.filters[name] || []).forEach(function (value) {
        var label = name === "kind" ? value : name === "framework" ? shortName(value) :
          (titles[value] ? titles[value].title : value);
        select.appendChild(el("option", { value: value }, label));
      });
      select.addEventListener("change", run);
      wrap.appendChild(select);
      facets.appendChild(wrap);
    });
  }

  /* A framework's short name for its badge ("MOF 4.0"), found once for every framework. */
  function shortName(framework) {
    if (!engine) return framework;
    if (!shortNames) {
      shortNames = Object.create(null);
      engine.docs.forEach(function (doc) {
        if (doc.kind !== "framework") return;
        var names = doc.aliases.filter(function (a) { return a.length <= 14; });
        var versioned = names.filter(function (a) { return /\d/.test(a); })[0];
        shortNames[doc.id] = versioned || names[0] || doc.title;
      });
    }
    return shortNames[framework] || framework;
  }

  function filters() {
    var out = {};
    facets.querySelectorAll("select").forEach(function (s) {
      if (s.value) out[s.getAttribute("data-facet")] = s.value;
    });
    return out;
  }

  function run() {
    if (!engine) return;
    var text = input.value;
    if (!text.trim()) {
      results = [];
      list.textContent = "";
      say(text ? "" : "Type a question, a process, an acronym or a product.");
      setActive(-1);
      return;
    }
    var chosen = filters();
    var found = engine.search(text, chosen, 10);
    seq += 1;
    render(found, chosen, seq);
  }

  function render(found, chosen, number) {
    results = found.hits;
    list.textContent = "";
    open();
    if (scrolled) {  // the last results were scrolled: show the new ones from the top
      panel.scrollTop = 0;
      scrolled = false;
    }
    var query = highlightQuery(found);
    found.hits.forEach(function (hit, i) {
      var item = el("li", { id: "portal-search-option-" + i, role: "option",
        "aria-selected": "false", "class": "portal-search__option",
        "data-href": ROOT + hit.url + query, "data-id": hit.id });
      var head = el("div", { "class": "portal-search__head" });
      head.appendChild(el("span", { "class": "portal-search__title" }, hit.title));
      head.appendChild(el("span", { "class": "portal-search__badge" }, hit.kind));
      if (hit.framework) {
        head.appendChild(el("span", { "class": "portal-search__badge portal-search__badge--fw" },
          shortName(hit.framework)));
      }
      if (hit.local) {  // the organisation's own page, marked as on the page itself
        head.appendChild(el("span", { "class": "portal-search__badge portal-search__badge--local" },
          engine.localLabel));
      }
      item.appendChild(head);
      var text = el("div", { "class": "portal-search__snippet" });
      hit.snippet.forEach(function (part) {
        text.appendChild(part[1] ? el("mark", {}, part[0]) : document.createTextNode(part[0]));
      });
      item.appendChild(text);
      item.addEventListener("mousedown", function (e) { e.preventDefault(); });
      item.addEventListener("click", function () { go(i); });
      list.appendChild(item);
    });
    status.textContent = "";
    if (found.didYouMean) {
      var p = el("p", { "class": "portal-search__fix" }, "Did you mean ");
      var fix = el("button", { type: "button", "class": "portal-search__link" }, found.didYouMean);
      fix.addEventListener("click", function () { input.value = found.didYouMean; input.focus(); run(); });
      p.appendChild(fix);
      p.appendChild(document.createTextNode("? Showing its results."));
      status.appendChild(p);
    } else if (found.fuzzy) {
      status.appendChild(el("p", {}, "No exact match: showing near spellings."));
    }
    if (!found.hits.length) {
      status.appendChild(emptyState(found, chosen));
    } else {
      status.appendChild(el("p", { "class": "portal-search__count" },
        found.hits.length + (found.hits.length === 1 ? " result" : " results") +
        ". Arrow keys move, Enter opens."));
    }
    status.setAttribute("data-query", found.query);
    status.setAttribute("data-seq", String(number));
    setActive(found.hits.length ? 0 : -1);
  }

  function emptyState(found, chosen) {
    var wrap = el("div", { "class": "portal-search__empty" });
    if (found.empty) {
      wrap.appendChild(el("p", {}, "Type a word to search for: common words like \u201chow\u201d or \u201cthe\u201d are not searched."));
      return wrap;
    }
    wrap.appendChild(el("p", {}, "No pages match \u201c" + found.query + "\u201d."));
    var tips = el("ul");
    if (Object.keys(chosen).length) {
      var li = el("li");
      var clear = el("button", { type: "button", "class": "portal-search__link" }, "Clear the filters");
      clear.addEventListener("click", function () {
        facets.querySelectorAll("select").forEach(function (s) { s.value = ""; });
        input.focus();
        run();
      });
      li.appendChild(clear);
      tips.appendChild(li);
    }
    tips.appendChild(el("li", {}, "Try fewer words, or the name of a process (\u201cchange management\u201d), a role (\u201cservice desk analyst\u201d) or an acronym (\u201cCAB\u201d)."));
    tips.appendChild(el("li", {}, "To find a framework's counterpart, name it: \u201cservice desk in MOF\u201d."));
    wrap.appendChild(tips);
    return wrap;
  }

  /* "?hl=stem+stem": an opened result marks the query's words on its page. */
  function highlightQuery(found) {
    var stems = found.marker ? engine.stemsOf(found.didYouMean || found.query) : [];
    return stems.length ? "?hl=" + encodeURIComponent(stems.join(" ")) : "";
  }

  /* Select option i. Only a move by the keyboard scrolls it into view: scrolling lays the page
   * out there and then, which would cost every keystroke in the box a layout of its own. */
  function setActive(i, scroll) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && options[i]) {
      input.setAttribute("aria-activedescendant", options[i].id);
      if (scroll && options[i].scrollIntoView) options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(i) {
    var option = list.querySelectorAll("[role=option]")[i];
    if (option) window.location.href = option.getAttribute("data-href");
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
    box.classList.add("portal-search--open");
  }

  function close() {
    if (!panel) return;
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    box.classList.remove("portal-search--open");
  }

  function say(text) {
    status.textContent = text;
  }

  function onKey(e) {
    var count = results.length;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      open();
      if (count) setActive((active + 1) % count, true);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (count) setActive(active <= 0 ? count - 1 : active - 1, true);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0) go(active);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (!panel.hidden) close();
      else { input.value = ""; input.blur(); }
    }
  }

  /* "/" and "s" focus the box, unless the reader is typing somewhere. */
  function onGlobalKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.key !== "/" && e.key !== "s")) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(input|textarea|select)$/i.test(t.tagName))) return;
    if (!input) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    input.focus();
  }

  /* On a page opened from a result: mark the query's words in the article. */
  function highlight() {
    var m = /[?&]hl=([^&#]*)/.exec(window.location.search);
    if (!m) return;
    var stems = decodeURIComponent(m[1].replace(/\+/g, " ")).split(" ").filter(function (s) {
      return s.length >= 2;
    });
    var article = document.querySelector(".md-content article") || document.querySelector(".md-content");
    if (!stems.length || !article) return;
    stems.sort(function (a, b) { return b.length - a.length; });
    var re = new RegExp("(?<![\\p{L}\\p{N}_])(?:" + stems.map(function (s) {
      return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")[\\p{L}\\p{N}_]*", "giu");
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var p = n.parentNode;
        return p && /^(script|style|mark|textarea)$/i.test(p.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      re.lastIndex = 0;
      if (!re.test(text)) return;
      re.lastIndex = 0;
      var frag = document.createDocumentFragment(), pos = 0, hit;
      while ((hit = re.exec(text)) !== null) {
        frag.appendChild(document.createTextNode(text.slice(pos, hit.index)));
        var mark = el("mark", { "class": "portal-search-hl" }, hit[0]);
        frag.appendChild(mark);
        if (!first) first = mark;
        pos = hit.index + hit[0].length;
      }
      frag.appendChild(document.createTextNode(text.slice(pos)));
      node.parentNode.replaceChild(frag, node);
    });
    if (first && !window.location.hash && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  }

  window.addEventListener("keydown", onGlobalKey, true);
  function ready() { build(); highlight(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
