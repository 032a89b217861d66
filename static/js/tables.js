/* A table wider than its box (a phone) shows the line of text before it that says it scrolls
   sideways (includes/scroll_cue.html). Progressive enhancement: without JavaScript the box
   still scrolls, with a shadow at the edge that hides more columns (site.css). */
(function () {
  "use strict";

  function updateCue(box) {
    var cue = box.previousElementSibling;
    if (cue && cue.classList.contains("scroll-cue")) {
      cue.hidden = box.scrollWidth <= box.clientWidth + 1;
    }
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
