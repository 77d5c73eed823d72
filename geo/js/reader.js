// The reader: search by name or by the words of the excerpts, the article beside
// the map, the list of articles, and an address that follows the selection.
// Built with DOM nodes and textContent only: article, YAML and GeoJSON text never
// passes through innerHTML.
(function (L) {
  "use strict";
  var SHOWN_FEATURES = 8;
  var SHOWN_PASSAGES = 20;
  var SHOWN_NAMES = 12;

  // The popups' own DOM helpers: one definition of what is safe to write (the popups'
  // script runs first, since the reader is added after them).
  var dom = window.citedMap.dom;
  var el = dom.el;
  var button = dom.button;
  var safeUrl = dom.safeUrl;
  // The time slider (timeline.js), added before the reader when anything is dated.
  var time = window.citedTimeline || null;

  // --- Parts: inline in the page, or script files in map_files/ -------------

  function inflate(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  var data = null;
  var parts = {};
  var waiters = {};

  // A part, inflated once. A script tag loads a part beside the page: it works
  // from file://, unlike fetch().
  function part(key) {
    if (parts[key]) return parts[key];
    if (data.parts[key] !== undefined) {
      parts[key] = inflate(data.parts[key]);
    } else if (data.files[key]) {
      parts[key] = new Promise(function (resolve, reject) {
        waiters[key] = resolve;
        var tag = document.createElement("script");
        tag.src = data.files[key];
        tag.onerror = function () {
          delete parts[key];
          reject(new Error("could not load " + data.files[key] + " (keep map_files/ beside map.html)"));
        };
        document.head.appendChild(tag);
      }).then(inflate);
    } else {
      return Promise.resolve(null);
    }
    return parts[key];
  }

  function rows(kind, per, from, to) {
    var wanted = [];
    for (var k = Math.floor(from / per); k <= Math.floor((to - 1) / per); k++) wanted.push(part(kind + "/" + k));
    return Promise.all(wanted).then(function (chunks) {
      var first = Math.floor(from / per) * per;
      return [].concat.apply([], chunks).slice(from - first, to - first);
    });
  }

  function allArticles() {
    var n = Math.max(1, Math.ceil(data.n_articles / data.articles_per_part));
    var wanted = [];
    for (var k = 0; k < n; k++) wanted.push(part("articles/" + k));
    return Promise.all(wanted).then(function (chunks) { return [].concat.apply([], chunks); });
  }

  // The passages with the given numbers, each as [rank, start, end, features, marks].
  function passagesOf(numbers) {
    var per = data.passages_per_part, needed = {};
    numbers.forEach(function (p) { needed[Math.floor(p / per)] = true; });
    var keys = Object.keys(needed);
    return Promise.all(keys.map(function (k) { return part("passages/" + k); })).then(function (chunks) {
      var byPart = {};
      keys.forEach(function (k, i) { byPart[k] = chunks[i]; });
      return numbers.map(function (p) { return byPart[Math.floor(p / per)][p % per]; });
    });
  }

  // The digest parts holding the passages numbered (ascending), by part number: each
  // passage's article rank and feature set, what a text search needs of every passage
  // it finds (the passages parts are read only for the few it shows).
  var digests = {};

  function digestPart(k) {
    if (!digests[k]) {
      digests[k] = part("digest/" + k).then(function (d) {
        var n = 0;
        for (var i = 0; i < d.ranks.length; i += 2) n += d.ranks[i + 1];
        var ranks = new Int32Array(n), sets = new Int32Array(n);
        for (var j = 0, at = 0; j < d.ranks.length; j += 2) {
          ranks.fill(d.ranks[j], at, at + d.ranks[j + 1]);
          at += d.ranks[j + 1];
        }
        // Set numbers in base 32, self-delimiting (geo/reader.py, digest_digits).
        var last = data.digest_digits[0], more = data.digest_digits[1];
        for (var c = 0, m = 0, value = 0; c < d.sets.length; c++) {
          var digit = last.indexOf(d.sets[c]);
          if (digit < 0) {
            value = value * 32 + more.indexOf(d.sets[c]);
          } else {
            sets[m++] = value * 32 + digit;
            value = 0;
          }
        }
        return { ranks: ranks, sets: sets };
      }, function (error) {
        delete digests[k];
        throw error;
      });
    }
    return digests[k];
  }

  // A text search reads the digest of every passage a common word is in: while the
  // whole digest is small, it is read as soon as the reader turns to text search,
  // beside the first word's index shard rather than after it.
  var DIGEST_PREFETCH_PARTS = 32;

  // Results come newest first, so the first parts of passages, texts and articles
  // are where the shown passages of a common word are.
  function prefetchForText() {
    var ignore = function () {};
    ["passages/0", "texts/0", "articles/0"].forEach(function (key) {
      var got = part(key);
      if (got) got.catch(ignore);
    });
    var n = Math.ceil(data.n_passages / data.digest_per_part);
    if (n > DIGEST_PREFETCH_PARTS) return;
    for (var k = 0; k < n; k++) digestPart(String(k)).catch(ignore);
  }

  function digestOf(numbers) {
    var per = data.digest_per_part, needed = {};
    for (var i = 0; i < numbers.length; i++) needed[Math.floor(numbers[i] / per)] = true;
    var keys = Object.keys(needed);
    return Promise.all(keys.map(digestPart)).then(function (got) {
      var byPart = {};
      keys.forEach(function (k, j) { byPart[k] = got[j]; });
      return byPart;
    });
  }

  function textOf(rank) {
    var per = data.texts_per_part;
    return part("texts/" + Math.floor(rank / per)).then(function (texts) { return texts[rank % per]; });
  }

  // --- Spelling folds: those of geo/folding.py word_key -----------------------

  var DIGRAPHS = [["ç", "ch"], ["ş", "sh"], ["ž", "zh"], ["č", "ch"], ["š", "sh"], ["ğ", "g"]];
  var LETTERS = { "ı": "i", "ə": "e", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ʼ": "", "ʻ": "" };
  var SOUNDS = [[/x/g, "kh"], [/kh/g, "\u0001"], [/y/g, "i"], [/j/g, "i"], [/e/g, "a"]];
  var WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

  function fold(word) {
    var text = word.normalize("NFC").toLowerCase();
    DIGRAPHS.forEach(function (d) { text = text.split(d[0]).join(d[1]); });
    text = Array.from(text).map(function (c) { return c in LETTERS ? LETTERS[c] : c; }).join("");
    text = text.normalize("NFKD").replace(/\p{M}/gu, "");
    SOUNDS.forEach(function (s) { text = text.replace(s[0], s[1]); });
    return text.replace(/(.)\1+/gu, "$1").replace(/\u0001/g, "x");
  }

  function words(text) {
    return (String(text).match(WORD) || []).map(fold);
  }

  // Text as nodes, with the words that start with one of keys marked.
  function markedText(text, keys) {
    var box = document.createDocumentFragment();
    var cursor = 0, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var key = fold(match[0]);
      var hit = keys.some(function (k) { return key.indexOf(k) === 0; });
      if (!hit) continue;
      if (match.index > cursor) box.appendChild(document.createTextNode(text.slice(cursor, match.index)));
      box.appendChild(el("mark", "cr-hit", match[0]));
      cursor = match.index + match[0].length;
    }
    if (cursor < text.length) box.appendChild(document.createTextNode(text.slice(cursor)));
    return box;
  }

  // Offsets count code points, as Python does.
  function slice(chars, a, b) {
    return chars.slice(a, b).join("");
  }

  // --- Selection and the address ---------------------------------------------

  var map = null;
  var applying = false;
  // What is shown, as the address says it: the open popup's feature, the open
  // panel, the search typed (query and mode), and the time window (null: every date).
  var shown = { feature: null, panel: {}, q: null, mode: "names", from: null, to: null };

  function stateOf(hash) {
    var params = new URLSearchParams(String(hash).replace(/^#/, ""));
    return {
      feature: params.get("feature"),
      article: params.get("article"),
      at: params.get("at"),
      q: params.get("q"),
      mode: params.get("mode"),
      articles: params.has("articles"),
      citations: params.has("citations"),
      from: params.get("from"),
      to: params.get("to")
    };
  }

  function hashOf(state) {
    var params = new URLSearchParams();
    if (state.feature) params.set("feature", state.feature);
    if (state.article) params.set("article", state.article);
    if (state.article && state.at) params.set("at", state.at);
    if (state.q) params.set("q", state.q);
    if (state.q && state.mode === "text") params.set("mode", "text");
    if (state.articles) params.set("articles", "");
    if (state.citations) params.set("citations", "");
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    var text = params.toString().replace(/=(&|$)/g, "$1");
    return text ? "#" + text : "";
  }

  function shownState() {
    var state = { feature: shown.feature, q: shown.q, mode: shown.mode, from: shown.from, to: shown.to };
    Object.keys(shown.panel).forEach(function (k) { state[k] = shown.panel[k]; });
    return state;
  }

  // Each selection is a step of the browser's history; restoring one is not.
  function remember(replace) {
    if (applying) return;
    var hash = hashOf(shownState());
    if (hash === location.hash) return;
    var url = location.pathname + location.search + hash;
    if (replace) history.replaceState(null, "", url || location.pathname);
    else history.pushState(null, "", url || location.pathname);
  }

  function currentState() {
    return stateOf(location.hash);
  }

  // restoring: the panel of an address being restored replaces its step, not adds one.
  function showPanel(parts, restoring) {
    shown.panel = parts;
    remember(restoring);
  }

  function selectFeature(id) {
    var layer = map.citedFeatures && map.citedFeatures[id];
    if (!layer) return false;
    if (layer.getLatLng) {
      map.setView(layer.getLatLng(), Math.max(map.getZoom(), 8), { animate: false });
      layer.openPopup(layer.getLatLng());
    } else {
      // Framed below the room its popup takes, so that opening the popup pans nothing
      // and covers nothing of it; unless that would shrink it by more than a zoom level
      // below regional detail (zoom 7): a long route then shows whole, the popup over
      // part of it.
      var popup = layer.getPopup(), bounds = layer.getBounds();
      var room = Math.min(map.getSize().y * 0.6, (popup ? popup.options.maxHeight : 300) + 70);
      var plain = Math.min(9, map.getBoundsZoom(bounds, false, L.point(80, 80)));
      var roomy = Math.min(9, map.getBoundsZoom(bounds, false, L.point(80, 80 + room)));
      map.fitBounds(bounds, {
        paddingTopLeft: [40, 40 + (roomy >= Math.min(plain - 1, 7) ? room : 0)],
        paddingBottomRight: [40, 40],
        maxZoom: 9,
        animate: false
      });
      layer.openPopup();
    }
    return true;
  }

  function apply(state) {
    applying = true;
    shown.feature = state.feature;
    try {
      // The window first: the panels and the search opened next show what is in it.
      if (time) time.restore(state.from, state.to);
      search.set(state.q || "", state.mode === "text" ? "text" : "names");
      if (state.article) openArticle(state.article, state.at === null ? null : Number(state.at), true);
      else if (state.articles) openArticleList(true);
      else if (state.citations) openCitations(true);
      else panel.close(true);
      if (state.feature) selectFeature(state.feature);
      else map.closePopup();
    } finally {
      applying = false;
    }
  }

  // --- The time window (timeline.js): what is in it, and what follows it --------

  // The first rank of each run of equal date buckets (date_runs, newest first).
  var runStarts = null;

  function bucketOfRank(rank) {
    if (!runStarts) {
      runStarts = [];
      var at = 0;
      data.date_runs.forEach(function (run) {
        runStarts.push([at, run[0]]);
        at += run[1];
      });
    }
    var lo = 0, hi = runStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (runStarts[mid][0] <= rank) lo = mid;
      else hi = mid - 1;
    }
    return runStarts[lo][1];
  }

  function windowed() {
    return time !== null && !time.window().full;
  }

  function dateIn(date) {
    return !windowed() || time.articleIn(date);
  }

  function rankIn(rank) {
    return !windowed() || time.articleIn(bucketOfRank(rank));
  }

  // The open panel's own refresh, called with what changed: "time" or "selection".
  var refreshPanel = null;
  var refreshTimer = null;
  var refreshWhat = {};

  // Panels and the search follow the window (and the table the selection) a moment
  // later, once for a run of changes such as a drag; they say at once that they are
  // not ready, so that nobody reads the rows of the window before.
  function changed(what) {
    refreshWhat[what] = true;
    if (refreshPanel) panel.node.removeAttribute("data-ready");
    if (what === "time") search.unready();
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(function () {
      var whats = Object.keys(refreshWhat);
      refreshTimer = null;
      refreshWhat = {};
      whats.forEach(function (w) { if (refreshPanel) refreshPanel(w); });
      if (whats.indexOf("time") >= 0) {
        search.refresh();
        paintWindowLines();
      }
    }, 120);
  }

  // A drag, a run of play, is one step of the history; each key press and button one.
  function followTime() {
    if (!time) return;
    var lastGesture = null;
    time.onChange(function (w) {
      shown.from = w.full ? null : w.from;
      shown.to = w.full ? null : w.to;
      if (w.gesture !== null) {
        remember(w.gesture === lastGesture);
        lastGesture = w.gesture;
      }
      changed("time");
    });
  }

  // A chip in a panel that names a filter from outside it, with a button that lifts it.
  function filterChip(className, text, removeLabel, remove) {
    var chip = el("span", "cr-filter-chip " + className);
    chip.appendChild(el("span", "cr-filter-chip-text", text));
    var x = button("cr-chip-remove", "\u00d7", removeLabel);
    x.addEventListener("click", function () {
      remove();
      // The chip goes with its filter: the keyboard's place is the panel's heading.
      panel.focus();
    });
    chip.appendChild(x);
    return chip;
  }

  function windowChip() {
    if (!windowed()) return null;
    return filterChip("cr-window-chip", "Published " + time.window().label,
      "Show every date (remove the time window)", function () { time.everyDate(); });
  }

  // What a popup says of the window: its citations from articles published in it.
  var windowLines = [];

  function addWindowLine(root, id) {
    if (!time) return;
    var line = el("p", "cr-window-line");
    line.setAttribute("data-feature", id);
    L.DomEvent.disableClickPropagation(line);
    var count = root.querySelector(".cm-count");
    root.insertBefore(line, count ? count.nextSibling : null);
    windowLines.push({ node: line, id: id });
    paintWindowLine(line, id);
  }

  function paintWindowLine(node, id) {
    node.textContent = "";
    node.hidden = !windowed();
    if (node.hidden) return;
    var passages = 0, articles = 0;
    (data.cited[id] || []).forEach(function (c) {
      if (time.articleIn(c[0])) {
        passages += c[1];
        articles += c[2];
      }
    });
    var when = time.window().label;
    if (!passages) {
      node.textContent = "No article published in " + when + " cites it.";
      return;
    }
    node.appendChild(document.createTextNode("Published in " + when + ": " + passages +
      (passages === 1 ? " citation" : " citations") + " from " + articles + (articles === 1 ? " article. " : " articles. ")));
    var list = button("cr-link cr-window-table", "List them in the citations table");
    list.addEventListener("click", function () { openCitations(); });
    node.appendChild(list);
  }

  function paintWindowLines() {
    windowLines = windowLines.filter(function (w) { return document.body.contains(w.node); });
    windowLines.forEach(function (w) { paintWindowLine(w.node, w.id); });
  }

  // --- The side panel: one article, or the list of articles --------------------

  var panel = (function () {
    var box = el("aside", "cr-panel");
    box.setAttribute("aria-labelledby", "cr-panel-title");
    box.hidden = true;
    var head = el("div", "cr-panel-head");
    var title = el("h2", "cr-panel-title");
    title.id = "cr-panel-title";
    title.tabIndex = -1;
    var close = button("cr-close", "\u00d7", "Close panel");
    head.appendChild(title);
    head.appendChild(close);
    var body = el("div", "cr-panel-body");
    box.appendChild(head);
    box.appendChild(body);
    var returnTo = null;
    var kind = null;
    var onClose = null;

    function open(heading, which) {
      if (onClose) onClose();
      onClose = null;
      refreshPanel = null;
      if (box.hidden) returnTo = document.activeElement;
      box.hidden = false;
      kind = which;
      title.textContent = heading;
      body.textContent = "";
      box.setAttribute("data-panel", which);
      box.removeAttribute("data-ready");
      document.body.classList.add("cr-panel-open");
      return body;
    }

    function hide(fromHistory) {
      if (box.hidden) return;
      if (onClose) onClose();
      onClose = null;
      refreshPanel = null;
      box.hidden = true;
      kind = null;
      document.body.classList.remove("cr-panel-open");
      shown.panel = {};
      if (!fromHistory) remember();
      if (returnTo && document.body.contains(returnTo)) returnTo.focus();
      else map.getContainer().focus();
    }

    close.addEventListener("click", function () { hide(false); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide(false);
    });
    return {
      node: box,
      open: open,
      close: hide,
      kind: function () { return kind; },
      onClose: function (undo) { onClose = undo; },
      ready: function () {
        box.setAttribute("data-ready", "true");
      },
      focus: function () { title.focus(); }
    };
  })();

  function articleIndex() {
    return allArticles().then(function (list) {
      var byId = {};
      list.forEach(function (row, rank) { byId[row[0]] = rank; });
      return { list: list, byId: byId };
    });
  }

  function openArticle(id, at, restoring) {
    var body = panel.open("Article", "article");
    return articleIndex().then(function (index) {
      var rank = index.byId[id];
      if (rank === undefined) {
        body.appendChild(el("p", "cr-error", "No article " + id + " in this map."));
        panel.ready();
        return;
      }
      var row = index.list[rank];
      return Promise.all([textOf(rank), rows("passages", data.passages_per_part, row[6], row[6] + row[7])]).then(
        function (got) {
          renderArticle(body, row, got[0], row[7] ? got[1] : [], at);
          showPanel({ article: id, at: at === null || at === undefined ? null : String(at) }, restoring);
          panel.ready();
          panel.focus();
        }
      );
    }).catch(function (error) {
      body.appendChild(el("p", "cr-error", "The article is unavailable: " + error.message));
      panel.ready();
    });
  }

  function renderArticle(body, row, text, spans, at) {
    panel.node.querySelector(".cr-panel-title").textContent = row[1];
    var meta = el("p", "cr-meta", row[2] + " \u00b7 " + row[3]);
    body.appendChild(meta);
    var url = row[4] ? safeUrl(row[4]) : null;
    if (url) {
      var link = el("a", "cr-original", "Read the original at " + row[2]);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      body.appendChild(link);
    }
    body.appendChild(
      el("p", "cr-count", spans.length + (spans.length === 1 ? " cited passage" : " cited passages") + ", highlighted; each names what it cites.")
    );
    body.appendChild(el("p", "cr-note", "File: " + row[0]));
    var textBox = el("div", "cr-text");
    var chars = Array.from(text);
    var cursor = 0, marks = 0;
    var target = null;
    spans.forEach(function (span) {
      var start = Math.max(span[1], cursor), end = span[2];
      if (start > cursor) textBox.appendChild(document.createTextNode(slice(chars, cursor, start)));
      if (end > start) {
        var mark = el("mark", "cr-passage" + (marks++ % 2 ? " cr-alt" : ""), slice(chars, start, end));
        mark.setAttribute("data-start", String(span[1]));
        mark.setAttribute("data-end", String(span[2]));
        mark.setAttribute("data-feature", data.features[span[3][0]][0]);
        mark.addEventListener("click", function () { chooseFeature(data.features[span[3][0]][0]); });
        textBox.appendChild(mark);
        if (target === null && at !== null && at !== undefined && span[1] <= at && at < span[2]) target = mark;
      }
      span[3].forEach(function (f) {
        var feature = data.features[f];
        var chip = button("cr-chip", feature[1], "Show " + feature[1] + " on the map");
        chip.setAttribute("data-feature", feature[0]);
        chip.addEventListener("click", function () { chooseFeature(feature[0]); });
        textBox.appendChild(chip);
      });
      cursor = Math.max(cursor, end);
    });
    if (cursor < chars.length) textBox.appendChild(document.createTextNode(slice(chars, cursor)));
    body.appendChild(textBox);
    if (target) {
      target.classList.add("cr-current");
      target.scrollIntoView({ block: "center" });
    }
  }

  // A feature chosen in the panel: on a phone the panel gives the screen back.
  function chooseFeature(id) {
    if (window.matchMedia("(max-width: 640px)").matches) panel.close(true);
    shown.feature = id;
    remember();
    selectFeature(id);
  }

  var COLUMNS = [
    { label: "Outlet", index: 2 },
    { label: "Date", index: 3 },
    { label: "Title", index: 1 },
    { label: "Citations", index: 5, numeric: true }
  ];

  function openArticleList(restoring) {
    var body = panel.open("Articles", "articles");
    return allArticles().then(function (list) {
      var chips = el("div", "cr-chips");
      body.appendChild(chips);
      var table = el("table", "cr-articles");
      var headRow = el("tr");
      var order = { column: 1, descending: true };
      var tbody = el("tbody");
      COLUMNS.forEach(function (column, c) {
        var th = el("th");
        th.scope = "col";
        var sort = button("cr-sort", column.label);
        sort.addEventListener("click", function () {
          order = { column: c, descending: order.column === c ? !order.descending : column.numeric === true };
          fill();
        });
        th.appendChild(sort);
        headRow.appendChild(th);
      });
      var thead = el("thead");
      thead.appendChild(headRow);
      table.appendChild(thead);
      table.appendChild(tbody);
      body.appendChild(table);

      // The articles published in the time window, if one is set.
      function fill() {
        var kept = list.filter(function (row) { return dateIn(row[3]); });
        panel.node.querySelector(".cr-panel-title").textContent = "Articles (" +
          (kept.length === list.length ? list.length : kept.length + " of " + list.length) + ")";
        chips.textContent = "";
        var chip = windowChip();
        if (chip) chips.appendChild(chip);
        var column = COLUMNS[order.column];
        var sorted = kept.sort(function (a, b) {
          var x = a[column.index], y = b[column.index];
          var c = x < y ? -1 : x > y ? 1 : 0;
          return (order.descending ? -c : c) || (a[0] < b[0] ? -1 : 1);
        });
        Array.prototype.forEach.call(headRow.children, function (th, c) {
          th.setAttribute("aria-sort", c === order.column ? (order.descending ? "descending" : "ascending") : "none");
        });
        tbody.textContent = "";
        sorted.forEach(function (row) {
          var tr = el("tr");
          tr.appendChild(el("td", null, row[2]));
          tr.appendChild(el("td", null, row[3]));
          var cell = el("td");
          var open = button("cr-open-article", row[1]);
          open.setAttribute("data-article", row[0]);
          open.addEventListener("click", function () { openArticle(row[0], null); });
          cell.appendChild(open);
          tr.appendChild(cell);
          tr.appendChild(el("td", "cr-num", row[5]));
          tbody.appendChild(tr);
        });
        panel.ready();
      }
      fill();
      refreshPanel = function (what) {
        if (what === "time") fill();
        else panel.ready();
      };
      showPanel({ articles: true }, restoring);
      panel.focus();
    });
  }


  // --- The citations table: every (feature, passage), filterable, as CSV ---------

  var TABLE_PAGE = 50;
  var TABLE_COLUMNS = [
    { label: "Feature", key: function (r) { return data.features[r.feature][1]; } },
    { label: "Layer", key: function (r) { return data.features[r.feature][2]; } },
    { label: "Outlet", key: function (r) { return r.article[2]; } },
    { label: "Date", key: function (r) { return r.article[3]; } },
    { label: "Excerpt", key: function (r) { return r.passage; } }
  ];

  function allPassages() {
    var n = Math.ceil(data.n_passages / data.passages_per_part), wanted = [];
    for (var k = 0; k < n; k++) wanted.push(part("passages/" + k));
    return Promise.all(wanted).then(function (chunks) { return [].concat.apply([], chunks); });
  }

  // Hides the features no row of the table's filters cites (kept: those it does; null
  // shows every feature again), and dims all but the feature selected on the map, to
  // which the table is narrowed (selected: its id, or null).
  function filterMap(kept, selected) {
    var ids = Object.keys(map.citedFeatures);
    var out = null, faded = null;
    if (kept !== null) {
      out = {};
      ids.forEach(function (id) { if (!kept[id]) out[id] = true; });
    }
    if (selected) {
      faded = {};
      ids.forEach(function (id) { if (id !== selected) faded[id] = true; });
    }
    window.citedVisibility.set("table", out, "hide");
    window.citedVisibility.set("selection", faded, "dim");
    map.getContainer().setAttribute("data-filtered", kept === null ? "" : Object.keys(kept).sort().join(" "));
    map.getContainer().setAttribute("data-selected", selected || "");
  }

  // The feature selected on the map (its popup open), as an index of data.features.
  function selectedIndex() {
    if (!shown.feature) return -1;
    for (var i = 0; i < data.features.length; i++) if (data.features[i][0] === shown.feature) return i;
    return -1;
  }

  function selectionChip(index) {
    var name = data.features[index][1];
    return filterChip("cr-selection-chip", "Selected on the map: " + name,
      "Show every feature\u2019s citations (deselect " + name + ")", function () {
        map.closePopup();
        changed("selection");
      });
  }

  function csvCell(value) {
    var text = String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function excerptsOf(rowsShown) {
    return Promise.all(rowsShown.map(function (r) { return textOf(r.span[0]); })).then(function (texts) {
      return rowsShown.map(function (r, i) { return slice(Array.from(texts[i]), r.span[1], r.span[2]); });
    });
  }

  function select(label, everything, options) {
    var box = el("select", "cr-filter");
    box.setAttribute("aria-label", label);
    var all = el("option", null, everything);
    all.value = "";
    box.appendChild(all);
    options.forEach(function (o) {
      var option = el("option", null, o[1]);
      option.value = o[0];
      box.appendChild(option);
    });
    return box;
  }

  function openCitations(restoring) {
    var body = panel.open("Citations", "citations");
    panel.onClose(function () { filterMap(null, null); });
    return Promise.all([allPassages(), allArticles()]).then(function (got) {
      var spans = got[0], articles = got[1];
      var all = [];
      spans.forEach(function (span, p) {
        span[3].forEach(function (f) {
          all.push({ passage: p, feature: f, span: span, article: articles[span[0]] });
        });
      });
      var cited = {}, layers = {}, outlets = {};
      all.forEach(function (r) {
        cited[r.feature] = true;
        layers[data.features[r.feature][2]] = true;
        outlets[r.article[2]] = true;
      });
      var byFeature = select("Filter by feature", "All features", Object.keys(cited).map(Number).sort(function (a, b) { return a - b; })
        .map(function (f) { return [String(f), data.features[f][1]]; }));
      var byLayer = select("Filter by layer", "All layers", Object.keys(layers).sort().map(function (l) { return [l, l]; }));
      var byOutlet = select("Filter by outlet", "All outlets", Object.keys(outlets).sort().map(function (o) { return [o, o]; }));
      var words = el("input", "cr-filter-words");
      words.type = "search";
      words.placeholder = "Words of the excerpt";
      words.setAttribute("aria-label", "Filter by words of the excerpt");
      var filters = el("div", "cr-filters");
      [words, byFeature, byLayer, byOutlet].forEach(function (node) { filters.appendChild(node); });
      // The filters from outside the table: the time window, the map's selection.
      var chips = el("div", "cr-chips");
      var download = button("cr-download", "Download CSV");
      var summary = el("p", "cr-summary");
      var table = el("table", "cr-citations");
      var headRow = el("tr");
      var thead = el("thead");
      var tbody = el("tbody");
      thead.appendChild(headRow);
      table.appendChild(thead);
      table.appendChild(tbody);
      var pager = el("div", "cr-pager");
      var prev = button("cr-prev", "\u2039 Previous");
      var where = el("span", "cr-page");
      var next = button("cr-next", "Next \u203a");
      [prev, where, next].forEach(function (n) { pager.appendChild(n); });
      [filters, chips, download, summary, table, pager].forEach(function (n) { body.appendChild(n); });
      var order = { column: 3, descending: true };
      var shown = all, page = 0, asked = 0;

      TABLE_COLUMNS.forEach(function (column, c) {
        var th = el("th");
        th.scope = "col";
        var sort = button("cr-sort", column.label);
        sort.addEventListener("click", function () {
          order = { column: c, descending: order.column === c ? !order.descending : false };
          refilter();
        });
        th.appendChild(sort);
        headRow.appendChild(th);
      });

      function paintChips(selected) {
        chips.textContent = "";
        var chip = windowChip();
        if (chip) chips.appendChild(chip);
        if (selected >= 0) chips.appendChild(selectionChip(selected));
      }

      function refilter() {
        var ticket = ++asked;
        panel.node.removeAttribute("data-ready");
        var keys = (words.value.match(WORD) || []).map(fold).filter(function (k) { return k.length >= data.shard_prefix; });
        var matched = keys.length ? search.matching(keys) : Promise.resolve(null);
        return matched.then(function (passages) {
          if (ticket !== asked) return;
          var hits = null;
          if (passages) {
            hits = new Uint8Array(data.n_passages);
            passages.forEach(function (p) { hits[p] = 1; });
          }
          var base = all.filter(function (r) {
            return (!hits || hits[r.passage]) &&
              (!byFeature.value || String(r.feature) === byFeature.value) &&
              (!byLayer.value || data.features[r.feature][2] === byLayer.value) &&
              (!byOutlet.value || r.article[2] === byOutlet.value) &&
              dateIn(r.article[3]);
          });
          var selected = selectedIndex();
          shown = selected < 0 ? base : base.filter(function (r) { return r.feature === selected; });
          paintChips(selected);
          var key = TABLE_COLUMNS[order.column].key;
          shown.sort(function (a, b) {
            var x = key(a), y = key(b);
            var c = x < y ? -1 : x > y ? 1 : 0;
            return (order.descending ? -c : c) || a.passage - b.passage || a.feature - b.feature;
          });
          Array.prototype.forEach.call(headRow.children, function (th, c) {
            th.setAttribute("aria-sort", c === order.column ? (order.descending ? "descending" : "ascending") : "none");
          });
          var kept = null;
          if (base.length !== all.length) {
            kept = {};
            base.forEach(function (r) { kept[data.features[r.feature][0]] = true; });
          }
          filterMap(kept, selected < 0 ? null : data.features[selected][0]);
          return showPage(0, ticket);
        });
      }

      function showPage(n, ticket) {
        var pages = Math.max(1, Math.ceil(shown.length / TABLE_PAGE));
        page = Math.min(Math.max(n, 0), pages - 1);
        var rowsShown = shown.slice(page * TABLE_PAGE, page * TABLE_PAGE + TABLE_PAGE);
        return excerptsOf(rowsShown).then(function (texts) {
          if (ticket !== asked) return;
          tbody.textContent = "";
          rowsShown.forEach(function (r, i) {
            var tr = el("tr");
            var cell = el("td");
            var feature = data.features[r.feature];
            var choose = button("cr-link", feature[1]);
            choose.setAttribute("data-feature", feature[0]);
            choose.addEventListener("click", function () { chooseFeature(feature[0]); });
            cell.appendChild(choose);
            tr.appendChild(cell);
            tr.appendChild(el("td", null, feature[2]));
            tr.appendChild(el("td", null, r.article[2]));
            tr.appendChild(el("td", null, r.article[3]));
            var excerpt = el("td", "cr-excerpt-cell");
            var read = button("cr-open-article", texts[i]);
            read.setAttribute("data-article", r.article[0]);
            read.setAttribute("data-start", String(r.span[1]));
            read.addEventListener("click", function () { openArticle(r.article[0], r.span[1]); });
            excerpt.appendChild(read);
            tr.appendChild(excerpt);
            tbody.appendChild(tr);
          });
          summary.textContent = shown.length + (shown.length === 1 ? " citation" : " citations") +
            (shown.length !== all.length ? " of " + all.length : "") +
            (selectedIndex() < 0 ? "; the map shows the features they cite." : "; the map dims the other features.");
          where.textContent = "Page " + (page + 1) + " of " + pages;
          prev.disabled = page === 0;
          next.disabled = page >= pages - 1;
          panel.ready();
        });
      }

      function csv() {
        var rowsAll = shown.slice();
        return excerptsOf(rowsAll).then(function (texts) {
          var lines = [["feature_id", "feature", "layer", "article", "outlet", "date", "title", "start", "end", "excerpt"].join(",")];
          rowsAll.forEach(function (r, i) {
            var f = data.features[r.feature];
            lines.push([f[0], f[1], f[2], r.article[0], r.article[2], r.article[3], r.article[1], r.span[1], r.span[2], texts[i]].map(csvCell).join(","));
          });
          return lines.join("\r\n") + "\r\n";
        });
      }

      download.addEventListener("click", function () {
        csv().then(function (text) {
          var link = el("a");
          link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
          link.download = "citations.csv";
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        });
      });
      prev.addEventListener("click", function () { showPage(page - 1, asked); });
      next.addEventListener("click", function () { showPage(page + 1, asked); });
      [byFeature, byLayer, byOutlet].forEach(function (s) { s.addEventListener("change", refilter); });
      words.addEventListener("input", refilter);
      refreshPanel = refilter;
      panel.node.querySelector(".cr-panel-title").textContent = "Citations (" + all.length + ")";
      showPanel({ citations: true }, restoring);
      panel.focus();
      return refilter();
    });
  }

  // --- Search ------------------------------------------------------------------

  var search = (function () {
    var box = el("div", "cr-search");
    var form = el("form", "cr-search-form");
    form.setAttribute("role", "search");
    var input = el("input", "cr-search-input");
    input.type = "search";
    input.placeholder = "Search places, routes, visits";
    input.setAttribute("aria-label", "Search the map");
    input.autocomplete = "off";
    var modes = el("div", "cr-modes");
    modes.setAttribute("role", "group");
    modes.setAttribute("aria-label", "What to search");
    var byName = button("cr-mode", "Names");
    var byText = button("cr-mode", "Article text");
    byName.setAttribute("data-mode", "names");
    byText.setAttribute("data-mode", "text");
    modes.appendChild(byName);
    modes.appendChild(byText);
    var listButton = button("cr-list-button", "All articles");
    modes.appendChild(listButton);
    var tableButton = button("cr-table-button", "Citations table");
    modes.appendChild(tableButton);
    form.appendChild(input);
    box.appendChild(form);
    box.appendChild(modes);
    var results = el("div", "cr-results");
    results.setAttribute("aria-live", "polite");
    box.appendChild(results);
    var mode = "names";
    var asked = 0;
    var decoded = {};

    function setMode(m) {
      mode = m;
      byName.setAttribute("aria-pressed", String(m === "names"));
      byText.setAttribute("aria-pressed", String(m === "text"));
      input.placeholder = m === "names" ? "Search places, routes, visits" : "Search the words of the excerpts";
      if (m === "text") prefetchForText();
    }
    setMode("names");

    var names = null;
    function nameTable() {
      if (!names) {
        names = data.features.map(function (f, i) {
          var spelled = [f[1]].concat(f[3]);
          return { index: i, keys: spelled.map(function (s) { return words(s).join(" "); }), spelled: spelled };
        });
      }
      return names;
    }

    function findNames(query) {
      var q = words(query).join(" ");
      if (!q) return [];
      var found = [];
      nameTable().forEach(function (entry) {
        var best = null;
        entry.keys.forEach(function (key, k) {
          var at = key.indexOf(q);
          if (at < 0) return;
          // The whole name ranks first, then a match at the start of the name, of a
          // word, and inside a word.
          var score = key === q ? -1 : at === 0 ? 0 : key.charAt(at - 1) === " " ? 1 : 2;
          if (best === null || score < best.score) best = { score: score, spelled: entry.spelled[k], alias: k > 0 };
        });
        if (best) found.push({ index: entry.index, score: best.score, spelled: best.spelled, alias: best.alias });
      });
      found.sort(function (a, b) { return a.score - b.score || a.index - b.index; });
      return found.slice(0, SHOWN_NAMES);
    }

    function showNames(query) {
      var found = findNames(query);
      results.textContent = "";
      if (!found.length) {
        results.appendChild(el("p", "cr-empty", "No place, route or visit is called that."));
        return;
      }
      var list = el("ul", "cr-list");
      found.forEach(function (hit) {
        var f = data.features[hit.index];
        var item = el("li");
        var choose = button("cr-result", null);
        choose.setAttribute("data-feature", f[0]);
        choose.appendChild(el("span", "cr-result-name", f[1]));
        var detail = f[2] + (hit.alias ? " \u00b7 also \u201c" + hit.spelled + "\u201d" : "");
        choose.appendChild(el("span", "cr-result-detail", detail));
        choose.addEventListener("click", function () { chooseFeature(f[0]); });
        item.appendChild(choose);
        list.appendChild(item);
      });
      results.appendChild(list);
    }

    // A word's passage numbers from its comma-joined differences, read digit by digit:
    // a common word's list is millions of characters, and split() would make a string
    // of each number first.
    function postings(key, shard) {
      if (!decoded[key]) {
        var deltas = shard[key], numbers = new Int32Array(1 + (deltas.match(/,/g) || []).length);
        var n = 0, value = 0, last = 0;
        for (var i = 0; i < deltas.length; i++) {
          var c = deltas.charCodeAt(i);
          if (c === 44) {
            last += value;
            numbers[n++] = last;
            value = 0;
          } else {
            value = value * 10 + c - 48;
          }
        }
        numbers[n] = last + value;
        decoded[key] = numbers;
      }
      return decoded[key];
    }

    // Passage numbers, in order, holding a word that starts with each query word.
    function matching(keys) {
      var shards = keys.map(function (k) {
        var shard = k.slice(0, data.shard_prefix);
        return data.shards.indexOf(shard) >= 0 ? part("index/" + shard) : Promise.resolve({});
      });
      return Promise.all(shards).then(function (got) {
        var seen = new Uint8Array(data.n_passages);
        var full = (1 << keys.length) - 1;
        keys.forEach(function (k, j) {
          var shard = got[j] || {};
          Object.keys(shard).forEach(function (word) {
            if (word.indexOf(k) !== 0) return;
            var numbers = postings(word, shard), bit = 1 << j;
            for (var i = 0; i < numbers.length; i++) seen[numbers[i]] |= bit;
          });
        });
        var found = [];
        for (var p = 0; p < seen.length; p++) if (seen[p] === full) found.push(p);
        return found;
      });
    }

    function showText(query, ticket) {
      var keys = words(query).filter(function (k) { return k.length >= data.shard_prefix; }).slice(0, 7);
      if (!keys.length) {
        results.textContent = "";
        results.appendChild(el("p", "cr-empty", "Type at least two letters of a word."));
        return Promise.resolve();
      }
      return matching(keys).then(function (found) {
        if (ticket !== asked) return;
        return digestOf(found).then(function (digest) {
          if (ticket !== asked) return;
          // Only the passages of articles published in the time window, if one is set;
          // what each set of features gathers, counted as they are kept.
          var kept = [], bySet = {}, per = data.digest_per_part, lastRank = -1, lastIn = false;
          for (var i = 0; i < found.length; i++) {
            var d = digest[Math.floor(found[i] / per)], at = found[i] % per, rank = d.ranks[at];
            if (rank !== lastRank) {
              lastRank = rank;
              lastIn = rankIn(rank);
            }
            if (!lastIn) continue;
            kept.push(found[i]);
            bySet[d.sets[at]] = (bySet[d.sets[at]] || 0) + 1;
          }
          var counts = {};
          Object.keys(bySet).forEach(function (set) {
            data.feature_sets[set].forEach(function (f) { counts[f] = (counts[f] || 0) + bySet[set]; });
          });
          // The shown passages' ranks are in the digest: their texts and article rows
          // load beside their offsets, not after them.
          var numbers = kept.slice(0, SHOWN_PASSAGES);
          var ranks = numbers.map(function (p) { return digest[Math.floor(p / per)].ranks[p % per]; });
          return Promise.all([
            passagesOf(numbers),
            Promise.all(ranks.map(textOf)),
            Promise.all(ranks.map(function (r) { return rows("articles", data.articles_per_part, r, r + 1); }))
          ]).then(function (got) {
            if (ticket !== asked) return;
            renderText(keys, kept.length, counts, got[0], got[1], got[2]);
          });
        });
      });
    }

    function renderText(keys, total, counts, shown, texts, articleRows) {
      results.textContent = "";
      var ranked = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a - b; });
      var when = windowed() ? " published in " + time.window().label : "";
      results.appendChild(
        el("p", "cr-summary", total + (total === 1 ? " passage" : " passages") + when + " about " + ranked.length + (ranked.length === 1 ? " feature" : " features"))
      );
      if (!total) return;
      var features = el("ul", "cr-list cr-features");
      ranked.slice(0, SHOWN_FEATURES).forEach(function (f) {
        var feature = data.features[f];
        var item = el("li");
        var choose = button("cr-result", null);
        choose.setAttribute("data-feature", feature[0]);
        choose.appendChild(el("span", "cr-result-name", feature[1]));
        choose.appendChild(el("span", "cr-result-detail", counts[f] + (counts[f] === 1 ? " passage" : " passages")));
        choose.addEventListener("click", function () { chooseFeature(feature[0]); });
        item.appendChild(choose);
        features.appendChild(item);
      });
      results.appendChild(features);
      var list = el("ul", "cr-list cr-passages");
      shown.forEach(function (span, i) {
        var row = articleRows[i][0];
        var item = el("li");
        var choose = button("cr-result cr-passage-result", null);
        choose.setAttribute("data-article", row[0]);
        choose.setAttribute("data-start", String(span[1]));
        choose.appendChild(el("span", "cr-result-detail", row[2] + " \u00b7 " + row[3] + " \u00b7 " + row[1]));
        var excerpt = el("span", "cr-excerpt");
        excerpt.appendChild(markedText(slice(Array.from(texts[i]), span[1], span[2]), keys));
        choose.appendChild(excerpt);
        choose.addEventListener("click", function () { openArticle(row[0], span[1]); });
        item.appendChild(choose);
        list.appendChild(item);
      });
      results.appendChild(list);
      if (total > shown.length) {
        results.appendChild(el("p", "cr-more", "The first " + shown.length + " passages, newest first."));
      }
    }

    function run(fromUser) {
      var query = input.value;
      var ticket = ++asked;
      box.removeAttribute("data-ready");
      shown.q = query || null;
      shown.mode = mode;
      // Typing refines one search: it replaces the address rather than adding steps.
      if (fromUser) remember(true);
      if (!query.trim()) {
        results.textContent = "";
        box.setAttribute("data-ready", "");
        return Promise.resolve();
      }
      var done = mode === "names" ? Promise.resolve(showNames(query)) : showText(query, ticket);
      return done.then(
        function () {
          if (ticket === asked) box.setAttribute("data-ready", query);
        },
        function (error) {
          results.textContent = "";
          results.appendChild(el("p", "cr-error", "Search unavailable: " + error.message));
          box.setAttribute("data-ready", query);
        }
      );
    }

    input.addEventListener("input", function () { run(true); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = results.querySelector(".cr-result");
      if (first) first.click();
    });
    [byName, byText].forEach(function (b) {
      b.addEventListener("click", function () {
        setMode(b.getAttribute("data-mode"));
        run(true);
        input.focus();
      });
    });
    listButton.addEventListener("click", function () { openArticleList(); });
    tableButton.addEventListener("click", function () { openCitations(); });
    // Arrow keys move between the search box and its results.
    box.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var items = Array.prototype.slice.call(results.querySelectorAll(".cr-result"));
      if (!items.length) return;
      var at = items.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? Math.min(at + 1, items.length - 1) : at - 1;
      event.preventDefault();
      if (next < 0) input.focus();
      else items[next].focus();
    });

    return {
      node: box,
      matching: matching,
      set: function (query, m) {
        input.value = query;
        setMode(m);
        run(false);
      },
      // The search of the excerpts again, for a new time window.
      unready: function () {
        if (mode === "text" && input.value.trim()) box.removeAttribute("data-ready");
      },
      refresh: function () {
        if (mode === "text" && input.value.trim()) run(false);
      }
    };
  })();

  function control() {
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      L.DomEvent.disableClickPropagation(search.node);
      L.DomEvent.disableScrollPropagation(search.node);
      return search.node;
    };
    return c;
  }

  // The popups' own selections: opening one is a step; closing it, unless another
  // opens at once, is one too.
  // The citations table follows the selection.
  function followPopups() {
    map.on("popupopen", function (event) {
      var source = event.popup._source;
      var id = source && source.feature && source.feature.id;
      if (!id) return;
      changed("selection");
      if (shown.feature === id) return;
      shown.feature = id;
      remember();
    });
    map.on("popupclose", function () {
      setTimeout(function () {
        if (applying || map._popup && map.hasLayer(map._popup)) return;
        if (!shown.feature) return;
        shown.feature = null;
        remember();
        changed("selection");
      }, 0);
    });
  }

  // What a popup says of the time window, and its links across layers.
  function decoratePopup(root, id) {
    if (!data) return;
    addWindowLine(root, id);
    addLinks(root, id);
  }

  // A visit's popup lists the routes its articles also cite, and a route's the visits.
  function addLinks(root, id) {
    var links = data.links[id];
    if (!links) return;
    var byId = {};
    data.features.forEach(function (f) { byId[f[0]] = f; });
    var box = el("div", "cr-links");
    box.appendChild(el("h4", "cr-links-title", links[0] === "visit"
      ? "Corridors and pipelines its articles also cite"
      : "Visits whose articles discuss it"));
    var list = el("ul", "cr-links-list");
    links[1].forEach(function (link) {
      var other = byId[link[0]];
      var item = el("li");
      var choose = button("cr-link", other[1]);
      choose.setAttribute("data-feature", other[0]);
      choose.addEventListener("click", function () { chooseFeature(other[0]); });
      item.appendChild(choose);
      item.appendChild(document.createTextNode(" \u00b7 " + link[1] + (link[1] === 1 ? " article" : " articles") + " citing both"));
      list.appendChild(item);
    });
    box.appendChild(list);
    L.DomEvent.disableClickPropagation(box);
    root.insertBefore(box, root.querySelector(".cm-count"));
  }

  window.citedReader = {
    decoratePopup: decoratePopup,
    part: function (key, base64) {
      if (waiters[key]) waiters[key](base64);
      delete waiters[key];
    },
    openArticle: function (id, at) { return openArticle(id, at); },
    init: function (leafletMap, table) {
      map = leafletMap;
      data = table;
      control().addTo(map);
      document.body.appendChild(panel.node);
      followPopups();
      followTime();
      window.addEventListener("popstate", function () { apply(currentState()); });
      if (location.hash) apply(currentState());
      map.getContainer().setAttribute("data-reader", "ready");
    }
  };
})(window.L);
