/* The portal's search engine in the browser: the same ranking as `portal search`.
 *
 * builder/search/engine.py ranks with whoosh; this file ranks with what
 * builder/search/export.py exports from that whoosh index (site/search/portal-search-index.js):
 * the same fields and boosts, BM25F with whoosh's idf and one-byte field lengths, the same
 * synonym phrases (scored at index time), the same stems (whoosh's Porter stemmer, ported), the
 * same spelling correction, fuzzy retry, framework intent, exact titles, the tie-break
 * for an organisation's own pages, filters and how-to re-ranking. Scores are added in the
 * order whoosh adds them, so that equal pages tie the same way in both runtimes; a test
 * compares the top ten of every benchmark query.
 *
 * No DOM here: PortalSearchEngine(data) returns {search(text, filters, limit)}.
 */
(function (global) {
  "use strict";

  var MAX_QUERY = 500;
  var RERANK_POOL = 20;
  var TASK_FACTOR = 1.35;
  var MAX_ALTERNATIVES = 6;

  var W = "[\\p{L}\\p{N}_]";
  var WORD = new RegExp(W + "+(?:[-'\\u2019]" + W + "+)*", "gu");  // engine._WORD
  var TOKEN = new RegExp(W + "+(?:\\.?" + W + "+)*", "gu");         // whoosh's tokenizer
  var PLAIN = new RegExp(W + "+", "gu");                              // intent.norm_words
  var HOW_TO = /^(how|what|when|who)\b.*\b(do|does|should|can|to)\b|^how\b/i;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  /* whoosh.lang.porter.stem, line for line: a test holds it to whoosh on every word of the
   * index and its usual inflections. Python's re.match anchors at the start: so do these
   * patterns, including the two that whoosh anchors by accident (AT_BL_IZ, STEP1B). */
  var STEP2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize",
    bli: "ble", alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate",
    ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al",
    iviti: "ive", biliti: "ble", logi: "log" };
  var STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  var CS = "[^aeiouy]+", VS = "[aeiou]+";
  var MGR0 = new RegExp("^(" + CS + ")?" + VS + CS);
  var MEQ1 = new RegExp("^(" + CS + ")?" + VS + CS + "(" + VS + ")?$");
  var MGR1 = new RegExp("^(" + CS + ")?" + VS + CS + VS + CS);
  var S_V = new RegExp("^(" + CS + ")?[aeiouy]");
  var C_V = new RegExp("^" + CS + "[aeiouy][^aeiouwxy]$");
  var ED_ING = /^(.*)(ed|ing)$/;
  var AT_BL_IZ = /^(at|bl|iz)$/;
  var STEP1B = /^([^aeiouylsz])\1$/;
  var P2 = new RegExp("^(.+?)(" + Object.keys(STEP2).join("|") + ")$");
  var P3 = new RegExp("^(.+?)(" + Object.keys(STEP3).join("|") + ")$");
  var P4_1 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  var P4_2 = /^(.+?)(s|t)(ion)$/;
  var P5 = /^(.+?)e$/;

  function porter(w) {
    if (w.length < 3) return w;
    var firstIsY = w[0] === "y";
    if (firstIsY) w = "Y" + w.slice(1);
    var m, s;
    if (/s$/.test(w)) {
      if (/sses$/.test(w)) w = w.slice(0, -2);
      else if (/ies$/.test(w)) w = w.slice(0, -2);
      else if (w[w.length - 2] !== "s") w = w.slice(0, -1);
    }
    if (/eed$/.test(w)) {
      if (MGR0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = ED_ING.exec(w))) {
      s = m[1];
      if (S_V.test(s)) {
        w = s;
        if (AT_BL_IZ.test(w)) w += "e";
        else if (STEP1B.test(w)) w = w.slice(0, -1);
        else if (C_V.test(w)) w += "e";
      }
    }
    if (/y$/.test(w)) {
      s = w.slice(0, -1);
      if (S_V.test(s)) w = s + "i";
    }
    if ((m = P2.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP2[m[2]];
    if ((m = P3.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP3[m[2]];
    if ((m = P4_1.exec(w))) {
      if (MGR1.test(m[1])) w = m[1];
    } else if ((m = P4_2.exec(w))) {
      s = m[1] + m[2];
      if (MGR1.test(s)) w = s;
    }
    if ((m = P5.exec(w))) {
      s = m[1];
      if (MGR1.test(s) || (MEQ1.test(s) && !C_V.test(s))) w = s;
    }
    if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);
    if (firstIsY) w = "y" + w.slice(1);
    return w;
  }

  function set(list) {
    var s = Object.create(null);
    list.forEach(function (w) { s[w] = true; });
    return s;
  }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function matchAll(re, text) { return text.match(re) || []; }
  function codeLength(s) { return Array.from(s).length; }

  /* engine.clean_query */
  function cleanQuery(text) {
    text = Array.from(String(text)).slice(0, MAX_QUERY * 4).join("").replace(/\p{C}/gu, " ");
    var parts = [];
    var pos = 0;
    var re = /"([^"]+)"/g;
    var m;
    while ((m = re.exec(text)) !== null) {
      parts.push.apply(parts, matchAll(WORD, text.slice(pos, m.index)));
      var words = matchAll(WORD, m[1]);
      if (words.length) parts.push('"' + words.join(" ") + '"');
      pos = m.index + m[0].length;
    }
    parts.push.apply(parts, matchAll(WORD, text.slice(pos)));
    var cleaned = parts.join(" ");
    if (cleaned.length > MAX_QUERY) {
      cleaned = cleaned.slice(0, MAX_QUERY);
      var cut = cleaned.lastIndexOf(" ");
      if (cut >= 0) cleaned = cleaned.slice(0, cut);
    }
    return cleaned;
  }

  function unpack(text) {
    var out = [];
    var n = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var v = DIGITS.indexOf(text[i]);
      if (v >= 32) { n += (v - 32) * scale; scale *= 32; }
      else { out.push(n + v * scale); n = 0; scale = 1; }
    }
    return out;
  }

  function Engine(data) {
    var N = data.count, K1 = data.K1, B = data.B;
    var FIELDS = ["title", "aliases", "summary", "body"];
    var HEAD = ["title", "aliases"];
    var stop = set(data.stop);
    var docs = data.docs.map(function (d, i) {
      return { n: i, id: d[0], title: d[1], kind: d[2], framework: d[3],
        stage: d[4] ? d[4].split(",") : [], roles: d[5] ? d[5].split(",") : [],
        summary: d[6], prose: d[7], aliases: d[8] ? d[8].split(" ; ") : [] };
    });
    var postingsCache = {};

    /* Surface word -> stem, as the queries of this page meet them. */
    var stems = Object.create(null);
    var spell = Object.create(null);
    Object.keys(data.spell).forEach(function (freq) {
      data.spell[freq].split(" ").forEach(function (w) { spell[w] = +freq; });
    });
    var synonyms = data.synonyms;
    var vocabulary = Object.create(null);
    Object.keys(synonyms).forEach(function (phrase) {
      phrase.split(" ").forEach(function (w) { vocabulary[w] = true; });
      synonyms[phrase].forEach(function (alt) {
        alt.replace(/^\^/, "").split(" ").forEach(function (w) { vocabulary[w] = true; });
      });
    });
    var intent = data.intent;  // builder/search/intent.py: its words and factors
    var names = intent.names;
    var BEFORE = set(intent.before), AFTER = set(intent.after), MARKERS = set(intent.markers);
    var FRAMEWORK_BOOST = intent.boost, COUNTERPART_SHARE = intent.share;
    var EXACT_TITLE_BOOST = intent.exact;
    var TEMPLATE_FACTOR = intent.template, TEMPLATE_WORDS = set(intent.templateWords);
    var LOCAL_TIE = intent.localTie, local = intent.local;  // an overlay's pages win ties
    local.forEach(function (d) { docs[d].local = true; });
    var longestName = 0;
    Object.keys(names).forEach(function (n) { longestName = Math.max(longestName, n.split(" ").length); });
    var counterparts = {};
    intent.counterparts.forEach(function (c) {
      (counterparts[c[0]] = counterparts[c[0]] || []).push([c[1], c[2]]);
    });
    var exactTitles = Object.create(null);
    docs.forEach(function (d) {
      var seen = {};
      [d.title].concat(d.aliases).forEach(function (name) {
        var key = normWords(name).join(" ");
        if (seen[key]) return;
        seen[key] = true;
        (exactTitles[key] = exactTitles[key] || []).push(d.n);
      });
    });

    /* StemmingAnalyzer: tokens, lowercase, stop words and one-letter words out, stems. */
    function analyze(text) {
      var out = [];
      matchAll(TOKEN, text).forEach(function (tok) {
        var w = tok.toLowerCase();
        if (codeLength(w) < 2 || stop[w]) return;
        out.push(has(stems, w) ? stems[w] : (stems[w] = porter(w)));
      });
      return out;
    }

    function postings(field, stem) {
      var key = field + " " + stem;
      if (has(postingsCache, key)) return postingsCache[key];
      var terms = data.terms[field];
      var found = null;
      if (has(terms, stem)) {
        var nums = unpack(terms[stem]);
        var ids = [], tfs = [], d = 0;
        for (var i = 0; i < nums.length; i += 2) {
          d += nums[i];
          ids.push(d);
          tfs.push(nums[i + 1] * data.boosts[field]);
        }
        found = { ids: ids, tfs: tfs };
      }
      postingsCache[key] = found;
      return found;
    }

    /* engine.field_query: leaves in whoosh's order, a repeated leaf once. */
    function fieldQuery(cleaned, fields, fuzzy) {
      var leaves = [];
      var seen = {};
      function add(leaf) {
        var key = JSON.stringify(leaf);
        if (!seen[key]) { seen[key] = true; leaves.push(leaf); }
      }
      matchAll(/"[^"]*"|\S+/g, cleaned).forEach(function (part) {
        var st = analyze(part.replace(/^"+|"+$/g, ""));
        var quoted = part[0] === '"';
        if (quoted && st.length > 1) {
          fields.forEach(function (f) { add({ phrase: st.join(" "), f: f, b: data.boosts[f] }); });
        } else if (quoted && st.length) {
          fields.forEach(function (f) { add({ term: st[0], f: f, b: 1.0 }); });
        } else if (fuzzy && part.length >= 4) {
          fields.forEach(function (f) {
            st.forEach(function (s) {
              near(s, f).forEach(function (t) { add({ term: t, f: f, b: data.boosts[f] }); });
            });
          });
        } else {
          fields.forEach(function (f) {
            st.forEach(function (s) { add({ term: s, f: f, b: data.boosts[f] }); });
          });
        }
      });
      if (!leaves.length) return null;
      return leaves.length === 1 ? leaves[0] : { or: leaves, b: 1.0 };
    }

    var lexicons = {};
    function near(stem, field) {
      if (!lexicons[field]) lexicons[field] = Object.keys(data.terms[field]).sort(byCodePoint);
      return lexicons[field].filter(function (t) {
        return t[0] === stem[0] && editDistance(stem, t, 1) <= 1;
      });
    }

    function synonymsIn(cleaned) {
      var words = matchAll(WORD, cleaned).map(function (w) { return w.toLowerCase(); });
      var found = [];
      for (var size = Math.min(6, words.length); size > 0; size--) {
        for (var start = 0; start + size <= words.length; start++) {
          var key = words.slice(start, start + size).join(" ");
          if (!has(synonyms, key)) continue;
          synonyms[key].forEach(function (alt) { if (found.indexOf(alt) < 0) found.push(alt); });
        }
      }
      return found;
    }

    /* engine.build_query */
    function buildQuery(cleaned, fuzzy) {
      var main = fieldQuery(cleaned, FIELDS, fuzzy);
      if (!main) return null;
      var found = synonymsIn(cleaned).map(function (alt, i) { return [alt, i]; });
      found.sort(function (a, b) {
        return (a[0][0] === "^") - (b[0][0] === "^") || a[1] - b[1];
      });
      var alternatives = [];
      found.slice(0, MAX_ALTERNATIVES).forEach(function (pair) {
        var alt = pair[0];
        var head = alt[0] === "^";
        var q = fieldQuery('"' + alt.replace(/^\^/, "") + '"', head ? HEAD : FIELDS, false);
        if (q) alternatives.push(q);
      });
      if (!alternatives.length) return main;
      var whole = has(synonyms, matchAll(WORD, cleaned).map(function (w) {
        return w.toLowerCase();
      }).join(" "));
      var factor = whole ? 3.0 : 1.2;
      alternatives.forEach(function (alt) {
        (alt.or || [alt]).forEach(function (leaf) { leaf.b *= factor; });
      });
      return { or: [main].concat(alternatives), b: 1.0 };
    }

    function bm25(idf, tf, fl, avgfl) {
      return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)));
    }

    /* Scores of one query node: a Float64Array, 0 where it does not match. */
    function scores(node) {
      var a = new Float64Array(N);
      if (node.or) {
        node.or.forEach(function (sub) {
          if (sub.or) {
            var inner = scores(sub);
            for (var d = 0; d < N; d++) if (inner[d] !== 0) a[d] += inner[d] * node.b;
          } else {
            addLeaf(a, sub, node.b);
          }
        });
      } else {
        addLeaf(a, node, 1.0);
      }
      return a;
    }

    function addLeaf(a, leaf, orBoost) {
      if (leaf.phrase !== undefined) {
        var known = (data.phrases[leaf.f] || {})[leaf.phrase];
        if (!known) return;  // every synonym phrase was matched at index time
        for (var i = 0; i < known[0].length; i++) a[known[0][i]] += known[1][i] * leaf.b * orBoost;
        return;
      }
      var p = postings(leaf.f, leaf.term);
      if (!p) return;
      var idf = data.idf[p.ids.length];
      var avgfl = data.avgfl[leaf.f];
      var lengths = data.lengths[leaf.f];
      for (var j = 0; j < p.ids.length; j++) {
        var d = p.ids[j];
        a[d] += bm25(idf, p.tfs[j], lengths[d], avgfl) * leaf.b * orBoost;
      }
    }

    /* intent.read_intent */
    function readIntent(text) {
      var words = normWords(text);
      var found = [];
      var i = 0;
      while (i < words.length) {
        var size = Math.min(longestName, words.length - i);
        for (; size > 0; size--) {
          var key = words.slice(i, i + size).join(" ");
          if (has(names, key)) { found.push([i, i + size, names[key]]); i += size; break; }
        }
        if (size === 0) i += 1;
      }
      if (!found.length) return null;
      var marked = [], named = [];
      found.forEach(function (f) {
        if (named.indexOf(f[2]) < 0) named.push(f[2]);
        if ((f[0] > 0 && BEFORE[words[f[0] - 1]]) || (f[1] < words.length && AFTER[words[f[1]]])) {
          if (marked.indexOf(f[2]) < 0) marked.push(f[2]);
        }
      });
      var wanted = marked.length ? marked : named.length === 1 ? named : [];
      if (!wanted.length) return null;
      var taken = {};
      found.forEach(function (f) { for (var k = f[0]; k < f[1]; k++) taken[k] = true; });
      var left = words.filter(function (w, k) { return !taken[k] && !MARKERS[w]; });
      return left.length ? { frameworks: wanted, words: left } : null;
    }

    /* intent.adjust: a Map-like {docnum: score}, pages in ascending order. */
    function adjust(base, want, exact, templates) {
      var final = new Float64Array(base);
      if (want) {
        for (var d = 0; d < N; d++) {
          if (want.frameworks.indexOf(docs[d].framework) < 0) continue;
          var lent = 0.0;
          (counterparts[d] || []).forEach(function (c) {
            if (want.frameworks.indexOf(docs[c[0]].framework) < 0) {
              lent = Math.max(lent, base[c[0]] * c[1] / 10);
            }
          });
          var own = base[d] + COUNTERPART_SHARE * lent;
          if (own > 0) final[d] = own * FRAMEWORK_BOOST;
        }
      }
      exact.forEach(function (d) { if (final[d] !== 0) final[d] = final[d] * EXACT_TITLE_BOOST; });
      if (templates) {
        docs.forEach(function (d) {
          if (d.kind === "template" && final[d.n] !== 0) final[d.n] = final[d.n] * TEMPLATE_FACTOR;
        });
      }
      local.forEach(function (d) { if (final[d] !== 0) final[d] = final[d] * LOCAL_TIE; });
      return final;
    }

    function attempt(text, allowed, fuzzy) {
      var want = readIntent(text);
      var q = buildQuery(want ? want.words.join(" ") : text, fuzzy);
      if (!q) return [];
      var base = scores(q);
      var words = normWords(text);
      var asks = words.some(function (w) { return TEMPLATE_WORDS[w]; });
      var final = adjust(base, want, exactTitles[words.join(" ")] || [], !asks);
      var out = [];
      for (var d = 0; d < N; d++) {
        if (final[d] !== 0 && (!allowed || allowed[d])) out.push([d, final[d]]);
      }
      return out;
    }

    /* engine.SpellCorrector.suggest(text, limit=1, maxdist=2). Python looks the text's
     * deletions (two deep) up in a table of every word's deletions (one deep); here each word
     * of a fitting length is checked against the text's deletions instead, which finds the
     * same candidates without building the table (half a second on a slow machine).
     * A candidate, less at most one letter, is in the text (every key is), so a word with two
     * letters more than the text has (counted with their repeats) cannot be one: that cheap
     * count comes first, and only the few words it lets through make their deletions. */
    var spellByLength = [];
    Object.keys(spell).forEach(function (w) {
      (spellByLength[w.length] = spellByLength[w.length] || []).push(w);
    });
    var letters = new Int32Array(65536);  // the text's letters while suggest() runs, else 0
    function surplus(w) {
      var extra = 0, i = 0;
      for (; i < w.length && extra < 2; i++) if (--letters[w.charCodeAt(i)] < 0) extra++;
      while (i > 0) letters[w.charCodeAt(--i)]++;
      return extra;
    }
    function suggest(text) {
      var keys = Object.create(null);
      keys[text] = true;
      deletions(text).forEach(function (k) {
        keys[k] = true;
        deletions(k).forEach(function (k2) { keys[k2] = true; });
      });
      var i;
      for (i = 0; i < text.length; i++) letters[text.charCodeAt(i)]++;
      var best = null;
      for (var len = Math.max(0, text.length - 2); len <= text.length + 1; len++) {
        (spellByLength[len] || []).forEach(function (w) {
          if (w === text || surplus(w) > 1) return;
          if (!keys[w] && !deletions(w).some(function (k) { return keys[k]; })) return;
          var dist = editDistance(text, w, 2);
          if (dist > 2) return;
          var score = -dist - 1.0 / (1.0 + spell[w]);
          if (!best || score > best[0] || (score === best[0] && byCodePoint(w, best[1]) > 0)) {
            best = [score, w];
          }
        });
      }
      for (i = 0; i < text.length; i++) letters[text.charCodeAt(i)]--;
      return best ? best[1] : null;
    }

    function correction(cleaned) {
      var changed = false;
      var fixed = cleaned.split(" ").map(function (word) {
        var plain = word.replace(/^"+|"+$/g, "").toLowerCase();
        if (codeLength(plain) < 4 || !/^\p{L}+$/u.test(plain) || vocabulary[plain] ||
            (has(spell, plain) && spell[plain] > 0)) return word;
        var s = suggest(plain);
        if (s && s !== plain) { changed = true; return s; }
        return word;
      });
      return changed ? fixed.join(" ") : null;
    }

    function resolve(name, value) {
      var valid = data.filters[name] || [];
      value = String(value).trim().toLowerCase();
      if (valid.indexOf(value) >= 0) return value;
      var tail = valid.filter(function (v) { return v.slice(-value.length - 1) === "-" + value; });
      return tail.length === 1 ? tail[0] : null;
    }

    function allowedBy(filters) {
      var names = Object.keys(filters || {}).filter(function (k) { return filters[k]; }).sort();
      if (!names.length) return null;
      var wanted = {};
      names.forEach(function (name) {
        var v = resolve(name, filters[name]);
        if (v === null) throw new Error("unknown " + name + " " + JSON.stringify(filters[name]));
        wanted[name] = v;
      });
      var allowed = {};
      docs.forEach(function (d) {
        var ok = Object.keys(wanted).every(function (name) {
          var v = wanted[name];
          if (name === "framework") return d.framework === v;
          if (name === "kind") return d.kind === v;
          if (name === "role") return d.roles.indexOf(v) >= 0;
          return d.stage.indexOf(v) >= 0;
        });
        if (ok) allowed[d.n] = true;
      });
      return allowed;
    }

    /* engine.SearchEngine.search: {query, hits, didYouMean, fuzzy, marker} */
    function search(text, filters, limit) {
      limit = limit || 10;
      var cleaned = cleanQuery(text);
      if (!cleaned || !buildQuery(cleaned, false)) {
        return { query: cleaned, hits: [], didYouMean: null, fuzzy: false, empty: true };
      }
      var allowed = allowedBy(filters);
      var didYouMean = correction(cleaned);
      var found = [], fuzzy = false;
      var tries = [[didYouMean, false], [cleaned, false], [cleaned, true]];
      for (var i = 0; i < tries.length; i++) {
        if (tries[i][0] === null) continue;
        fuzzy = tries[i][1];
        found = attempt(tries[i][0], allowed, fuzzy);
        if (found.length) break;
      }
      found.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var pool = found.slice(0, Math.max(limit, RERANK_POOL));
      if (HOW_TO.test(cleaned)) {
        pool.sort(function (a, b) {
          return -a[1] * (docs[a[0]].kind === "task" ? TASK_FACTOR : 1.0) -
            -b[1] * (docs[b[0]].kind === "task" ? TASK_FACTOR : 1.0);
        });
      }
      var words = [didYouMean || cleaned].concat(synonymsIn(cleaned).map(function (a) {
        return a.replace(/^\^/, "");
      })).join(" ");
      var marker = markerOf(analyze(words));
      var hits = pool.slice(0, limit).map(function (h) {
        var d = docs[h[0]];
        return { id: d.id, title: d.title, url: d.id + ".html", kind: d.kind,
          framework: d.framework, local: d.local === true, score: h[1],
          snippet: snippetOf(d, marker), doc: d };
      });
      return { query: cleaned, hits: hits, didYouMean: didYouMean,
        fuzzy: fuzzy && hits.length > 0, marker: marker };
    }

    return {
      search: search,
      cleanQuery: cleanQuery,
      analyze: analyze,
      docs: docs,
      filters: data.filters,
      localLabel: data.localLabel,
      stemsOf: function (text) { return analyze(text); }
    };
  }

  function normWords(text) { return matchAll(PLAIN, String(text).toLowerCase()); }
  function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function deletions(w) {
    var out = [];
    for (var i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
    return out;
  }

  /* engine._edit_distance: optimal string alignment, capped at limit + 1 */
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = [], prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] !== b[j - 1] ? 1 : 0;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
      }
      if (Math.min.apply(null, cur) > limit) return limit + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  /* engine._marker: words that start with one of the query's stems. Kept per set of stems:
   * a new RegExp of Unicode classes is compiled on its first use, which costs more than the
   * search, and typing, filtering and "did you mean" ask again for the same stems. */
  var markers = Object.create(null), markerCount = 0;
  function markerOf(stemList) {
    var useful = stemList.filter(function (s, i) {
      return s.length >= 2 && stemList.indexOf(s) === i;
    }).sort(function (a, b) { return b.length - a.length; });
    if (!useful.length) return null;
    var key = useful.join(" ");
    if (markers[key]) return markers[key];
    if (++markerCount > 200) { markers = Object.create(null); markerCount = 1; }
    var escaped = useful.map(function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return (markers[key] = new RegExp(
      "(?<![\\p{L}\\p{N}_])(?:" + escaped.join("|") + ")[\\p{L}\\p{N}_]*", "giu"));
  }

  /* Where the sentences of a text start and end (text.sentence_bounds): [starts, ends]. */
  function sentences(text) {
    var starts = [0], ends = [];
    var re = /(?<=[.!?])\s+/g, m;
    while ((m = re.exec(text)) !== null) { ends.push(m.index); starts.push(m.index + m[0].length); }
    ends.push(text.length);
    return [starts, ends];
  }

  /* engine.snippet: the sentence with the most query words, as [[text, marked], ...];
   * ``bounds`` are the text's sentences, when they are already known. */
  function snippet(text, marker, width, bounds) {
    width = width || 220;
    bounds = bounds || sentences(text);
    var starts = bounds[0], ends = bounds[1], m;
    var found = {};
    if (marker) {
      marker.lastIndex = 0;
      var k = 0;  // matches come in order: the sentence of the next one is this one or later
      while ((m = marker.exec(text)) !== null) {
        while (k + 1 < starts.length && starts[k + 1] <= m.index) k++;
        (found[k] = found[k] || {})[m[0].toLowerCase()] = true;
      }
    }
    var best = 0, keys = Object.keys(found).map(Number);
    if (marker && keys.length) {
      best = keys.reduce(function (x, y) {
        var nx = Object.keys(found[x]).length, ny = Object.keys(found[y]).length;
        if (nx !== ny) return nx > ny ? x : y;
        var lx = ends[x] - starts[x], ly = ends[y] - starts[y];
        if (lx !== ly) return lx < ly ? x : y;
        return Math.min(x, y);
      });
    } else if (marker) {
      for (var i = 1; i < starts.length; i++) {
        if (ends[i] - starts[i] < ends[best] - starts[best]) best = i;
      }
    }
    var s = text.slice(starts[best], ends[best]);
    if (s.length > width) {
      s = s.slice(0, width - 1);
      var cut = s.lastIndexOf(" ");
      s = (cut > 0 ? s.slice(0, cut) : s) + "\u2026";
    }
    s = s.replace(/\s+/g, " ").replace(/^- /, "");  // a list item's dash, left by plain_text
    var parts = [], pos = 0;
    if (marker) {
      marker.lastIndex = 0;
      while ((m = marker.exec(s)) !== null) {
        if (m.index > pos) parts.push([s.slice(pos, m.index), false]);
        parts.push([m[0], true]);
        pos = m.index + m[0].length;
      }
    }
    if (pos < s.length) parts.push([s.slice(pos), false]);
    return parts;
  }

  /* A page's sentences are found once, on its first snippet. */
  function snippetOf(doc, marker) {
    var field = doc.prose ? "prose" : "summary";
    doc.sentences = doc.sentences || {};
    var bounds = doc.sentences[field] || (doc.sentences[field] = sentences(doc[field]));
    var parts = snippet(doc[field], marker, 0, bounds);
    var marked = parts.some(function (p) { return p[1]; });
    if (marker && !marked) {
      bounds = doc.sentences.summary || (doc.sentences.summary = sentences(doc.summary));
      parts = snippet(doc.summary, marker, 0, bounds);
    }
    return parts;
  }

  global.PortalSearchEngine = Engine;
  global.PortalSearchEngine.editDistance = editDistance;
  global.PortalSearchEngine.markerOf = markerOf;
  global.PortalSearchEngine.porter = porter;
})(typeof window !== "undefined" ? window : this);
