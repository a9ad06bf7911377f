// The report form, enhanced: the place first for a problem in the city, a search box narrowing
// the category list (and choosing the one left), the category's questions at once, a map to
// place the pin (tap, drag, "use my location", an address found), the street and the open
// reports near the pin as it moves, and the rule on contact details that fits the choice. The hidden latitude and longitude fields stay the
// source of truth, so the form works the same, one step at a time, without this script.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var configElement = document.getElementById("report-map-config");
  if (!form || !configElement) { return; }
  var config = JSON.parse(configElement.textContent);
  var category = document.getElementById("id_category");
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var address = document.getElementById("id_address");
  var nearbyShown = document.getElementById("id_nearby_shown");
  var nearbyLive = document.getElementById("report-nearby-live");
  var placeStatus = document.getElementById("report-place-status");
  var placedKinds = (form.dataset.placedKinds || "").split(" ");
  var anonymousKinds = (form.dataset.anonymousKinds || "").split(" ");

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function chosenKind() {
    var checked = form.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "report";
  }

  // The category list, narrowed to what is typed in the search box.
  var searchField = document.getElementById("category-search-field");
  var search = document.getElementById("category-search");
  var searchCount = document.getElementById("category-search-count");
  if (searchField && search && category) {
    searchField.hidden = false;
    search.addEventListener("input", function () {
      var wanted = fold(search.value).split(" ").filter(Boolean);
      var matching = [];
      Array.prototype.forEach.call(category.querySelectorAll("optgroup"), function (group) {
        var groupShown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var words = (option.dataset.search || "").split(" ");
          var matches = wanted.every(function (word) {
            return words.some(function (candidate) { return candidate.indexOf(word) === 0; });
          });
          if (matches) { matching.push(option); }
          option.hidden = !matches && !option.selected;
          if (!option.hidden) { groupShown += 1; }
        });
        group.hidden = groupShown === 0;
      });
      // One category left: it is the one meant, so it is chosen (and its questions shown).
      if (wanted.length && matching.length === 1 && !matching[0].selected) {
        matching[0].selected = true;
        category.dispatchEvent(new Event("change"));
      }
      searchCount.textContent = !wanted.length ? "" :
        matching.length === 1 ? searchCount.dataset.chosen.replace("%s", matching[0].textContent) :
        searchCount.dataset.template.replace("%s", matching.length);
    });
  }

  // Contact details: required unless the kind and category accept an anonymous report.
  var contact = document.getElementById("report-contact");
  function updateContact() {
    var option = category && category.selectedOptions[0];
    var chosen = option && option.value ? option.dataset.anonymous : "";
    var anonymous = anonymousKinds.indexOf(chosenKind()) >= 0 && chosen === "1";
    document.getElementById("contact-required").hidden = anonymous;
    document.getElementById("contact-optional").hidden = !anonymous;
    contact.dataset.required = anonymous ? "0" : "1";
    // The one reason that applies to the kind and category chosen.
    Array.prototype.forEach.call(contact.querySelectorAll("[data-kinds]"), function (reason) {
      var fits = reason.dataset.kinds.split(" ").indexOf(chosenKind()) >= 0;
      if (fits && reason.dataset.anonymous !== undefined) { fits = reason.dataset.anonymous === chosen; }
      reason.hidden = !fits;
    });
  }

  // The postal address, asked for when the answer is to come by post (or already given).
  var postal = document.getElementById("report-postal");
  var postalInput = document.getElementById("id_postal_address");
  function updatePostal() {
    var channel = form.querySelector("input[name=answer_channel]:checked");
    postal.hidden = !(channel && channel.value === "post") && postalInput.value.trim() === "" &&
      !postal.querySelector(".report-errors");
  }
  if (postal && postalInput) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=answer_channel]"), function (radio) {
      radio.addEventListener("change", updatePostal);
    });
    updatePostal();
  }
  if (contact) { updateContact(); }

  // The place: first for a problem in the city, after what it is about for a petition, and
  // not asked for a public-information request.
  var placeGroup = document.getElementById("report-place");
  var categoryGroup = document.getElementById("report-category");
  var detailsGroup = document.getElementById("report-details");
  var placeOptional = document.getElementById("place-optional");
  function updatePlace() {
    var kind = chosenKind();
    placeGroup.hidden = placedKinds.indexOf(kind) < 0;
    placeOptional.hidden = kind === "report";
    var before = kind === "report" ? categoryGroup : detailsGroup;
    if (placeGroup.nextElementSibling !== before) { form.insertBefore(placeGroup, before); }
    if (!placeGroup.hidden && map) { map.invalidateSize(); }
  }

  var kindChosen = document.getElementById("report-kind-chosen");
  Array.prototype.forEach.call(form.querySelectorAll("input[name=kind]"), function (radio) {
    radio.addEventListener("change", function () {
      kindChosen.textContent = radio.dataset.label;
      updateContact();
      updatePlace();
    });
  });

  // The category's questions, fetched as soon as a category is chosen.
  if (category) {
    category.addEventListener("change", function () {
      updateContact();
      var url = config.questions_url + "?category=" + encodeURIComponent(category.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var questions = document.getElementById("report-questions");
          if (html !== null && questions) { questions.outerHTML = html; }
        });
      askAboutPlace();
    });
  }

  // The map.
  var map = null;
  var marker = null;
  var block = document.getElementById("report-map-block");
  var element = document.getElementById("report-map");
  if (block && element && typeof L !== "undefined") {
    block.hidden = false;
    map = L.map(element, { keyboard: true });
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    }
    if (config.boundary) {
      var boundary = L.geoJSON(config.boundary, { style: { color: "#7a1f1f", weight: 2, fill: false } }).addTo(map);
      map.fitBounds(boundary.getBounds());
    } else {
      map.setView([46.07, 23.57], 13);
    }
    map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng, false); });
    document.getElementById("report-centre-pin").addEventListener("click", function () {
      var centre = map.getCenter();
      setPin(centre.lat, centre.lng, false);
    });
    var locate = document.getElementById("report-my-location");
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        placeStatus.textContent = locate.dataset.searching || "";
        navigator.geolocation.getCurrentPosition(
          function (position) { setPin(position.coords.latitude, position.coords.longitude, true); },
          function () { placeStatus.textContent = locate.dataset.failed || ""; },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }
    var lat = parseFloat(latitude.value), lon = parseFloat(longitude.value);
    if (!isNaN(lat) && !isNaN(lon)) { showPin(lat, lon, true); }
  }

  function showPin(lat, lon, pan) {
    if (marker) {
      marker.setLatLng([lat, lon]);
    } else {
      var icon = L.divIcon({ className: "report-pin", iconSize: [24, 24], iconAnchor: [12, 24] });
      marker = L.marker([lat, lon], { icon: icon, draggable: true, keyboard: false }).addTo(map);
      marker.on("dragend", function () {
        var where = marker.getLatLng();
        setPin(where.lat, where.lng, false);
      });
    }
    if (pan) { map.setView([lat, lon], Math.max(map.getZoom(), 17)); }
  }

  function setPin(lat, lon, pan, keepAddressStatus) {
    if (!keepAddressStatus && addressStatus) { addressStatus.textContent = ""; }
    latitude.value = lat.toFixed(6);
    longitude.value = lon.toFixed(6);
    showPin(lat, lon, pan);
    askAboutPlace();
  }

  // The address typed, looked up in the city's street list without leaving the page.
  var findAddress = document.getElementById("report-find-address");
  var addressStatus = document.getElementById("report-address-status");
  var street = document.getElementById("id_street");
  if (findAddress && map && street) {
    address.addEventListener("input", function () { street.value = ""; });
    findAddress.addEventListener("click", function (event) {
      event.preventDefault();
      var url = config.address_url + "?address=" + encodeURIComponent(address.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var found = data.streets[0];
          addressStatus.classList.toggle("report-problem", !found);
          if (!found) {
            street.value = "";
            addressStatus.textContent = config.texts.not_found;
            return;
          }
          street.value = found.name;
          if (found.latitude !== null && found.longitude !== null) {
            addressStatus.textContent = config.texts.found.replace("%s", found.address);
            setPin(found.latitude, found.longitude, true, true);
          } else {
            addressStatus.textContent = config.texts.found_unplaced.replace("%s", found.address);
          }
        });
    });
  }

  // The street, whether the city can act there, and open reports nearby.
  var asked = 0;
  function askAboutPlace() {
    if (!latitude.value || !longitude.value) { return; }
    var ticket = ++asked;
    var url = config.place_url + "?latitude=" + latitude.value + "&longitude=" + longitude.value +
      "&category=" + encodeURIComponent(category ? category.value : "");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ticket !== asked) { return; }
        placeStatus.classList.toggle("report-problem", Boolean(data.problem));
        placeStatus.textContent = data.problem || (data.street ? config.texts.street.replace("%s", data.street) : config.texts.placed);
        if (data.street && address.value.trim() === "") { address.value = data.street; }
        showNearby(data.nearby || []);
      });
  }

  function showNearby(reports) {
    nearbyLive.textContent = "";
    nearbyShown.value = reports.length ? "on" : "";
    if (!reports.length) { return; }
    var heading = document.createElement("h3");
    heading.textContent = config.texts.nearby_title;
    var intro = document.createElement("p");
    intro.textContent = config.texts.nearby_intro;
    var list = document.createElement("ul");
    reports.forEach(function (report) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = report.url;
      link.textContent = config.texts.report.replace("%s", report.number);
      item.appendChild(link);
      item.appendChild(document.createTextNode(" – " + report.category + ", " +
        config.texts.distance.replace("%d", report.distance_m) + ". " + report.status));
      list.appendChild(item);
    });
    nearbyLive.appendChild(heading);
    nearbyLive.appendChild(intro);
    nearbyLive.appendChild(list);
  }

  updateContact();
  updatePlace();
})();
