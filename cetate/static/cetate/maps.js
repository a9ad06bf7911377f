/* What every map of cases shares. `open` draws the city: tiles when a tile server is set, the
   boundary, and the first view. `follow` keeps the data current: after each pan or zoom (and on
   demand) it asks the server for the cases in the visible box under the page's filters, drops an
   answer that a newer question has overtaken, and says in words what it is doing; the page's
   own script draws the answer. `labelled` names a marker for screen readers. */
window.CetateMaps = {};

window.CetateMaps.open = function (element, config) {
  "use strict";

  var DEFAULT_VIEW = { centre: [45.9, 24.9], zoom: 7 };
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var map = L.map(element, {
    minZoom: 3,
    maxZoom: 19,
    zoomSnap: 1,
    zoomAnimation: !still,
    fadeAnimation: !still,
    markerZoomAnimation: !still,
  });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  if (config.boundary) {
    var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
    L.geoJSON(config.boundary, {
      interactive: false,
      style: { color: accent || "#7a1f1f", weight: 3, fillColor: "#ffffff", fillOpacity: 0.35 },
    }).addTo(map);
  }
  if (config.centre) {
    map.setView(config.centre, config.street_zoom);
  } else if (config.bounds) {
    map.fitBounds(config.bounds);
  } else {
    map.setView(DEFAULT_VIEW.centre, DEFAULT_VIEW.zoom);
  }
  return map;
};

window.CetateMaps.labelled = function (marker, label) {
  "use strict";

  // The glyph inside a marker is decoration: its name is the label, read by screen readers.
  marker.on("add", function () {
    var icon = marker.getElement();
    if (icon) {
      icon.setAttribute("aria-label", label);
    }
  });
  return marker;
};

window.CetateMaps.follow = function (options) {
  "use strict";

  var map = options.map;
  var pending = null;
  var timer = null;

  function query() {
    var params = options.form ? new URLSearchParams(new FormData(options.form)) : new URLSearchParams();
    (options.ignore || []).forEach(function (name) {
      params.delete(name);
    });
    params.set("bbox", map.getBounds().toBBoxString());
    params.set("zoom", String(map.getZoom()));
    return params.toString();
  }

  function fetchData() {
    if (pending) {
      pending.abort();
    }
    var controller = new AbortController();
    pending = controller;
    options.element.setAttribute("aria-busy", "true");
    fetch(options.url + "?" + query(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || options.failed);
          }
          return body;
        });
      })
      .then(options.draw)
      .catch(function (error) {
        if (error.name !== "AbortError") {
          options.summary.textContent = error.message || options.failed;
        }
      })
      .finally(function () {
        if (pending === controller) {
          pending = null;
          options.element.removeAttribute("aria-busy");
        }
      });
  }

  function refresh() {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchData, options.delay || 150);
  }

  // moveend follows every pan and every zoom.
  map.on("moveend", refresh);
  options.summary.textContent = options.loading;
  fetchData();
  return { refresh: refresh };
};
