/* "Compare places": "All places" and "No place" buttons beside the checkboxes. The form
   works without this script (templates/statistics/_compare_form.html). */
(function () {
  "use strict";

  document.querySelectorAll("[data-compare-places]").forEach(function (fieldset) {
    var boxes = fieldset.querySelectorAll('input[type="checkbox"]');
    var tools = document.createElement("p");
    tools.className = "compare-tools";
    [
      [fieldset.getAttribute("data-all-label"), true],
      [fieldset.getAttribute("data-none-label"), false],
    ].forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = item[0];
      button.addEventListener("click", function () {
        boxes.forEach(function (box) {
          box.checked = item[1];
        });
      });
      tools.appendChild(button);
    });
    fieldset.appendChild(tools);
  });
})();
