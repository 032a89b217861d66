"""The Markdown field: a TextField whose form is the editor (toolbar + live preview) and whose
validation reports, before saving, everything the sanitiser (wbportal.markdown) would remove.

Every long text that the site renders with `|markdown` is a MarkdownField, so each admin form
gets the editor and the same rules without any admin code; `links` finds the texts through it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .markdown import render

MARKDOWN_HELP = _(
    "Markdown. Kept: ## headings (levels 2 to 4; a single # is shown as ##, since the page "
    "title is the only level-1 heading), **bold**, *italic*, [links](https://…), lists "
    "(* or 1.), > quotes, tables, footnotes ([^1] in the text, “[^1]: the note” below it) "
    "and images from the media library (![alt text](library:42), 42 being the image's "
    "number in the library). Raw HTML, scripts, other images and javascript: "
    "links are not shown: saving lists any it finds."
)


class MarkdownEditor(forms.Textarea):
    """A textarea, with a toolbar and a live preview where JavaScript runs (the server renders
    the preview, static/js/markdown-editor.js only asks for it). Without JavaScript it is the
    plain textarea and the preview of the text as last saved or posted."""

    template_name = "wbportal/widgets/markdown_editor.html"
    # Set by the admin form when publishing would keep links to pages readers cannot open.
    ask_to_confirm_links = False

    class Media:
        css = {"all": ["css/markdown-editor.css"]}
        js = ["js/markdown-editor.js"]

    def __init__(self, attrs=None):
        super().__init__({"class": "vLargeTextField markdown-source", "rows": 14, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        from links.internal import link_problems
        from links.scanning import links_in_markdown

        rendering = render(value)
        context["editor"] = {
            "preview_url": reverse("markdown-preview"),
            # The image toolbar button's search of the media library (library.admin).
            "picker_url": reverse("admin:library_image_picker"),
            # The public pages' stylesheet, for the preview (in a shadow root: it styles
            # nothing else of the admin page).
            "stylesheet_url": static("css/site.css"),
            "preview_html": rendering.html,
            "findings": rendering.findings,
            "link_problems": link_problems(links_in_markdown(value or "")),
            "confirm_name": confirm_links_name(name),
            "ask_to_confirm_links": self.ask_to_confirm_links,
        }
        return context


def confirm_links_name(field_name):
    """The checkbox the editor shows to publish in spite of links to unavailable pages."""
    return f"{field_name}-publish-with-broken-links"


class MarkdownFormField(forms.CharField):
    widget = MarkdownEditor

    def validate(self, value):
        super().validate(value)
        removed = render(value).removed
        if removed:
            raise ValidationError(
                [
                    ValidationError(
                        _(
                            "The public page would not show all of this text. Remove or "
                            "rewrite what is listed here (the preview shows the result):"
                        ),
                        code="markdown_removed",
                    ),
                    *(
                        ValidationError(finding.message, code="markdown_removed")
                        for finding in removed
                    ),
                ]
            )


class MarkdownField(models.TextField):
    """A long text written in Markdown and shown through wbportal.markdown."""

    description = _("Markdown text")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", MARKDOWN_HELP)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Help text is for the form, not the database: leaving it out of migrations means a
        # change to the list of what is supported needs none.
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("help_text", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        # The admin passes its own textarea widget for every TextField: the editor replaces it.
        widget = kwargs.get("widget")
        if not (isinstance(widget, type) and issubclass(widget, MarkdownEditor)):
            kwargs["widget"] = MarkdownEditor
        return super().formfield(**{**kwargs, "form_class": MarkdownFormField})


def markdown_fields(model):
    """The names of `model`'s Markdown fields."""
    return [field.name for field in model._meta.get_fields() if isinstance(field, MarkdownField)]
