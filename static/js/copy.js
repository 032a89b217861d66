/* A "Copy" button for each element marked data-copy (the embed code, the citation, the
   BibTeX entry). Progressive enhancement: without JavaScript the text is already there to
   select. */
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(element) {
    selectText(element);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  function copy(element) {
    if (navigator.clipboard && window.isSecureContext) {
      // The asynchronous API can refuse (no focus, no permission): fall back to the selection.
      return navigator.clipboard.writeText(element.textContent).catch(function () {
        return copyBySelection(element);
      });
    }
    return copyBySelection(element);
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
