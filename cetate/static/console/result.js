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
    var bottom = result.getBoundingClientRect().bottom + window.scrollY;
    if (bottom < window.innerHeight * 0.75) {
      // Near the top of the page: the page's heading stays in view above it.
      window.scrollTo(0, 0);
    } else {
      result.scrollIntoView({ block: "start" });
    }
  }
  showResult();
  // The browser may move to the address's anchor again once the page has loaded.
  window.addEventListener("load", showResult);
})();
