// An arrowhead at the end of every line of a layer that asks for one (style.arrowhead
// in its YAML), so that the way a line is drawn shows: a visit's, from origin to
// destination. It points along the line's last stretch, its tip `inset` pixels short of
// the end. Its size is in screen pixels, so it is placed again after every zoom: drawn in
// degrees, it would be a speck zoomed out and a blot zoomed in.
(function (L) {
  "use strict";

  // The positions of the line a feature ends with (the last of a MultiLineString).
  function endingLine(layer) {
    var latlngs = layer.getLatLngs();
    while (latlngs.length && Array.isArray(latlngs[latlngs.length - 1])) latlngs = latlngs[latlngs.length - 1];
    return latlngs;
  }

  // The point `distance` pixels back from the last of points, along them.
  function backAlong(points, distance) {
    var left = distance;
    for (var i = points.length - 1; i > 0; i--) {
      var here = points[i], before = points[i - 1];
      var step = here.distanceTo(before);
      if (step >= left && step > 0) return here.add(before.subtract(here).multiplyBy(left / step));
      left -= step;
    }
    return points[0];
  }

  // The triangle's corners, tip first, as positions. Projected without rounding
  // (map.project, not latLngToLayerPoint), so the tip sits where the line ends.
  function triangle(map, line, size) {
    var zoom = map.getZoom();
    var points = endingLine(line).map(function (latlng) { return map.project(latlng, zoom); });
    var end = points[points.length - 1];
    var along = end.subtract(backAlong(points, size.inset + size.length));
    var unit = along.divideBy(along.distanceTo(L.point(0, 0)) || 1);
    var tip = end.subtract(unit.multiplyBy(size.inset));
    var base = tip.subtract(unit.multiplyBy(size.length));
    var side = L.point(-unit.y, unit.x).multiplyBy(size.width / 2);
    return [tip, base.add(side), base.subtract(side)].map(function (p) { return map.unproject(p, zoom); });
  }

  // groups: [[GeoJSON layer, {length, width, inset}], ...]. Each arrowhead joins its
  // line's GeoJSON layer, so that the layer control shows and hides them together.
  window.citedArrows = function (map, groups) {
    var drawn = {};
    var placed = [];
    groups.forEach(function (group) {
      var geojson = group[0], size = group[1];
      var lines = [];
      geojson.eachLayer(function (line) {
        if (line.feature && line.feature.id && line.getLatLngs) lines.push(line);
      });
      lines.forEach(function (line) {
        var arrow = L.polygon(triangle(map, line, size), {
          interactive: false,
          // A white edge sets it off from the other lines that meet at the same city.
          stroke: true,
          color: "#ffffff",
          weight: 1.5,
          opacity: 1,
          fill: true,
          fillColor: line.options.color,
          fillOpacity: line.options.opacity === undefined ? 1 : line.options.opacity,
          className: "ca-arrowhead"
        });
        geojson.addLayer(arrow);
        drawn[line.feature.id] = arrow;
        placed.push({ arrow: arrow, line: line, size: size });
        if (window.citedVisibility) window.citedVisibility.companion(line.feature.id, arrow);
      });
    });
    map.on("zoomend viewreset", function () {
      placed.forEach(function (p) { p.arrow.setLatLngs(triangle(map, p.line, p.size)); });
    });
    map.citedArrows = drawn;
    return drawn;
  };
})(window.L);
