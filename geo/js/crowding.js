// Crowded places on the map, so that a reader can pick each feature with one click.
//
// 1. Spreading. Point markers (circle markers) whose discs would overlap on screen at
//    the current zoom are drawn on a small ring around their common centre, each with a
//    thin leader line back to a dot at its true position; laid out again after every
//    zoom, and where they no longer overlap they sit where they are. Only the drawing
//    moves: the layer's latlng, its feature, its popup and the exports keep the true
//    coordinates (the marker's projection is offset by a number of pixels, nothing more).
// 2. The chooser. A click where two or more lines or areas lie within a few pixels of the
//    pointer lists them (name and layer, as buttons) instead of opening whichever happens
//    to be drawn on top; a choice opens that feature's popup as a direct click would.
//
// Why our own code and not Leaflet.markercluster or OverlappingMarkerSpiderfier: both
// hide the crowd behind a first click (a cluster bubble, or a pile to spiderfy) and open
// a feature only with a second one, and OMS spreads L.Marker icons, not circle markers;
// here the spread is permanent, so every marker takes one click. Both would also be one
// more pinned asset to ship for some hundred lines.
(function (L) {
  "use strict";

  // Pixels between two discs before they count as touching.
  var GAP = 4;
  // Pixels beyond a line's half width within which a click still counts as on it;
  // a finger is broader than a mouse pointer.
  var TOLERANCE = { mouse: 5, touch: 10 };

  var map = null;
  var layerOf = {};
  var names = {};
  var markers = [];
  var leaders = {};
  var pending = null;
  var laidOutAt = null;

  // ---- 1. Spreading --------------------------------------------------------------

  function isPoint(layer) {
    return layer instanceof L.CircleMarker;
  }

  function onMap(id, layer) {
    return !!layer._map && !(window.citedVisibility && window.citedVisibility.hidden(id));
  }

  function discRadius(layer) {
    var stroke = layer.options.stroke ? layer.options.weight / 2 : 0;
    return layer.options.radius + stroke;
  }

  // Pixels of leader line a spread marker shows at least, between its dot and its disc.
  var LEADER = 8;

  // The radius of a ring of n discs of radius r that keeps neighbours GAP apart, and
  // each disc far enough out that its leader line shows.
  function ringRadius(n, r) {
    if (n < 2) return 0;
    return Math.max((2 * r + GAP) / (2 * Math.sin(Math.PI / n)), r + LEADER);
  }

  function settle(group) {
    var sum = L.point(0, 0);
    var r = 0;
    group.members.forEach(function (m) {
      sum = sum.add(m.point);
      r = Math.max(r, m.r);
    });
    group.centre = sum.divideBy(group.members.length);
    group.r = r;
    group.ring = ringRadius(group.members.length, r);
  }

  // Groups of markers whose discs (or whose rings, once spread) would touch: start with
  // one group a marker, merge any two that touch, until none do.
  function crowds(items) {
    var groups = items.map(function (item) {
      var group = { members: [item] };
      settle(group);
      return group;
    });
    var merged = true;
    while (merged) {
      merged = false;
      for (var i = 0; i < groups.length && !merged; i++) {
        for (var j = i + 1; j < groups.length && !merged; j++) {
          var a = groups[i], b = groups[j];
          var reach = a.ring + a.r + b.ring + b.r + GAP;
          if (a.centre.distanceTo(b.centre) < reach) {
            a.members = a.members.concat(b.members);
            settle(a);
            groups.splice(j, 1);
            merged = true;
          }
        }
      }
    }
    return groups;
  }

  // Around the ring in the order of the true positions around the centre, starting at
  // the first, so that each marker moves as little as the ring allows.
  function spread(group) {
    var n = group.members.length;
    if (n < 2) {
      group.members[0].offset = L.point(0, 0);
      return;
    }
    group.members.forEach(function (m) {
      var d = m.point.subtract(group.centre);
      m.angle = d.x || d.y ? Math.atan2(d.y, d.x) : 0;
    });
    group.members.sort(function (a, b) { return a.angle - b.angle || (a.id < b.id ? -1 : 1); });
    var start = group.members[0].angle;
    group.members.forEach(function (m, k) {
      var angle = start + (2 * Math.PI * k) / n;
      var at = group.centre.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(group.ring));
      m.offset = at.subtract(m.point);
    });
  }

  // The marker drawn `offset` pixels from where its latlng projects.
  function shift(layer, offset) {
    layer._cmOffset = offset;
    if (!layer._cmOwnProject) {
      layer._cmOwnProject = layer._project;
      layer._project = function () {
        this._cmOwnProject();
        if (this._cmOffset && (this._cmOffset.x || this._cmOffset.y)) {
          this._point = this._point.add(this._cmOffset);
          this._updateBounds();
        }
      };
    }
    if (layer._map) layer.redraw();
  }

  function leaderOf(id, layer) {
    if (!leaders[id]) {
      var style = { interactive: false, pane: "cmLeaders", color: layer.options.color, opacity: 0.9 };
      leaders[id] = {
        line: L.polyline([], L.extend({ weight: 1.25, className: "cc-leader" }, style)),
        dot: L.circleMarker(layer.getLatLng(), L.extend({
          radius: 2, weight: 0, fill: true, fillOpacity: 0.9, fillColor: layer.options.color,
          className: "cc-true-position"
        }, style))
      };
      if (window.citedVisibility) {
        window.citedVisibility.companion(id, leaders[id].line);
        window.citedVisibility.companion(id, leaders[id].dot);
      }
    }
    return leaders[id];
  }

  function drawLeader(item) {
    var leader = leaderOf(item.id, item.layer);
    var length = item.offset.distanceTo(L.point(0, 0));
    if (!length) {
      leader.line.remove();
      leader.dot.remove();
      return;
    }
    // From the true position to the edge of the drawn disc, not across it.
    var end = item.point.add(item.offset.multiplyBy(Math.max(0, length - item.r) / length));
    leader.line.setLatLngs([item.layer.getLatLng(), map.layerPointToLatLng(end)]);
    leader.dot.setLatLng(item.layer.getLatLng());
    if (!leader.line._map) leader.line.addTo(map);
    if (!leader.dot._map) leader.dot.addTo(map);
  }

  function layout() {
    pending = null;
    laidOutAt = map.getZoom();
    var items = [];
    markers.forEach(function (m) {
      if (!onMap(m.id, m.layer)) {
        if (leaders[m.id]) {
          leaders[m.id].line.remove();
          leaders[m.id].dot.remove();
        }
        return;
      }
      items.push({
        id: m.id,
        layer: m.layer,
        point: map.latLngToLayerPoint(m.layer.getLatLng()),
        r: discRadius(m.layer)
      });
    });
    crowds(items).forEach(spread);
    items.forEach(function (item) {
      var before = item.layer._cmOffset || L.point(0, 0);
      if (!before.equals(item.offset)) shift(item.layer, item.offset);
      item.layer._cmOffset = item.offset;
      drawLeader(item);
      // Above the lines and the arrowheads that end at the same place.
      item.layer.bringToFront();
      var node = item.layer.getElement && item.layer.getElement();
      if (node) {
        if (item.offset.x || item.offset.y) node.setAttribute("data-spread", "true");
        else node.removeAttribute("data-spread");
      }
    });
  }

  // Layers switched on or off in the layer control, and filters, come in bursts.
  function later() {
    if (pending === null) pending = setTimeout(layout, 0);
  }

  // ---- 2. The chooser ------------------------------------------------------------

  function distanceToParts(parts, p) {
    var best = Infinity;
    parts.forEach(function (part) {
      for (var i = 1; i < part.length; i++) {
        best = Math.min(best, L.LineUtil.pointToSegmentDistance(p, part[i - 1], part[i]));
      }
    });
    return best;
  }

  // Even-odd rule over the rings, as SVG fills them.
  function insideParts(parts, p) {
    var inside = false;
    parts.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i], b = ring[j];
        if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) {
          inside = !inside;
        }
      }
    });
    return inside;
  }

  // The lines and areas within `tolerance` pixels of a container point, nearest first.
  // Measured on what Leaflet draws (its projected, clipped parts: the visits' arcs
  // as drawn), not on the stored geometry.
  function featuresAt(containerPoint, tolerance) {
    var p = map.containerPointToLayerPoint(L.point(containerPoint));
    var found = [];
    Object.keys(map.citedFeatures).forEach(function (id) {
      var layer = map.citedFeatures[id];
      if (isPoint(layer) || !layer._parts || !onMap(id, layer)) return;
      // Leaflet 1.9 (pinned): _parts are the drawn rings and lines, in layer pixels.
      var parts = layer._parts;
      var half = layer.options.stroke ? layer.options.weight / 2 : 0;
      var gap = Math.max(0, distanceToParts(parts, p) - half);
      if (layer instanceof L.Polygon && layer.options.fill && insideParts(parts, p)) gap = 0;
      if (gap <= tolerance) found.push({ id: id, gap: gap });
    });
    found.sort(function (a, b) { return a.gap - b.gap || (a.id < b.id ? -1 : 1); });
    return found.map(function (f) { return f.id; });
  }

  var chooser = null;

  function closeChooser() {
    if (chooser && map.hasLayer(chooser)) map.closePopup(chooser);
  }

  function openFeature(id, latlng) {
    var layer = map.citedFeatures[id];
    var popup = layer.getPopup();
    if (popup) popup._source = layer;
    layer.openPopup(latlng);
  }

  function chooserNode(ids, latlng) {
    var dom = window.citedMap.dom;
    var root = dom.el("div", "cc-chooser");
    root.setAttribute("role", "dialog");
    root.setAttribute("aria-label", "Features at this point");
    root.appendChild(dom.el("div", "cc-chooser-title", ids.length + " features here; choose one:"));
    var list = dom.el("ul", "cc-chooser-list");
    var buttons = ids.map(function (id) {
      var item = dom.el("li");
      var name = names[id] || id;
      var b = dom.button("cc-choice");
      b.setAttribute("data-feature", id);
      b.appendChild(dom.el("span", "cc-choice-name", name));
      b.appendChild(dom.el("span", "cc-choice-layer", layerOf[id] || ""));
      b.addEventListener("click", function (event) {
        L.DomEvent.stop(event);
        closeChooser();
        openFeature(id, latlng);
      });
      item.appendChild(b);
      list.appendChild(item);
      return b;
    });
    root.appendChild(list);
    root.addEventListener("keydown", function (event) {
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "Escape") {
        L.DomEvent.stop(event);
        closeChooser();
        map.getContainer().focus();
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && at >= 0) {
        L.DomEvent.stop(event);
        var step = event.key === "ArrowDown" ? 1 : buttons.length - 1;
        buttons[(at + step) % buttons.length].focus();
      }
    });
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    return { root: root, first: buttons[0] };
  }

  // Pixels the controls above and below the point take at the top and at the bottom of
  // the map (search, layers, legend, time slider): the chooser is panned clear of them,
  // as they are drawn over popups. Each at most 40% of the map, so that room is left.
  function controlMargins(x, width) {
    var box = map.getContainer().getBoundingClientRect();
    var top = 0, bottom = 0;
    var left = box.left + x - width / 2, right = box.left + x + width / 2;
    var corners = map.getContainer().querySelectorAll(".leaflet-control-container .leaflet-control");
    Array.prototype.forEach.call(corners, function (control) {
      var r = control.getBoundingClientRect();
      if (!r.width || !r.height || r.right < left || r.left > right) return;
      if (control.closest(".leaflet-top")) top = Math.max(top, r.bottom - box.top);
      else if (control.closest(".leaflet-bottom")) bottom = Math.max(bottom, box.bottom - r.top);
    });
    var most = box.height * 0.4;
    return { top: Math.min(top, most), bottom: Math.min(bottom, most) };
  }

  function openChooser(ids, latlng) {
    var node = chooserNode(ids, latlng);
    var size = map.getSize();
    var width = Math.min(300, size.x - 48);
    var margins = controlMargins(map.latLngToContainerPoint(latlng).x, width);
    chooser = L.popup({
      className: "cc-chooser-popup",
      minWidth: Math.min(200, width),
      maxWidth: width,
      // A long list scrolls rather than reach under the controls.
      maxHeight: Math.max(120, size.y - margins.top - margins.bottom - 48),
      autoPanPaddingTopLeft: [16, margins.top + 8],
      autoPanPaddingBottomRight: [16, margins.bottom + 8]
    })
      .setLatLng(latlng)
      .setContent(node.root)
      .openOn(map);
    node.first.focus({ preventScroll: true });
  }

  function pointFeatureElement(target) {
    return markers.some(function (m) {
      var node = m.layer.getElement && m.layer.getElement();
      return node && node === target;
    });
  }

  function elementOf(id) {
    var layer = map.citedFeatures[id];
    return layer && layer.getElement && layer.getElement();
  }

  // Before Leaflet sees the click (capture phase on the map's container): a marker,
  // a control or a popup is left to it; a click by a line or an area is decided here.
  function onClick(event) {
    var target = event.target;
    if (event.detail === 0) return; // from the keyboard, not at a point
    if (!(target instanceof Element) || target.closest(".leaflet-control, .leaflet-popup, .leaflet-tooltip")) return;
    if (pointFeatureElement(target)) return;
    if (map.dragging && map.dragging.moved()) return;
    if (map._animatingZoom) return; // the drawn parts are those of the zoom being left
    var tolerance = event.pointerType === "touch" ? TOLERANCE.touch : TOLERANCE.mouse;
    var point = map.mouseEventToContainerPoint(event);
    var ids = featuresAt(point, tolerance);
    if (!ids.length) return;
    if (ids.length === 1 && elementOf(ids[0]) === target) return;
    // Leaflet would open the one on top, or nothing beside a thin line: decide here.
    event.stopPropagation();
    event.preventDefault();
    var latlng = map.containerPointToLatLng(point);
    if (ids.length === 1) openFeature(ids[0], latlng);
    else openChooser(ids, latlng);
  }

  window.citedCrowding = {
    // data: {layers: {feature id: its layer's title}, names: {feature id: its name}}.
    init: function (leafletMap, data) {
      map = leafletMap;
      layerOf = data.layers || {};
      names = data.names || {};
      if (!map.getPane("cmLeaders")) map.createPane("cmLeaders").style.zIndex = 450;
      Object.keys(map.citedFeatures).sort().forEach(function (id) {
        var layer = map.citedFeatures[id];
        if (isPoint(layer)) markers.push({ id: id, layer: layer });
      });
      layout();
      map.on("zoomend viewreset", layout);
      map.on("layeradd layerremove", function (e) {
        if (isPoint(e.layer) && e.layer.feature) later();
      });
      // A filter that hides a marker (visibility.js) opens a gap in its ring: close it.
      var visibility = window.citedVisibility;
      if (visibility && !visibility._cmFollowed) {
        var set = visibility.set;
        visibility.set = function () {
          var result = set.apply(visibility, arguments);
          later();
          return result;
        };
        visibility._cmFollowed = true;
      }
      map.getContainer().addEventListener("click", onClick, true);
      map.citedCrowding = window.citedCrowding;
    },
    featuresAt: function (containerPoint, tolerance) {
      return featuresAt(containerPoint, tolerance === undefined ? TOLERANCE.mouse : tolerance);
    },
    offsets: function () {
      var out = {};
      markers.forEach(function (m) {
        var o = m.layer._cmOffset || L.point(0, 0);
        out[m.id] = [o.x, o.y];
      });
      return out;
    },
    layout: layout,
    // Whether the markers are laid out for the zoom the map shows, no zoom under way.
    settled: function () {
      return !!map && !map._animatingZoom && pending === null && laidOutAt === map.getZoom();
    },
    tolerance: TOLERANCE
  };
})(window.L);
