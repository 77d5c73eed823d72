// Which features each filter hides or dims: the time window, the citations table and
// the feature selected on the map while the table is open. Every filter names the
// features it takes out; a feature is hidden while any filter hides it.
// Leaflet makes a layer's elements anew each time the layer is added (a layer switched
// off and on in the layer control), so the state is kept here and painted again then,
// on the feature's own element and on its companions' (a visit's arrowhead).
(function () {
  "use strict";
  var map = null;
  // reason -> { ids: {feature id: true}, mode: "hide" | "dim" }
  var filters = {};
  // feature id -> Leaflet layers drawn with it
  var companions = {};

  function layersOf(id) {
    var own = map.citedFeatures[id];
    return (own ? [own] : []).concat(companions[id] || []);
  }

  function reasons(id) {
    var found = { hide: [], dim: [] };
    Object.keys(filters).forEach(function (reason) {
      var filter = filters[reason];
      if (filter.ids[id]) found[filter.mode].push(reason);
    });
    return found;
  }

  function paint(id) {
    var by = reasons(id);
    var hidden = by.hide.length > 0;
    var dimmed = !hidden && by.dim.length > 0;
    layersOf(id).forEach(function (layer) {
      var node = layer.getElement && layer.getElement();
      if (!node) return;
      node.classList.toggle("cv-hidden", hidden);
      node.classList.toggle("cv-dimmed", dimmed);
      var all = by.hide.concat(by.dim).sort();
      if (all.length) node.setAttribute("data-hidden-by", all.join(" "));
      else node.removeAttribute("data-hidden-by");
    });
  }

  function follow(id, layer) {
    layer.on("add", function () { paint(id); });
  }

  window.citedVisibility = {
    init: function (leafletMap) {
      map = leafletMap;
      Object.keys(map.citedFeatures).forEach(function (id) { follow(id, map.citedFeatures[id]); });
    },
    // A layer drawn with a feature: hidden and dimmed with it.
    companion: function (id, layer) {
      (companions[id] = companions[id] || []).push(layer);
      follow(id, layer);
      paint(id);
    },
    // ids: {feature id: true} of the features this filter takes out; null lifts it.
    set: function (reason, ids, mode) {
      var touched = {};
      var before = filters[reason] ? filters[reason].ids : {};
      Object.keys(before).forEach(function (id) { touched[id] = true; });
      if (ids) {
        filters[reason] = { ids: ids, mode: mode === "dim" ? "dim" : "hide" };
        Object.keys(ids).forEach(function (id) { touched[id] = true; });
      } else {
        delete filters[reason];
      }
      Object.keys(touched).forEach(paint);
    },
    hidden: function (id) { return reasons(id).hide.length > 0; }
  };
})();
