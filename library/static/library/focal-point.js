/* The focal point of a library image, set by clicking on its preview on the image's admin
   form (library.admin.ImageAdmin): the click writes the two percentages into the form's own
   number boxes, which stay the way to set it without JavaScript, and a marker shows where it
   is. The arrow keys move it too (Shift: by 10). */
(function () {
  "use strict";

  function clamp(value) {
    return Math.max(0, Math.min(100, Math.round(value)));
  }

  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? 50 : clamp(value);
  }

  function init() {
    var image = document.querySelector(".field-preview img");
    var across = document.getElementById("id_focal_x");
    var down = document.getElementById("id_focal_y");
    if (!image || !across || !down) { return; }
    var picker = document.createElement("div");
    picker.className = "focal-point-picker";
    picker.tabIndex = 0;
    picker.setAttribute("role", "group");
    // The hint and the label come with the preview, translated (ImageAdmin.preview).
    var hint = document.getElementById("focal-point-hint");
    picker.setAttribute("aria-label", hint ? hint.getAttribute("data-label") : "");
    var marker = document.createElement("span");
    marker.className = "focal-point-marker";
    marker.setAttribute("aria-hidden", "true");
    image.parentNode.insertBefore(picker, image);
    picker.appendChild(image);
    picker.appendChild(marker);
    if (hint) {
      picker.setAttribute("aria-describedby", hint.id);
      hint.hidden = false;
      picker.parentNode.appendChild(hint);
    }

    function show() {
      marker.style.left = number(across) + "%";
      marker.style.top = number(down) + "%";
    }

    function set(x, y) {
      across.value = String(clamp(x));
      down.value = String(clamp(y));
      [across, down].forEach(function (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show();
    }

    picker.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width * 100, (event.clientY - box.top) / box.height * 100);
    });
    picker.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 10 : 1;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      var move = moves[event.key];
      if (!move) { return; }
      event.preventDefault();
      set(number(across) + move[0], number(down) + move[1]);
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", init);
}());
