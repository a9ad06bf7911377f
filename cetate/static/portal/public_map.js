/* The public map of reported problems: the city's boundary (and tiles, when a tile server is
   set), and the groups or rounded spots the server computes for the visible box under the
   page's filters. The list linked beside the map holds the same problems; the map only shows
   where they are. */
(function () {
  "use strict";

  var SYMBOLS = { open: "●", answered: "✓", closed: "■", redirected: "■" };
  var REFETCH_DELAY_MS = 200;

  var element = document.getElementById("public-map");
  var configElement = document.getElementById("public-map-config");
  if (!element || !configElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var form = document.getElementById("public-filters");
  var summary = document.getElementById("map-summary");
  var language = document.documentElement.lang || undefined;

  var map = window.CetateMaps.open(element, config);
  var markers = L.layerGroup().addTo(map);

  var labelled = window.CetateMaps.labelled;

  function groupMarker(cell) {
    var text = cell.count.toLocaleString(language);
    var size = 30 + 7 * Math.max(0, text.length - 2);
    var icon = L.divIcon({
      className: "public-marker public-group",
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
    var list = document.createElement("ul");
    list.className = "public-popup";
    point.cases.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.number;
      entry.appendChild(link);
      var details = document.createElement("span");
      details.textContent = " · " + [item.category, item.status_label, item.date_label].join(" · ");
      entry.appendChild(details);
      list.appendChild(entry);
    });
    return list;
  }

  function pointMarker(point) {
    // The spot takes the look of its newest report; several reports show their number.
    var newest = point.cases[0];
    var glyph = point.count > 1 ? String(point.count) : SYMBOLS[newest.status] || SYMBOLS.open;
    var icon = L.divIcon({
      className: "public-marker public-spot status-" + newest.status,
      html: '<span aria-hidden="true">' + glyph + "</span>",
      iconSize: [26, 26],
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
      markers.addLayer(groupMarker(cell));
    });
    data.points.forEach(function (point) {
      markers.addLayer(pointMarker(point));
    });
    summary.textContent = data.summary;
    element.setAttribute("data-shown", data.cells.length ? "cells" : "points");
  }

  window.CetateMaps.follow({
    map: map,
    element: element,
    summary: summary,
    form: form,
    url: config.data_url,
    loading: config.loading,
    failed: config.failed,
    ignore: [],
    delay: REFETCH_DELAY_MS,
    draw: draw,
  });
})();
