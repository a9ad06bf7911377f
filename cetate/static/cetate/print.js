// Print buttons (`data-print`): shown only with JavaScript; without it the browser's own Print
// command remains.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
