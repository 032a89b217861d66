/* The admin's Markdown editor: toolbar and live preview for every Markdown field
   (richtext/widgets.py renders the markup; without this file it is a plain textarea).
   The preview is rendered by the server through the same sanitiser as the public page
   (POST to data-preview-url); this file only asks for it and never builds HTML itself. */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 600; // after the last keystroke: one request per pause, not per key

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function lineStart(text, index) {
    return text.lastIndexOf("\n", index - 1) + 1;
  }

  function replaceSelection(textarea, replacement, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    textarea.setRangeText(replacement, start, textarea.selectionEnd, "end");
    if (selectFrom !== undefined) {
      textarea.setSelectionRange(start + selectFrom, start + selectTo);
    }
  }

  function wrap(textarea, before, after, placeholder) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd) || placeholder;
    replaceSelection(textarea, before + selected + after, before.length, before.length + selected.length);
  }

  function prefixLines(textarea, prefix) {
    var value = textarea.value;
    var start = lineStart(value, textarea.selectionStart);
    var end = textarea.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    var changed = lines.map(function (line, index) {
      var mark = typeof prefix === "function" ? prefix(index) : prefix;
      return line.indexOf(mark) === 0 ? line.slice(mark.length) : mark + line;
    }).join("\n");
    textarea.setRangeText(changed, start, end, "select");
  }

  // `block` on lines of its own: an empty line before and after it (none at the very start).
  function insertBlock(textarea, block) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var after = textarea.value.slice(textarea.selectionEnd);
    var gap = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var end = after === "" ? "\n" : (/^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n"));
    replaceSelection(textarea, gap + block + end);
    var at = textarea.selectionStart - end.length; // the cursor right after the block
    textarea.setSelectionRange(at, at);
  }

  function nextNoteNumber(text) {
    var number = 1;
    while (text.indexOf("[^" + number + "]") !== -1) { number += 1; }
    return number;
  }

  var ACTIONS = {
    heading: function (t) { prefixLines(t, "## "); },
    bold: function (t) { wrap(t, "**", "**", "bold text"); },
    italic: function (t) { wrap(t, "*", "*", "italic text"); },
    link: function (t) {
      var text = t.value.slice(t.selectionStart, t.selectionEnd) || "link text";
      var url = "https://";
      replaceSelection(t, "[" + text + "](" + url + ")", text.length + 3, text.length + 3 + url.length);
    },
    list: function (t) { prefixLines(t, "* "); },
    numbered: function (t) { prefixLines(t, function (index) { return (index + 1) + ". "; }); },
    quote: function (t) { prefixLines(t, "> "); },
    table: function (t) {
      insertBlock(t, "| Heading | Heading |\n| --- | --- |\n| Cell | Cell |");
    },
    footnote: function (t) {
      var number = nextNoteNumber(t.value);
      var mark = "[^" + number + "]";
      replaceSelection(t, mark);
      var note = "\n\n" + mark + ": Note text.";
      var at = t.value.replace(/\s+$/, "").length;
      t.setRangeText(note, at, t.value.length, "end");
      t.setSelectionRange(at + note.length - "Note text.".length, at + note.length);
    },
    image: function (t, editor, opener) {
      var range = [t.selectionStart, t.selectionEnd];
      function insertTemplate() {
        var alt = "Describe the image";
        // A media library image by its number (the number is shown in the library's list).
        var address = "library:…";
        t.focus();
        t.setSelectionRange(range[0], range[1]);
        insertBlock(t, "![" + alt + "](" + address + ")");
        var at = t.value.lastIndexOf(address, t.selectionStart);
        t.setSelectionRange(at, at + address.length);
      }
      // The media library's chooser (library/static/library/image-chooser.js) answers this
      // event (preventDefault) and calls insertBlock with the chosen image's reference.
      var event = new CustomEvent("markdown-editor:image", {
        bubbles: true, cancelable: true, detail: {
          textarea: t,
          opener: opener,
          insertTemplate: function () { insertTemplate(); t.dispatchEvent(new Event("input", { bubbles: true })); },
          // An image on lines of its own: alone in its paragraph, the public page shows it as a
          // figure with its caption, credit and licence.
          insertBlock: function (block) {
            t.focus();
            t.setSelectionRange(range[0], range[1]);
            insertBlock(t, block);
            t.dispatchEvent(new Event("input", { bubbles: true }));
          }
        }
      });
      if (!editor.dispatchEvent(event)) { return; }
      insertTemplate();
    }
  };

  var SHORTCUTS = { b: "bold", i: "italic", k: "link" };

  // The preview in the public pages' own stylesheet, inside a shadow root so that the admin's
  // styles do not reach it and the public styles do not reach the admin. Returns the element
  // the preview's HTML goes into.
  function showInPageStyles(host, stylesheet) {
    if (!stylesheet || !host.attachShadow) { return host; }
    var root = host.attachShadow({ mode: "open" });
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = stylesheet;
    var content = document.createElement("div");
    content.className = "markdown-preview-content";
    while (host.firstChild) { content.appendChild(host.firstChild); }
    root.appendChild(link);
    root.appendChild(content);
    return content;
  }

  function Editor(element) {
    this.element = element;
    this.textarea = element.querySelector("textarea");
    this.preview = showInPageStyles(element.querySelector(".markdown-preview"),
                                    element.getAttribute("data-stylesheet"));
    this.findings = element.querySelector(".markdown-findings");
    this.state = element.querySelector(".markdown-preview-state");
    this.url = element.getAttribute("data-preview-url");
    this.timer = null;
    this.inFlight = false;
    this.sentText = this.textarea.value;
    element.querySelector(".markdown-toolbar").hidden = false;
    element.addEventListener("click", this.onClick.bind(this));
    this.textarea.addEventListener("input", this.schedule.bind(this));
    this.textarea.addEventListener("keydown", this.onKey.bind(this));
  }

  Editor.prototype.run = function (name, button) {
    var action = ACTIONS[name];
    if (!action) { return; }
    this.textarea.focus();
    // The button, for a dialog that returns the focus to it when it closes.
    action(this.textarea, this.element, button);
    this.schedule();
  };

  Editor.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (button && this.element.contains(button)) {
      event.preventDefault();
      this.run(button.getAttribute("data-action"), button);
    }
  };

  Editor.prototype.onKey = function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && SHORTCUTS[event.key]) {
      event.preventDefault();
      this.run(SHORTCUTS[event.key]);
    }
  };

  Editor.prototype.schedule = function () {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(this.refresh.bind(this), PREVIEW_DELAY_MS);
  };

  Editor.prototype.refresh = function () {
    var text = this.textarea.value;
    if (this.inFlight || text === this.sentText) {
      if (this.inFlight) { this.pending = true; }
      return;
    }
    this.inFlight = true;
    this.pending = false;
    this.sentText = text;
    this.state.textContent = "(updating…)";
    var body = new FormData();
    body.append("text", text);
    var editor = this;
    fetch(this.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(this.textarea), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) {
        // A refused text (too long, or a shape that cannot be rendered) comes with the reason.
        return response.json().catch(function () { return {}; }).then(function (data) {
          throw new Error(data.error || String(response.status));
        });
      }
      return response.json();
    }).then(function (data) {
      editor.show(data);
      editor.state.textContent = "";
    }).catch(function (error) {
      editor.sentText = null;
      editor.state.textContent = "(could not update: " + error.message + ")";
    }).then(function () {
      editor.inFlight = false;
      if (editor.pending) { editor.refresh(); }
    });
  };

  Editor.prototype.show = function (data) {
    // `html` is the server's sanitised rendering, the very HTML the public page shows.
    this.preview.innerHTML = data.html;
    this.findings.textContent = "";
    var groups = [
      ["markdown-removed", data.removed], ["markdown-changed", data.changed],
      ["markdown-link-problem", data.links]
    ];
    for (var g = 0; g < groups.length; g += 1) {
      var items = groups[g][1] || [];
      for (var i = 0; i < items.length; i += 1) {
        var item = document.createElement("li");
        item.className = groups[g][0];
        item.textContent = items[i];
        this.findings.appendChild(item);
      }
    }
  };

  function init(root) {
    var editors = root.querySelectorAll(".markdown-editor");
    for (var i = 0; i < editors.length; i += 1) {
      var element = editors[i];
      var textarea = element.querySelector("textarea");
      // An inline's hidden template row is initialised when Django copies it (formset:added).
      if (element.markdownEditor || !textarea || textarea.name.indexOf("__prefix__") !== -1) { continue; }
      element.markdownEditor = new Editor(element);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("formset:added", function (event) { init(event.target); });
}());
