// The case card: presets of the rejection reason, model answers fitting the outcome, the
// photos' larger view, and the small map that moves the triage form's point.
(function () {
  "use strict";
  // Choosing a common reason for a rejection writes it into the reason, to be completed.
  var preset = document.getElementById("id_reject-preset");
  var reason = document.getElementById("id_reject-reason");
  if (preset && reason) {
    preset.addEventListener("change", function () {
      var chosen = preset.options[preset.selectedIndex];
      if (preset.value && !reason.value.trim()) { reason.value = chosen.text + "."; }
    });
  }
  // Choosing a model answer writes it into the form's text, to be reviewed; a text already
  // written is replaced only when the user agrees.
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    var text = document.getElementById(select.dataset.fills);
    var answers = JSON.parse(document.getElementById(select.dataset.answers).textContent);
    select.addEventListener("change", function () {
      var answer = answers[select.value];
      if (!answer || !text) { return; }
      if (text.value.trim() && text.value !== answer && !window.confirm(select.dataset.replace)) { return; }
      text.value = answer;
      text.focus();
    });
  });
  // An answer's model answers follow the outcome chosen: those stating another outcome are
  // set aside (the form also refuses such a pair when sent).
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    var form = select.form;
    var radios = form ? form.querySelectorAll("input[type=radio][name$='-outcome']") : [];
    if (!radios.length) { return; }
    function fit() {
      var checked = form.querySelector("input[type=radio][name$='-outcome']:checked");
      var outcome = checked ? checked.value : "";
      select.querySelectorAll("option[data-outcome]").forEach(function (option) {
        var away = Boolean(outcome && option.dataset.outcome && option.dataset.outcome !== outcome);
        option.hidden = away;
        option.disabled = away;
        if (away && option.selected) { select.value = ""; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", fit); });
    fit();
  });
  // A photo's larger view opens in a dialog over the card; without scripts its link opens
  // the photo's own page.
  document.querySelectorAll("a[data-photo-dialog]").forEach(function (link) {
    var dialog = document.getElementById(link.dataset.photoDialog);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var image = dialog.querySelector("img");
      if (image && !image.getAttribute("src")) { image.setAttribute("src", image.dataset.src); }
      dialog.showModal();
    });
  });
  document.querySelectorAll("dialog.photo-dialog button[data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });
  // The map only decorates the address; a click on it moves the triage form's point.
  var element = document.getElementById("case-map");
  if (!element || !window.L) { return; }
  var point = [parseFloat(element.dataset.latitude), parseFloat(element.dataset.longitude)];
  var map = L.map(element, { scrollWheelZoom: false, keyboard: false }).setView(point, 17);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
  }
  var marker = L.circleMarker(point, { radius: 9, weight: 3, color: "#7a1f1f", fillOpacity: 0.5, interactive: false }).addTo(map);
  var latitude = document.getElementById("id_triage-latitude");
  var longitude = document.getElementById("id_triage-longitude");
  if (latitude && longitude) {
    map.on("click", function (event) {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      marker.setLatLng(event.latlng);
    });
  }
})();
