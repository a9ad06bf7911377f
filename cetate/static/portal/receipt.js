// The receipt's Print button; without JavaScript the browser's own Print command remains.
(function () {
  "use strict";
  var button = document.getElementById("print-receipt");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
