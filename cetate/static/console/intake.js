// The intake form's map: a click places the case and names the nearest street; choosing a
// street from the suggestions places the pin on it. The latitude and longitude fields stay
// the source of truth, so the form works the same without this script.
(function () {
  "use strict";
  var element = document.getElementById("intake-map");
  var configElement = document.getElementById("intake-map-config");
  if (!element || !configElement || typeof L === "undefined") { return; }
  var config = JSON.parse(configElement.textContent);
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var address = document.getElementById("id_address");

  var map = L.map(element, { keyboard: true });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  var boundary = null;
  if (config.boundary) {
    boundary = L.geoJSON(config.boundary, { style: { color: "#7a1f1f", weight: 2, fill: false } }).addTo(map);
    map.fitBounds(boundary.getBounds());
  } else {
    map.setView([46.07, 23.57], 13);
  }
  var marker = null;

  function placePin(lat, lon, pan) {
    if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    if (pan) { map.setView([lat, lon], Math.max(map.getZoom(), 16)); }
  }

  function fromFields() {
    var lat = parseFloat(latitude.value.replace(",", "."));
    var lon = parseFloat(longitude.value.replace(",", "."));
    if (!isNaN(lat) && !isNaN(lon)) { placePin(lat, lon, true); }
  }

  map.on("click", function (event) {
    latitude.value = event.latlng.lat.toFixed(6);
    longitude.value = event.latlng.lng.toFixed(6);
    placePin(event.latlng.lat, event.latlng.lng, false);
    if (address.value.trim() === "") {
      var url = config.nearest + "?latitude=" + latitude.value + "&longitude=" + longitude.value;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { address: "" }; })
        .then(function (data) { if (data.address && address.value.trim() === "") { address.value = data.address; } });
    }
  });

  latitude.addEventListener("change", fromFields);
  longitude.addEventListener("change", fromFields);
  address.addEventListener("change", function () {
    var options = document.querySelectorAll("#street-options option");
    for (var i = 0; i < options.length; i++) {
      var option = options[i];
      if (option.value === address.value && option.dataset.latitude) {
        latitude.value = option.dataset.latitude;
        longitude.value = option.dataset.longitude;
        placePin(parseFloat(option.dataset.latitude), parseFloat(option.dataset.longitude), true);
        return;
      }
    }
  });
  fromFields();
})();
