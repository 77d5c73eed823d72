// Keyboard use of the map (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7, 4.1.2):
// - a skip link, the first thing Tab reaches, to the map's controls;
// - the controls before the features in the tab order: Leaflet puts its control
//   corners after the map's panes, so they move in front (they are placed
//   absolutely, so nothing moves on screen);
// - every feature (an SVG path) focusable, named "<feature>, <layer>" and a button:
//   Enter or Space opens its popup, whose heading takes the focus; Escape closes
//   it and gives the focus back to the feature;
// - a focused feature drawn broader and opaque, since Chrome draws no outline on
//   an SVG path.
// Names come from the page's data and go in through setAttribute and textContent only.
(function (L) {
  "use strict";
  var map = null;
  var labels = {};
  // The feature whose popup the keyboard opened, to give the focus back to.
  var openedFrom = null;

  function idOf(layer) {
    return layer && layer.feature && layer.feature.id;
  }

  function skipLink(target) {
    var link = document.createElement("a");
    link.className = "ca-skip";
    link.href = "#" + target.id;
    link.textContent = "Skip to the map controls";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var first = target.querySelector("input, button, select, a[href], [tabindex]:not([tabindex='-1'])");
      (first || target).focus();
    });
    document.body.insertBefore(link, document.body.firstChild);
  }

  // The control corners in front of the panes, so Tab reaches them first.
  function controlsFirst() {
    var container = map.getContainer();
    var controls = container.querySelector(".leaflet-control-container");
    if (!controls) return null;
    controls.id = controls.id || "ca-controls";
    controls.tabIndex = -1;
    container.insertBefore(controls, map.getPane("mapPane"));
    return controls;
  }

  function ringOn(layer) {
    if (layer._caWeight !== undefined) return;
    layer._caWeight = layer.options.weight;
    layer._caOpacity = layer.options.opacity;
    layer.setStyle({ weight: (layer.options.weight || 3) + 4, opacity: 1 });
    var node = layer.getElement();
    if (node) node.classList.add("ca-focus");
  }

  function ringOff(layer) {
    if (layer._caWeight === undefined) return;
    layer.setStyle({ weight: layer._caWeight, opacity: layer._caOpacity });
    delete layer._caWeight;
    delete layer._caOpacity;
    var node = layer.getElement();
    if (node) node.classList.remove("ca-focus");
  }

  // The popup's heading takes the focus once its content is in the page.
  function focusPopup(popup) {
    var node = popup.getElement && popup.getElement();
    if (!node) return;
    var heading = node.querySelector(".cm-popup .cm-name");
    var target = heading || node.querySelector(".leaflet-popup-content");
    if (!target) return;
    target.tabIndex = -1;
    target.focus({ preventScroll: true });
  }

  function openFrom(layer) {
    openedFrom = layer;
    if (!layer.isPopupOpen || !layer.isPopupOpen()) layer.openPopup();
    var popup = layer.getPopup();
    if (popup && popup.isOpen()) focusPopup(popup);
  }

  // Paint one feature's element: Leaflet makes a new one each time the layer is added.
  function decorate(id, layer) {
    var node = layer.getElement && layer.getElement();
    if (!node || node.getAttribute("data-ca") === id) return;
    node.setAttribute("data-ca", id);
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", labels[id] || id);
    node.setAttribute("aria-haspopup", "dialog");
    // A click focuses the path too: the broad line is for the keyboard's focus only.
    node.addEventListener("focus", function () {
      if (node.matches(":focus-visible")) ringOn(layer);
    });
    node.addEventListener("blur", function () { ringOff(layer); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        event.stopPropagation();
        openFrom(layer);
      }
    });
  }

  function follow(id, layer) {
    layer.on("add", function () { decorate(id, layer); });
    decorate(id, layer);
  }

  function elementOf(layer) {
    var node = layer && layer.getElement && layer.getElement();
    return node && document.body.contains(node) && node.getAttribute("tabindex") === "0" ? node : null;
  }

  function followPopups() {
    map.on("popupopen", function (event) {
      var popup = event.popup;
      var node = popup.getElement();
      if (!node) return;
      var source = popup._source;
      var id = idOf(source);
      node.setAttribute("role", "dialog");
      if (id) node.setAttribute("aria-label", labels[id] || id);
      var close = node.querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", "Close");
      if (openedFrom !== source) openedFrom = null;
    });
    map.on("popupclose", function (event) {
      var source = event.popup._source;
      var node = event.popup.getElement();
      var active = document.activeElement;
      var inside = node && active && node.contains(active);
      var lost = !active || active === document.body;
      var from = openedFrom === source ? source : null;
      if (openedFrom === source) openedFrom = null;
      // Back to the feature when the focus was in the popup, or went nowhere with it.
      if (!(inside || (lost && from))) return;
      var target = elementOf(source);
      if (target) target.focus({ preventScroll: true });
    });
    // Escape in a popup (or on its feature) closes it: Leaflet listens for it only
    // while the map's own element has the focus.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") return;
      var popup = map._popup;
      if (!popup || !map.hasLayer(popup)) return;
      var node = popup.getElement();
      var active = document.activeElement;
      var source = popup._source;
      var onFeature = source && elementOf(source) === active;
      if (!(node && node.contains(active)) && !onFeature) return;
      event.preventDefault();
      var target = elementOf(source);
      map.closePopup(popup);
      if (target) target.focus({ preventScroll: true });
    });
  }

  window.citedAccess = {
    init: function (leafletMap, table) {
      map = leafletMap;
      // Each feature is named by its name and its layer's title (geo.crowding's table,
      // the one the chooser lists them by).
      Object.keys(table.names).forEach(function (id) {
        labels[id] = table.names[id] + ", " + table.layers[id];
      });
      var container = map.getContainer();
      container.setAttribute("role", "main");
      container.setAttribute("aria-label", "Map: the arrow keys pan it, + and \u2212 zoom it");
      var controls = controlsFirst();
      if (controls) skipLink(controls);
      var registry = map.citedFeatures || {};
      Object.keys(registry).forEach(function (id) { follow(id, registry[id]); });
      followPopups();
    }
  };
})(window.L);
