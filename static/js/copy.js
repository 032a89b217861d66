/* A "Copy" button for each element marked data-copy (the embed code, the BibTeX entry).
   Progressive enhancement: without JavaScript the text is already there to select. */
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(element) {
    var text = element.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    selectText(element);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("[data-copy]").forEach(function (element) {
    var bar = document.createElement("p");
    bar.className = "copy-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = element.getAttribute("data-copy-label");
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(element).then(
        function () {
          status.textContent = element.getAttribute("data-copied");
        },
        function () {
          selectText(element);
          status.textContent = element.getAttribute("data-copy-failed");
        }
      );
    });
    bar.appendChild(button);
    bar.appendChild(status);
    element.parentNode.insertBefore(bar, element.nextSibling);
  });
})();
