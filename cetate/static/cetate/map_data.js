/* What every map of cases does with its data: after each pan or zoom (and on demand) it asks
   the server for the cases in the visible box under the page's filters, drops an answer that a
   newer question has overtaken, and says in words what it is doing. The page's own script
   draws the answer. */
window.CetateMapData = function (options) {
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
