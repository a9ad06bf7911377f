// The worklist's and supervision's "select all" box for assigning several cases at once.
(function () {
  "use strict";
  var script = document.currentScript;
  // "Select all" ticks every case on this page that the head may assign; without it each
  // case is ticked on its own, and the list still works.
  function offer() {
    var table = document.querySelector("#case-results table.cases");
    var cell = document.getElementById("worklist-select-all");
    if (!table || !cell || cell.querySelector("input")) { return; }
    var boxes = table.querySelectorAll("input[name=case]");
    if (!boxes.length) { return; }
    var all = document.createElement("input");
    all.type = "checkbox";
    all.id = "worklist-all";
    var label = document.createElement("label");
    label.htmlFor = all.id;
    label.textContent = script.dataset.selectAll;
    // The column is a checkbox wide: its label is for screen readers (and the box's name).
    label.className = "visually-hidden";
    cell.appendChild(all);
    cell.appendChild(label);
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }
  offer();
  document.body.addEventListener("htmx:afterSwap", offer);
})();
