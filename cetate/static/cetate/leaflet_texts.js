// Leaflet's own controls speak the page's language: the translated names of the zoom buttons
// come in this script's data attributes and become the defaults of every map made after it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof L === "undefined") { return; }
  var zoomIn = script.dataset.zoomIn, zoomOut = script.dataset.zoomOut;
  L.Control.Zoom.mergeOptions({
    zoomInTitle: zoomIn || L.Control.Zoom.prototype.options.zoomInTitle,
    zoomOutTitle: zoomOut || L.Control.Zoom.prototype.options.zoomOutTitle,
  });
})();
