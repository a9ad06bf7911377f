// A page reached after an action (its address ends in #result) puts what the action did in
// view and gives it the focus, so that the keyboard and the screen reader go on from the
// result, not from the form left behind. Without JavaScript the browser still scrolls to it.
(function () {
  "use strict";
  function showResult() {
    if (window.location.hash !== "#result") { return; }
    var result = document.getElementById("result");
    if (!result || !result.textContent.trim()) { return; }
    result.focus({ preventScroll: true });
    result.scrollIntoView({ block: "start" });
  }
  showResult();
  // The browser may restore the scroll position of the page it came from after loading.
  window.addEventListener("load", showResult);
})();
