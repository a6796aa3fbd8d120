/* corresp: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Keep shared URLs short: leave empty filter fields out of the search URL.
  var form = document.getElementById("search");
  if (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && !field.disabled && field.value === "") {
          field.disabled = true;
        }
      });
      // Re-enable after the navigation starts, so going back shows the fields again.
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
      }, 0);
    });
  }

  // Filters and facets are folded on phones, open beside the results on wide screens.
  var refine = document.getElementById("refine");
  if (refine && window.matchMedia && window.matchMedia("(min-width: 900px)").matches) {
    refine.open = true;
  }

  // "/" jumps to the search box, as on many search sites.
  var box = document.getElementById("q");
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
    if (box && event.key === "/" && !typing && !event.metaKey && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
