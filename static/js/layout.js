/* Small-screen helpers (issue 24). Progressive enhancement: without JavaScript the tables
   still scroll (with a shadow at the edge that hides more columns) and the filters open
   with their "Filters" button.
   - A table wider than its box shows the line of text before it (includes/scroll_cue.html).
   - Filter forms (<details data-open-wide>) are open on wide screens: site.css already shows
     them there where the browser can style ::details-content; this keeps `open` (what a
     screen reader announces) in step, and opens them in older browsers. */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 48rem)");

  function openWide() {
    if (!wide.matches) {
      return;
    }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  function updateCue(box) {
    var cue = box.previousElementSibling;
    if (cue && cue.classList.contains("scroll-cue")) {
      cue.hidden = box.scrollWidth <= box.clientWidth + 1;
    }
  }

  openWide();
  if (wide.addEventListener) {
    wide.addEventListener("change", openWide);
  }

  var boxes = document.querySelectorAll(".table-scroll");
  boxes.forEach(updateCue);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        updateCue(entry.target);
      });
    });
    boxes.forEach(function (box) {
      observer.observe(box);
    });
  }
})();
