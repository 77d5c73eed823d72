// The time slider: a window of months over the dated features (visits) and the dates of
// the articles. A dated feature stays on the map while any month of it is in the
// window; undated layers always stay. An article is in the window when its date is, as
// far as metadata knows it (one dated only by its year needs the whole year).
// The reader (reader.js) keeps the window in the address and applies it to the list of
// articles, the citations table, the text search and the popups' counts.
// Built with DOM nodes and textContent only.
(function (L) {
  "use strict";
  var dom = window.citedMap.dom;
  var el = dom.el;
  var button = dom.button;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var PHONE = "(max-width: 640px)";

  // --- Months as numbers (year * 12 + month - 1): a window is two integers ----------

  function monthNumber(text) {
    var m = /^(\d{4})-(\d{2})$/.exec(String(text));
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    return Number(m[1]) * 12 + Number(m[2]) - 1;
  }

  function monthText(n) {
    var month = (n % 12) + 1;
    return Math.floor(n / 12) + "-" + (month < 10 ? "0" : "") + month;
  }

  function monthWords(n) {
    return MONTHS[n % 12] + " " + Math.floor(n / 12);
  }

  // An article's date (YYYY-MM-DD, YYYY-MM, YYYY or undated) as the months it may fall
  // in, [first, last]; null when undated.
  function dateSpan(date) {
    var text = String(date);
    if (/^\d{4}$/.test(text)) return [Number(text) * 12, Number(text) * 12 + 11];
    var n = monthNumber(text.slice(0, 7));
    return n === null ? null : [n, n];
  }

  // --- State ------------------------------------------------------------------------

  var T = null;
  var map = null;
  var first = 0, last = 0, from = 0, to = 0;
  var spans = {};
  var listeners = [];
  var gesture = 0;
  var timer = null;
  var ui = null;

  function full() {
    return from === first && to === last;
  }

  function articleIn(date) {
    if (full()) return true;
    var span = dateSpan(date);
    return span !== null && span[0] >= from && span[1] <= to;
  }

  function featureIn(id) {
    var span = spans[id];
    return !span || (span[0] <= to && span[1] >= from);
  }

  function label() {
    var text = from === to ? monthWords(from) : monthWords(from) + " \u2013 " + monthWords(to);
    return full() ? "All dates: " + text : text;
  }

  // --- Applying a window ------------------------------------------------------------

  function applyToMap() {
    var outside = {};
    Object.keys(spans).forEach(function (id) {
      if (!featureIn(id)) outside[id] = true;
    });
    window.citedVisibility.set("time", full() ? null : outside);
  }

  // g: the gesture the change belongs to (a drag, a run of play), or null when the
  // window is restored from the address.
  function set(a, b, g) {
    a = Math.min(Math.max(a, first), last);
    b = Math.min(Math.max(b, a), last);
    if (a === from && b === to) return;
    from = a;
    to = b;
    applyToMap();
    paint();
    var shown = api.window();
    shown.gesture = g;
    listeners.forEach(function (listen) { listen(shown); });
  }

  function width() {
    return full() ? Math.min(T.play_window_months, last - first + 1) - 1 : to - from;
  }

  // Moves the window by months, keeping its width; from every date at once, it first
  // narrows to play_window_months at the start (forward) or the end (back).
  function shift(months, g) {
    var w = width();
    if (full()) {
      if (months > 0) set(first, first + w, g);
      else set(last - w, last, g);
      return;
    }
    var a = Math.min(Math.max(from + months, first), last - w);
    set(a, a + w, g);
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    paintPlay();
  }

  // Play moves the window a step at a time to the end, as one step of the history.
  function play() {
    if (timer !== null) return stop();
    var g = ++gesture;
    if (full()) shift(1, g);
    else if (to >= last) set(first, first + (to - from), g);
    timer = setInterval(function () {
      shift(T.step_months, g);
      if (to >= last) stop();
    }, T.play_interval_ms);
    paintPlay();
  }

  // --- The control ------------------------------------------------------------------

  function percent(n) {
    return last === first ? 0 : ((n - first) / (last - first)) * 100;
  }

  function range(className, name) {
    var input = el("input", "ct-range " + className);
    input.type = "range";
    input.min = "0";
    input.max = String(last - first);
    input.step = "1";
    input.setAttribute("aria-label", name);
    return input;
  }

  function histogram() {
    var box = el("div", "ct-bars");
    box.setAttribute("aria-hidden", "true");
    var counts = {};
    T.articles.forEach(function (row) {
      var n = monthNumber(row[0]);
      if (n !== null) counts[n] = row[1];
    });
    var most = Math.max.apply(null, [1].concat(Object.keys(counts).map(function (k) { return counts[k]; })));
    var bars = [];
    Object.keys(counts).forEach(function (k) {
      var n = Number(k);
      var bar = el("span", "ct-bar");
      // A month's bar is centred on its place on the rail, as wide as a month is.
      bar.style.left = percent(n - 0.5) + "%";
      bar.style.width = 100 / Math.max(1, last - first) + "%";
      bar.style.height = Math.max(8, Math.sqrt(counts[k] / most) * 100) + "%";
      bar.title = counts[k] + (counts[k] === 1 ? " article, " : " articles, ") + monthWords(n);
      box.appendChild(bar);
      bars.push({ node: bar, month: n });
    });
    return { node: box, bars: bars };
  }

  function marks() {
    var box = el("div", "ct-marks");
    box.setAttribute("aria-hidden", "true");
    var dots = [];
    T.layers.forEach(function (layer) {
      Object.keys(layer.features).forEach(function (id) {
        var span = spans[id];
        var dot = el("span", "ct-mark");
        // A dot at its month; a visit over several months, a bar across them.
        dot.style.left = percent(span[0]) + "%";
        dot.style.width = "calc(" + (percent(span[1]) - percent(span[0])) + "% + 8px)";
        dot.style.background = layer.color;
        dot.setAttribute("data-feature", id);
        box.appendChild(dot);
        dots.push({ node: dot, id: id });
      });
    });
    return { node: box, dots: dots };
  }

  function axis() {
    var box = el("div", "ct-axis");
    box.setAttribute("aria-hidden", "true");
    var firstYear = Math.ceil(first / 12), lastYear = Math.floor(last / 12);
    var every = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 6));
    for (var year = firstYear; year <= lastYear; year += every) {
      var tick = el("span", "ct-year", String(year));
      tick.style.left = percent(year * 12) + "%";
      box.appendChild(tick);
    }
    return box;
  }

  function counts() {
    var parts = T.layers.map(function (layer) {
      var ids = Object.keys(layer.features);
      var kept = ids.filter(featureIn).length;
      return layer.title + ": " + kept + " of " + ids.length;
    });
    var articles = 0;
    T.articles.forEach(function (row) {
      if (articleIn(row[0])) articles += row[1];
    });
    parts.push("articles: " + articles + " of " + T.n_articles);
    return parts.join(" \u00b7 ");
  }

  function build() {
    var box = el("div", "ct-timeline");
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", "ct-title");
    var head = el("div", "ct-head");
    var title = el("h2", "ct-title", "Time");
    title.id = "ct-title";
    var readout = el("output", "ct-readout");
    readout.setAttribute("aria-live", "polite");
    // Folded, the slider is its one line of title and window: a phone opens folded.
    var fold = button("ct-fold", null);
    fold.setAttribute("aria-controls", "ct-body");
    [title, readout, fold].forEach(function (n) { head.appendChild(n); });
    var body = el("div", "ct-body");
    body.id = "ct-body";
    var track = el("div", "ct-track");
    var decor = el("div", "ct-decor");
    var band = el("div", "ct-band");
    var bars = histogram();
    var dots = marks();
    [band, bars.node, dots.node].forEach(function (n) { decor.appendChild(n); });
    var rail = el("div", "ct-rail");
    var railWindow = el("div", "ct-rail-window");
    rail.appendChild(railWindow);
    var start = range("ct-from", "Start of the time window");
    var end = range("ct-to", "End of the time window");
    [decor, rail, start, end].forEach(function (n) { track.appendChild(n); });
    var steps = T.step_months + (T.step_months === 1 ? " month" : " months");
    var back = button("ct-back", "\u2039", "Step the window back " + steps);
    var playButton = button("ct-play", "\u25b6 Play");
    var forward = button("ct-forward", "\u203a", "Step the window forward " + steps);
    var every = button("ct-all", "All dates");
    var buttons = el("div", "ct-buttons");
    [back, playButton, forward, every].forEach(function (n) { buttons.appendChild(n); });
    var tally = el("p", "ct-counts");
    [track, axis(), buttons, tally].forEach(function (n) { body.appendChild(n); });
    box.appendChild(head);
    box.appendChild(body);
    ui = {
      box: box, readout: readout, band: band, railWindow: railWindow, bars: bars.bars, dots: dots.dots,
      start: start, end: end, back: back, play: playButton, forward: forward, every: every, tally: tally,
      fold: fold, body: body
    };
    listen();
    unfold(!window.matchMedia(PHONE).matches);
    return box;
  }

  function unfold(open) {
    ui.body.hidden = !open;
    ui.fold.textContent = open ? "Hide" : "Show";
    ui.fold.setAttribute("aria-expanded", String(open));
    ui.fold.setAttribute("aria-label", open ? "Hide the time slider" : "Show the time slider");
  }

  function paint() {
    if (!ui) return;
    ui.start.value = String(from - first);
    ui.end.value = String(to - first);
    ui.start.setAttribute("aria-valuetext", monthWords(from));
    ui.end.setAttribute("aria-valuetext", monthWords(to));
    // Both thumbs at the last month: the start's must be the one on top, to be dragged back.
    ui.start.classList.toggle("ct-on-top", from === to && to === last);
    var left = percent(from), right = percent(to);
    [ui.band, ui.railWindow].forEach(function (n) {
      n.style.left = left + "%";
      n.style.width = right - left + "%";
    });
    ui.bars.forEach(function (b) { b.node.classList.toggle("ct-out", b.month < from || b.month > to); });
    ui.dots.forEach(function (d) { d.node.classList.toggle("ct-out", !featureIn(d.id)); });
    ui.readout.textContent = label();
    ui.tally.textContent = counts();
    ui.every.disabled = full();
    ui.box.setAttribute("data-from", monthText(from));
    ui.box.setAttribute("data-to", monthText(to));
  }

  function paintPlay() {
    if (!ui) return;
    var playing = timer !== null;
    ui.play.textContent = playing ? "\u275a\u275a Pause" : "\u25b6 Play";
    ui.play.setAttribute("aria-pressed", String(playing));
    ui.box.toggleAttribute("data-playing", playing);
  }

  // A drag is one step of the history; so is each key press and each button.
  function listen() {
    var dragging = false;
    [ui.start, ui.end].forEach(function (input) {
      input.addEventListener("pointerdown", function () {
        dragging = true;
        gesture++;
        stop();
      });
      input.addEventListener("keydown", stop);
    });
    window.addEventListener("pointerup", function () { dragging = false; });
    ui.start.addEventListener("input", function () {
      if (!dragging) gesture++;
      var a = Math.min(first + Number(ui.start.value), to);
      set(a, to, gesture);
      paint();
    });
    ui.end.addEventListener("input", function () {
      if (!dragging) gesture++;
      var b = Math.max(first + Number(ui.end.value), from);
      set(from, b, gesture);
      paint();
    });
    ui.back.addEventListener("click", function () { stop(); shift(-T.step_months, ++gesture); });
    ui.forward.addEventListener("click", function () { stop(); shift(T.step_months, ++gesture); });
    ui.play.addEventListener("click", play);
    ui.fold.addEventListener("click", function () { unfold(ui.body.hidden); });
    ui.every.addEventListener("click", function () { stop(); set(first, last, ++gesture); });
  }

  function position() {
    // On a phone the slider sits under the legend, across the screen; on a desktop in
    // the free bottom-right corner.
    return window.matchMedia(PHONE).matches ? "bottomleft" : "bottomright";
  }

  function addControl() {
    var control = L.control({ position: position() });
    control.onAdd = function () {
      var node = build();
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      return node;
    };
    control.addTo(map);
    window.matchMedia(PHONE).addEventListener("change", function () { control.setPosition(position()); });
    paint();
    paintPlay();
  }

  var api = {
    init: function (leafletMap, table) {
      map = leafletMap;
      T = table;
      first = monthNumber(T.first);
      last = monthNumber(T.last);
      from = first;
      to = last;
      T.layers.forEach(function (layer) {
        Object.keys(layer.features).forEach(function (id) {
          var f = layer.features[id];
          spans[id] = [monthNumber(f[0]), monthNumber(f[1])];
        });
      });
      addControl();
      map.getContainer().setAttribute("data-timeline", "ready");
    },
    window: function () {
      return { from: monthText(from), to: monthText(to), full: full(), label: label() };
    },
    articleIn: articleIn,
    featureIn: featureIn,
    // The window an address names (YYYY-MM each, either may be missing); a month out of
    // range is taken to the nearest end, and one that is no month as no bound.
    restore: function (a, b) {
      stop();
      var start = monthNumber(a), end = monthNumber(b);
      set(start === null ? first : start, end === null ? last : end, null);
    },
    everyDate: function () {
      stop();
      set(first, last, ++gesture);
    },
    onChange: function (listen) { listeners.push(listen); }
  };
  window.citedTimeline = api;
})(window.L);
