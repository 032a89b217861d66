/* The image chooser: one modal dialog for every place an image is chosen in the admin, the
   Markdown editor's image button and every image field (library/widgets.py). It searches the
   media library, shows thumbnails, and uploads a new image in place through the library's own
   checks (library.admin: chooser_view, picker_view, chooser_upload_view), then hands the image
   to whoever opened it. The dialog's content, translated, comes from the server; this file
   only fills in results as text and never builds markup from what the server sends.

   Without JavaScript nothing here runs: an image field stays the admin's raw id box, the
   editor's button inserts a reference to complete by hand. */
(function () {
  "use strict";

  var SEARCH_DELAY_MS = 300;
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  // The one dialog of the page, loaded from the server the first time it opens.
  var chooser = null;

  function escapeAlt(text) {
    return text.replace(/\s+/g, " ").replace(/([\\\[\]])/g, "\\$1");
  }

  function visible(element) {
    return !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length);
  }

  function Chooser(url) {
    this.url = url;
    this.dialog = document.createElement("dialog");
    this.dialog.className = "image-chooser-dialog";
    this.dialog.setAttribute("aria-labelledby", "image-chooser-title");
    // Outside the admin's form: the upload is a form of its own, never nested in another.
    document.body.appendChild(this.dialog);
    this.loaded = null;
    this.onChoose = null;
    this.opener = null;
    this.timer = null;
    this.request = 0;
    var chooser = this;
    this.dialog.addEventListener("keydown", this.onKey.bind(this));
    // Escape: closed here, so that the focus goes back at once, not after the browser's own
    // focus fix-up (which would pick the text the toolbar focused).
    this.dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      chooser.close();
    });
    // Closed some other way (the browser may refuse to let a page keep it open).
    this.dialog.addEventListener("close", function () {
      if (chooser.opener) { chooser.close(); }
    });
  }

  Chooser.prototype.load = function () {
    var chooser = this;
    if (!this.loaded) {
      this.loaded = fetch(this.url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        }).then(function (html) {
          // The server's own template (library/chooser/dialog.html), escaped there.
          chooser.dialog.innerHTML = html;
          chooser.wire();
        }).catch(function (error) {
          chooser.loaded = null; // try again next time
          throw error;
        });
    }
    return this.loaded;
  };

  Chooser.prototype.wire = function () {
    var chooser = this;
    var root = this.dialog.querySelector(".image-chooser");
    this.root = root;
    this.input = root.querySelector("input[type=search]");
    this.status = root.querySelector(".image-chooser-status");
    this.results = root.querySelector(".image-chooser-results");
    this.form = root.querySelector(".image-chooser-upload form");
    this.input.addEventListener("input", function () {
      window.clearTimeout(chooser.timer);
      chooser.timer = window.setTimeout(function () { chooser.search(); }, SEARCH_DELAY_MS);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        chooser.search();
      }
    });
    root.querySelector(".image-chooser-go").addEventListener("click", function () { chooser.search(); });
    root.querySelector(".image-chooser-cancel").addEventListener("click", function () { chooser.close(); });
    this.results.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-image-id]");
      if (button) { chooser.choose(button.chooserImage); }
    });
    if (this.form) {
      this.fields = this.form.querySelector(".image-chooser-upload-fields");
      // The empty form as the server sent it: each opening starts from it again, without
      // the file, the values and the errors of an upload tried before.
      this.blankFields = this.fields.innerHTML;
      this.form.addEventListener("submit", this.upload.bind(this));
    }
  };

  Chooser.prototype.open = function (options) {
    var chooser = this;
    this.onChoose = options.onChoose;
    this.opener = options.opener || document.activeElement;
    return this.load().then(function () {
      if (chooser.form) { chooser.resetUpload(); }
      if (!chooser.dialog.open) { chooser.dialog.showModal(); }
      chooser.input.focus();
      chooser.search();
    });
  };

  // Tab and Shift+Tab go round the dialog's own controls (the page behind is inert anyway);
  // Escape closes it (the browser's own "cancel"), also from the search box, which would
  // otherwise only clear itself.
  Chooser.prototype.onKey = function (event) {
    if (event.key === "Escape" && event.target === this.input) {
      event.preventDefault();
      this.close();
      return;
    }
    if (event.key !== "Tab") { return; }
    var focusable = Array.prototype.filter.call(this.dialog.querySelectorAll(FOCUSABLE), visible);
    if (!focusable.length) { return; }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  // Closes the dialog. With `image`, hands it to whoever opened the dialog (which moves the
  // focus on, e.g. to the text it was inserted into); without, the focus goes back to the
  // control that opened it.
  Chooser.prototype.close = function (image) {
    var opener = this.opener;
    var onChoose = this.onChoose;
    this.opener = null;
    this.onChoose = null;
    if (this.dialog.open) { this.dialog.close(); }
    if (image) {
      if (onChoose) { onChoose(image); }
    } else if (opener && opener.focus) {
      opener.focus();
    }
  };

  Chooser.prototype.search = function () {
    var chooser = this;
    var root = this.root;
    var request = this.request += 1;
    this.status.textContent = root.getAttribute("data-loading");
    var url = root.getAttribute("data-picker-url") + "?q=" + encodeURIComponent(this.input.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (request !== chooser.request) { return; } // a later search answers instead
        chooser.results.textContent = "";
        data.results.forEach(function (image) { chooser.results.appendChild(chooser.item(image)); });
        chooser.status.textContent = data.results.length ?
          root.getAttribute("data-found").replace("%(count)s", String(data.results.length)) :
          root.getAttribute("data-none");
      }).catch(function (error) {
        if (request !== chooser.request) { return; }
        chooser.status.textContent = root.getAttribute("data-failed") + " " + error.message;
      });
  };

  Chooser.prototype.item = function (image) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("data-image-id", String(image.id));
    button.chooserImage = image;
    if (image.thumbnail) {
      var thumbnail = document.createElement("img");
      thumbnail.src = image.thumbnail;
      thumbnail.width = image.thumbnail_width;
      thumbnail.height = image.thumbnail_height;
      thumbnail.alt = ""; // the button's text says what the image shows
      button.appendChild(thumbnail);
    }
    var label = document.createElement("span");
    label.textContent = image.alt + " (" + image.width + "\u00a0\u00d7\u00a0" + image.height + ")";
    button.appendChild(label);
    item.appendChild(button);
    return item;
  };

  Chooser.prototype.choose = function (image) {
    this.close(image);
  };

  Chooser.prototype.resetUpload = function () {
    this.fields.innerHTML = this.blankFields;
    this.form.querySelector(".image-chooser-upload-status").textContent = "";
  };

  Chooser.prototype.upload = function (event) {
    event.preventDefault();
    var chooser = this;
    var root = this.root;
    var form = this.form;
    var status = form.querySelector(".image-chooser-upload-status");
    var submit = form.querySelector("button[type=submit]");
    status.textContent = root.getAttribute("data-uploading");
    submit.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 403) { throw new Error(root.getAttribute("data-refused")); }
      return response.json().catch(function () {
        throw new Error(String(response.status));
      }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (answer) {
      if (answer.status === 201 && answer.data.image) {
        status.textContent = "";
        chooser.choose(answer.data.image);
      } else if (answer.status === 400 && answer.data.form) {
        // The same fields again, from the server, with what to correct beside each; the file
        // must be chosen again (a browser never refills a file input).
        chooser.fields.innerHTML = answer.data.form;
        status.textContent = root.getAttribute("data-upload-invalid");
        var invalid = form.querySelector("[aria-invalid=true]");
        if (invalid) { invalid.focus(); }
      } else {
        throw new Error(String(answer.status));
      }
    }).catch(function (error) {
      status.textContent = root.getAttribute("data-upload-failed") + " " + error.message;
    }).then(function () {
      submit.disabled = false;
    });
  };

  function open(url, options) {
    if (!chooser) { chooser = new Chooser(url); }
    return chooser.open(options);
  }

  // --- The Markdown editor's image button (richtext/static/js/markdown-editor.js asks) -----

  document.addEventListener("markdown-editor:image", function (event) {
    var url = event.target.getAttribute("data-image-chooser-url");
    if (!url || !window.HTMLDialogElement) { return; } // the editor inserts a reference to complete
    event.preventDefault();
    var detail = event.detail;
    open(url, {
      opener: detail.opener,
      // On lines of its own: a paragraph alone is shown as a figure with caption and credit.
      onChoose: function (image) {
        detail.insertBlock("![" + escapeAlt(image.alt) + "](library:" + image.id + ")");
      }
    }).catch(function () { detail.insertTemplate(); }); // no chooser: a reference to complete
  });

  // --- Image fields -------------------------------------------------------------------------

  function fieldParts(field) {
    return {
      input: field.querySelector(".image-chooser-id input"),
      thumbnail: field.querySelector(".image-chooser-thumbnail"),
      chosen: field.querySelector(".image-chooser-chosen"),
      choose: field.querySelector(".image-chooser-choose"),
      clear: field.querySelector(".image-chooser-clear")
    };
  }

  function showChoice(field, image) {
    var parts = fieldParts(field);
    parts.input.value = image ? String(image.id) : "";
    parts.input.dispatchEvent(new Event("change", { bubbles: true }));
    parts.thumbnail.textContent = "";
    if (image && image.thumbnail) {
      var thumbnail = document.createElement("img");
      thumbnail.src = image.thumbnail;
      thumbnail.width = image.thumbnail_width;
      thumbnail.height = image.thumbnail_height;
      thumbnail.alt = "";
      parts.thumbnail.appendChild(thumbnail);
    }
    // The raw id box's own label (the chosen image's name) is hidden with the box.
    parts.chosen.textContent = image ? image.alt : parts.chosen.getAttribute("data-none");
    parts.choose.textContent = parts.choose.getAttribute(image ? "data-change-label" : "data-choose-label");
    parts.clear.hidden = !image;
  }

  function enhance(root) {
    var fields = root.querySelectorAll(".image-chooser-field");
    for (var i = 0; i < fields.length; i += 1) {
      var field = fields[i];
      var input = field.querySelector(".image-chooser-id input");
      if (field.imageChooser || !input || input.name.indexOf("__prefix__") !== -1) { continue; }
      if (!window.HTMLDialogElement) { continue; }
      field.imageChooser = true;
      field.classList.add("image-chooser-enhanced");
      field.querySelector(".image-chooser-buttons").hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".image-chooser-enhanced .image-chooser-choose, " +
                                      ".image-chooser-enhanced .image-chooser-clear");
    if (!button) { return; }
    event.preventDefault();
    var field = button.closest(".image-chooser-field");
    if (button.classList.contains("image-chooser-clear")) {
      showChoice(field, null);
      fieldParts(field).choose.focus();
      return;
    }
    open(field.getAttribute("data-chooser-url"), {
      opener: button,
      onChoose: function (image) {
        showChoice(field, image);
        fieldParts(field).choose.focus();
      }
    }).catch(function () {
      // No chooser for this person (or the server did not answer): the id box again.
      field.classList.remove("image-chooser-enhanced");
      field.querySelector(".image-chooser-buttons").hidden = true;
      fieldParts(field).input.focus();
    });
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("formset:added", function (event) { enhance(event.target); });
}());
