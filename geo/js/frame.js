// The page's frame (geo/frame.py's table): the header and its About panel, the buttons
// that move between the opening frame and every feature, the overview of the wider
// region, controls that fold into buttons on small screens, and the selected feature
// shown as selected while its popup is open.
// Every text comes from the inputs and is set with textContent, never as markup.
(function (L) {
  "use strict";
  var SMALL = "(max-width: 640px)";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var map = null;
  // The score of a popup's place that would pan part of a framed feature off screen.
  var LOST = 1e6;

  // The page's safe DOM helpers (window.citedDom): nodes from data, text only as text.
  // Loaded first, so the popups and the reader share them.
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(className, text, label) {
    var b = el("button", className, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, "http://invalid.invalid/");
      return /^https?:$/.test(parsed.protocol) && /^https?:\/\//i.test(url) ? url : null;
    } catch (e) {
      return null;
    }
  }

  function small() {
    return window.matchMedia(SMALL).matches;
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }

  function month(iso) {
    var parts = iso.split("-");
    return parts.length > 1 ? MONTHS[Number(parts[1]) - 1] + " " + parts[0] : parts[0];
  }

  function corpusLine(summary) {
    var text = plural(summary.articles, "article", "articles") + " from " +
      plural(summary.outlets, "outlet", "outlets");
    if (summary.first) {
      var first = month(summary.first), last = month(summary.last);
      text += ", " + (first === last ? first : first + " – " + last);
    }
    return text;
  }

  function aboutDialog(data) {
    var dialog = el("dialog", "cm-about");
    dialog.setAttribute("aria-labelledby", "cm-about-title");
    var close = button("cm-about-close", "×", "Close");
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    var title = el("h2", null, "About this map");
    title.id = "cm-about-title";
    dialog.appendChild(title);
    dialog.appendChild(el("p", null, data.description));
    data.about.forEach(function (section) {
      dialog.appendChild(el("h3", null, section.heading));
      section.paragraphs.forEach(function (text) { dialog.appendChild(el("p", null, text)); });
    });
    dialog.appendChild(el("h3", null, "Sources of the figures"));
    var list = el("ol", "cm-about-sources");
    data.sources.forEach(function (source) {
      var item = el("li");
      item.appendChild(el("span", null, source.publisher + (source.date ? ", " + source.date : "") + ": "));
      var href = source.address ? safeUrl(source.address) : null;
      var name = el(href ? "a" : "cite", null, source.title);
      if (href) {
        name.href = href;
        name.rel = "noopener noreferrer";
        name.target = "_blank";
      }
      item.appendChild(name);
      if (source.consulted) item.appendChild(el("span", "cm-about-consulted", " (consulted " + source.consulted + ")"));
      list.appendChild(item);
    });
    dialog.appendChild(list);
    dialog.appendChild(el("h3", null, "Borders"));
    dialog.appendChild(el("p", null, data.borders));
    // A click on the backdrop (the dialog itself, outside its content box) closes it.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        var box = dialog.getBoundingClientRect();
        var inside = event.clientX >= box.left && event.clientX <= box.right &&
          event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) dialog.close();
      }
    });
    return dialog;
  }

  function header(data) {
    var bar = el("header", "cm-header");
    var text = el("div", "cm-header-text");
    text.appendChild(el("h1", null, data.title));
    text.appendChild(el("p", "cm-description", data.description));
    bar.appendChild(text);
    bar.appendChild(el("p", "cm-corpus", corpusLine(data.summary)));
    var dialog = aboutDialog(data);
    var about = button("cm-about-open", "About");
    about.setAttribute("aria-haspopup", "dialog");
    about.addEventListener("click", function () { dialog.showModal(); });
    bar.appendChild(about);
    bar.appendChild(dialog);
    return bar;
  }

  function viewButtons(data) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "leaflet-bar cm-views");
      [
        ["All features", "Zoom out to every feature, the long routes included", data.all],
        ["Caucasus", "Back to the South Caucasus, where the map opens", data.frame]
      ].forEach(function (row) {
        var b = button("cm-view", row[0]);
        b.title = row[1];
        b.addEventListener("click", function () { map.fitBounds(row[2], { padding: [8, 8], animate: false }); });
        box.appendChild(b);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  // The wider region, fixed on every feature, with the main map's view as a box on it;
  // a click on it moves the main map there.
  function overview(data, borders) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("details", "cm-overview");
      box.open = !small();
      box.appendChild(el("summary", null, "Overview"));
      var holder = el("div", "cm-overview-map");
      holder.setAttribute("aria-hidden", "true");
      box.appendChild(holder);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      setTimeout(function () { drawOverview(holder, box, data, borders); }, 0);
      return box;
    };
    control.addTo(map);
    return control.getContainer();
  }

  function drawOverview(holder, box, data, borders) {
    var mini = L.map(holder, {
      attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.25
    });
    function fit() {
      mini.invalidateSize(false);
      mini.fitBounds(data.all, { animate: false, padding: [4, 4] });
    }
    // The view first: Leaflet draws a layer as it is added, which needs one.
    fit();
    if (borders) {
      L.geoJSON(borders.toGeoJSON(), {
        interactive: false,
        style: { color: "#9a9a9a", weight: 0.5, fillColor: "#f3f1ea", fillOpacity: 1 }
      }).addTo(mini);
    }
    Object.keys(map.citedFeatures).forEach(function (id) {
      var layer = map.citedFeatures[id];
      var color = layer.options.color || "#333";
      if (layer.getLatLng) {
        L.circleMarker(layer.getLatLng(), { radius: 1.5, weight: 0, fillColor: color, fillOpacity: 1, interactive: false }).addTo(mini);
      } else {
        L.geoJSON(layer.toGeoJSON(), { interactive: false, style: { color: color, weight: 1.5, opacity: 0.9, fillOpacity: 0.2 } }).addTo(mini);
      }
    });
    var view = L.rectangle(map.getBounds(), { color: "#b00020", weight: 1.5, fill: true, fillOpacity: 0.08, interactive: false }).addTo(mini);
    map.on("moveend zoomend resize", function () { view.setBounds(map.getBounds()); });
    mini.on("click", function (event) { map.panTo(event.latlng); });
    box.addEventListener("toggle", function () { if (box.open) fit(); });
    map.citedOverview = mini;
  }

  // On a small screen the layer control starts folded into its button, and folds again
  // when the reader goes back to the map.
  function foldLayers(layers) {
    if (!layers || !small()) return;
    layers.collapse();
    map.on("click", function () { layers.collapse(); });
  }

  // Leaflet pans a popup into view as it opens, before telling anyone it opened; a
  // popup placed afterwards (placePopup) would have the map panned twice. So the pan
  // of the opening waits for the placement, which then pans once (panIntoView).
  function deferOpeningPan(popup) {
    if (popup._cmDeferred) return;
    popup._cmDeferred = true;
    var onAdd = popup.onAdd, adjustPan = popup._adjustPan;
    popup.onAdd = function (m) {
      this._cmOpening = true;
      try { onAdd.call(this, m); } finally { this._cmOpening = false; }
    };
    popup._adjustPan = function () {
      if (!this._cmOpening) adjustPan.apply(this, arguments);
    };
    popup._cmPanIntoView = function () { adjustPan.call(this); };
  }

  // Popups as wide as the screen allows, never wider.
  function fitPopups() {
    var width = Math.min(460, window.innerWidth - 64);
    var height = Math.max(160, Math.round(window.innerHeight * (small() ? 0.5 : 0.6)));
    Object.keys(map.citedFeatures).forEach(function (id) {
      var popup = map.citedFeatures[id].getPopup();
      if (!popup) return;
      popup.options.maxWidth = width;
      popup.options.minWidth = Math.min(300, width);
      popup.options.maxHeight = height;
      popup.options.autoPanPadding = small() ? [8, 8] : [16, 16];
      deferOpeningPan(popup);
    });
  }

  // Points along a line or area's outline on screen, about `step` px apart.
  function outlinePoints(layer, step) {
    var points = [];
    var rings = layer.getLatLngs();
    var lines = Array.isArray(rings[0]) ? (Array.isArray(rings[0][0]) ? [].concat.apply([], rings) : rings) : [rings];
    lines.forEach(function (line) {
      var prev = null;
      line.forEach(function (latlng) {
        var p = map.latLngToContainerPoint(latlng);
        if (prev) {
          var n = Math.min(200, Math.ceil(prev.distanceTo(p) / step));
          for (var k = 1; k <= n; k++) points.push({ p: prev.add(p.subtract(prev).multiplyBy(k / n)), latlng: null });
        }
        points.push({ p: p, latlng: latlng });
        prev = p;
      });
    });
    return points;
  }

  // The widths of the control columns at the left and right of the map.
  function columns() {
    var width = function (selector) {
      var widest = 0;
      map.getContainer().querySelectorAll(selector + " > .leaflet-control").forEach(function (c) {
        widest = Math.max(widest, c.offsetWidth + 10);
      });
      return widest;
    };
    return { left: Math.max(width(".leaflet-top.leaflet-left"), width(".leaflet-bottom.leaflet-left")),
      right: Math.max(width(".leaflet-top.leaflet-right"), width(".leaflet-bottom.leaflet-right")) };
  }

  // Where a popup of a line or area goes: of the feature's points on screen, and the
  // popup straight above or beside each, the place where least of the feature is
  // hidden, under the popup or off the screen once the map has panned the popup into
  // view; then the one that pans least.
  function placePopup(popup, layer, pads) {
    var size = map.getSize(), box = popup._container;
    var w = box.offsetWidth, h = box.offsetHeight;
    var outline = outlinePoints(layer, 10);
    var onScreen = function (x, y) { return x >= 0 && y >= 0 && x <= size.x && y <= size.y; };
    // A feature wholly on screen (just framed by a search or a link) stays so.
    var whole = outline.every(function (o) { return onScreen(o.p.x, o.p.y); });
    var best = null;
    outline.forEach(function (candidate) {
      if (!candidate.latlng || !onScreen(candidate.p.x, candidate.p.y)) return;
      [0, w / 2 + 14, -(w / 2 + 14)].forEach(function (dx) {
        var left = candidate.p.x + dx - w / 2, top = candidate.p.y - h - 12;
        var shiftX = Math.max(0, pads.left - left) - Math.max(0, left + w - (size.x - pads.right));
        var shiftY = Math.max(0, 8 - top) - Math.max(0, candidate.p.y - (size.y - 8));
        var hidden = 0, lost = 0;
        outline.forEach(function (o) {
          var x = o.p.x + shiftX, y = o.p.y + shiftY;
          var under = x >= left + shiftX && x <= left + shiftX + w && y >= top + shiftY && y <= top + shiftY + h;
          var off = onScreen(o.p.x, o.p.y) && !onScreen(x, y);
          if (under || off) hidden++;
          if (off) lost++;
        });
        var score = (whole && lost ? LOST : 0) + hidden + (dx ? 0.5 : 0) + (Math.abs(shiftX) + Math.abs(shiftY)) / 40;
        if (!best || score < best.score) best = { score: score, latlng: candidate.latlng, dx: dx };
      });
    });
    // No place keeps a framed feature on screen: Leaflet's own place, as before.
    if (!best || best.score >= LOST) return;
    popup.options.offset = L.point(best.dx, 7);
    box.classList.toggle("cm-popup-beside", best.dx !== 0);
    // Not setLatLng(): that renders the popup's content again.
    popup._latlng = best.latlng;
    popup._updatePosition();
  }

  function selection(layers, overviewBox) {
    var selected = null;
    function lift() {
      document.body.classList.remove("cm-popup-open");
      if (!selected) return;
      var node = selected.getElement && selected.getElement();
      if (node) node.classList.remove("cm-selected");
      selected = null;
      if (window.citedVisibility) window.citedVisibility.set("selected", null);
    }
    map.on("popupopen", function (event) {
      var popup = event.popup, source = popup._source;
      var id = source && source.feature && source.feature.id;
      if (!id || map.citedFeatures[id] !== source) return;
      lift();
      selected = source;
      document.body.classList.add("cm-popup-open");
      var others = {};
      Object.keys(map.citedFeatures).forEach(function (other) { if (other !== id) others[other] = true; });
      if (window.citedVisibility) window.citedVisibility.set("selected", others, "dim");
      var node = source.getElement && source.getElement();
      if (node) node.classList.add("cm-selected");
      if (source.bringToFront) source.bringToFront();
      popup.options.offset = L.point(0, 7);
      popup._container.classList.remove("cm-popup-beside");
      popup._updatePosition();
      if (!small()) {
        // Keep the popup between the control columns; fold the right one if it must.
        var pads = columns();
        if (map.getSize().x - pads.left - pads.right < popup._container.offsetWidth + 16) {
          if (layers) layers.collapse();
          if (overviewBox) overviewBox.open = false;
          pads = columns();
        }
        popup.options.autoPanPaddingTopLeft = L.point(pads.left, 8);
        popup.options.autoPanPaddingBottomRight = L.point(pads.right, 8);
        if (!source.getLatLng) placePopup(popup, source, pads);
      }
      if (popup._cmPanIntoView) popup._cmPanIntoView();
    });
    map.on("popupclose", function (event) {
      if (event.popup._source === selected) lift();
    });
  }

  var table = null;
  window.citedDom = { el: el, button: button, safeUrl: safeUrl };

  window.citedFrame = {
    // The header, and the map framed on where it opens: before anything else, so that
    // a permalink's view replaces this one.
    init: function (leafletMap, data) {
      map = leafletMap;
      table = data;
      var container = map.getContainer();
      document.body.classList.add("cm-framed");
      document.body.insertBefore(header(data), container);
      map.invalidateSize(false);
      // Without animation: a zoom still animating would swallow the next setView.
      map.fitBounds(data.frame, { animate: false });
    },
    controls: function (leafletMap, layers, borders) {
      map = leafletMap;
      viewButtons(table);
      var overviewBox = overview(table, borders);
      foldLayers(layers);
      fitPopups();
      window.addEventListener("resize", fitPopups);
      selection(layers, overviewBox);
    }
  };
})(window.L);
