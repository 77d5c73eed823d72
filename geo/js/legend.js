// The legend control, built from data with DOM nodes: no HTML is made from strings,
// so layer titles and labels from the inputs are shown as text.
// The first rows are the layers', one per group in `groups`: a row shows only while its
// layer is on the map. On a small screen the legend starts folded into its title.
window.citedLegend = function (map, options, groups) {
  var items = options.items;
  var rows = [];
  var control = L.control({position: "bottomleft"});
  control.onAdd = function () {
    var box = L.DomUtil.create("details", "cm-legend");
    box.open = !window.matchMedia("(max-width: 640px)").matches;
    var title = document.createElement("summary");
    title.textContent = options.title;
    box.appendChild(title);
    var svgNS = "http://www.w3.org/2000/svg";
    items.forEach(function (item) {
      var row = document.createElement("div");
      row.className = "cm-row";
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("width", "34");
      svg.setAttribute("height", "14");
      var shape;
      if (item.shape === "point") {
        shape = document.createElementNS(svgNS, "circle");
        shape.setAttribute("cx", "17"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "5");
        shape.setAttribute("fill", item.color); shape.setAttribute("fill-opacity", "0.8");
      } else if (item.shape === "polygon") {
        shape = document.createElementNS(svgNS, "rect");
        shape.setAttribute("x", "3"); shape.setAttribute("y", "2");
        shape.setAttribute("width", "28"); shape.setAttribute("height", "10");
        shape.setAttribute("fill", item.color); shape.setAttribute("fill-opacity", "0.25");
      } else {
        shape = document.createElementNS(svgNS, "line");
        shape.setAttribute("x1", "2"); shape.setAttribute("y1", "7");
        shape.setAttribute("x2", "32"); shape.setAttribute("y2", "7");
        shape.setAttribute("fill", "none");
      }
      shape.setAttribute("stroke", item.color);
      shape.setAttribute("stroke-width", String(item.weight || 2));
      shape.setAttribute("stroke-opacity", String(item.opacity || 1));
      if (item.dash) shape.setAttribute("stroke-dasharray", item.dash);
      svg.appendChild(shape);
      row.appendChild(svg);
      var label = document.createElement("span");
      label.textContent = item.label;
      row.appendChild(label);
      box.appendChild(row);
      rows.push(row);
    });
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  function follow() {
    (groups || []).forEach(function (group, i) {
      if (rows[i]) rows[i].style.display = map.hasLayer(group) ? "" : "none";
    });
  }
  map.on("overlayadd overlayremove layeradd layerremove", follow);
  follow();
};
