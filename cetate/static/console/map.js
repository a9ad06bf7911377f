/* The console's map of cases: the city's boundary (and tiles, when a tile server is set), and
   the cells or points the server computes for the visible box under the page's filters.
   Everything here is also in the list beside the map; the map only shows where. */
(function () {
  "use strict";

  var SYMBOLS = { overdue: "!", due_soon: "◔", on_time: "✓", none: "–" };
  var REFETCH_DELAY_MS = 150;

  var element = document.getElementById("case-map");
  var configElement = document.getElementById("map-config");
  if (!element || !configElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var form = document.getElementById("case-filters");
  var summary = document.getElementById("map-summary");
  var language = document.documentElement.lang || undefined;

  var map = window.CetateMaps.open(element, config);
  var markers = L.layerGroup().addTo(map);

  var labelled = window.CetateMaps.labelled;

  function cellMarker(cell) {
    // Overdue groups are marked by shape and sign too, not by colour alone.
    var text = (cell.state === "overdue" ? "! " : "") + cell.count.toLocaleString(language);
    var size = 30 + 7 * Math.max(0, text.length - 2);
    var icon = L.divIcon({
      className: "map-marker map-cell deadline-" + cell.state,
      html: '<span aria-hidden="true">' + text + "</span>",
      iconSize: [size, 30],
    });
    var marker = L.marker([cell.lat, cell.lon], { icon: icon, title: cell.label, riseOnHover: true });
    marker.on("click", function () {
      var b = cell.bounds;
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    });
    return labelled(marker, cell.label);
  }

  function popupFor(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.number;
    var heading = document.createElement("p");
    heading.appendChild(link);
    box.appendChild(heading);
    var details = document.createElement("p");
    details.textContent = [point.category, point.state_label].filter(Boolean).join(" · ");
    box.appendChild(details);
    return box;
  }

  function pointMarker(point) {
    var icon = L.divIcon({
      className: "map-marker map-point deadline-" + point.state,
      html: '<span aria-hidden="true">' + (SYMBOLS[point.state] || SYMBOLS.none) + "</span>",
      iconSize: [24, 24],
    });
    var marker = L.marker([point.lat, point.lon], { icon: icon, title: point.label, riseOnHover: true });
    marker.bindPopup(function () {
      return popupFor(point);
    });
    return labelled(marker, point.label);
  }

  function draw(data) {
    markers.clearLayers();
    data.cells.forEach(function (cell) {
      markers.addLayer(cellMarker(cell));
    });
    data.points.forEach(function (point) {
      markers.addLayer(pointMarker(point));
    });
    summary.textContent = data.summary;
    element.setAttribute("data-shown", data.cells.length ? "cells" : "points");
  }

  var cases = window.CetateMaps.follow({
    map: map,
    element: element,
    summary: summary,
    form: form,
    url: config.data_url,
    loading: config.loading,
    failed: config.failed,
    ignore: ["page"],
    delay: REFETCH_DELAY_MS,
    draw: draw,
  });
  if (form) {
    form.addEventListener("submit", cases.refresh);
  }
})();
