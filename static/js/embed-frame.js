/* Inside the chart embed: tells the page that frames it how tall the content is, so that the
   embed code's own script (statistics/embed.py) can fit the iframe to it and nothing scrolls
   inside the frame. Posts only the height, a number, under the message type name of the
   script tag's data-message-type; at most one message per THROTTLE_MS, and only when the
   height changed. The height is no secret: it goes to whichever page frames the chart. */
(function () {
  "use strict";

  var THROTTLE_MS = 150;
  var script = document.currentScript;
  var type = script && script.getAttribute("data-message-type");
  if (!type || window.parent === window) {
    return; // not framed: nobody to tell
  }

  var sent = 0;
  var timer = null;
  var lastSent = 0;

  function contentHeight() {
    // The root element's own box, not scrollHeight: that is never less than the frame's
    // current height, so a frame could grow but never shrink back.
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function send() {
    timer = null;
    lastSent = Date.now();
    var height = contentHeight();
    if (height > 0 && height !== sent) {
      sent = height;
      window.parent.postMessage({ type: type, height: height }, "*");
    }
  }

  function schedule() {
    if (timer === null) {
      timer = window.setTimeout(send, Math.max(0, THROTTLE_MS - (Date.now() - lastSent)));
    }
  }

  send();
  window.addEventListener("load", schedule);
  window.addEventListener("resize", schedule);
  if ("ResizeObserver" in window) {
    new ResizeObserver(schedule).observe(document.documentElement);
  }
})();
