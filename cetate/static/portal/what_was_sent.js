/* A small map of the place the resident sent: a picture of where it is, not a map to move
   around (the address beside it says the same in words). Without JavaScript it stays hidden. */
(function () {
  "use strict";
  var element = document.getElementById("sent-place-map");
  var source = document.getElementById("sent-place-config");
  if (!element || !source || !window.L) {
    return;
  }
  var config = JSON.parse(source.textContent);
  element.hidden = false;
  var map = L.map(element, {
    zoomControl: false,
    dragging: false,
    touchZoom: false,
    doubleClickZoom: false,
    scrollWheelZoom: false,
    boxZoom: false,
    keyboard: false,
    zoomAnimation: false,
    fadeAnimation: false,
  }).setView(config.centre, config.zoom);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  L.circleMarker(config.centre, {
    radius: 9,
    weight: 3,
    color: "#ffffff",
    fillColor: accent || "#7a1f1f",
    fillOpacity: 1,
    interactive: false,
  }).addTo(map);
})();
