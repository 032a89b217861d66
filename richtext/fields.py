"""The Markdown field: a TextField whose form is the editor (toolbar + live preview,
richtext/widgets.py) and whose validation reports, before saving, everything the sanitiser
(richtext/sanitiser.py) would remove.

Every long text that the site renders with `|markdown` is a MarkdownField, so each admin form
gets the editor and the same rules without any admin code; `links` finds the texts through it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import limits
from .rendering import plain_text, render
from .widgets import MarkdownEditor

MARKDOWN_HELP = _(
    "Markdown. Kept: ## headings (levels 2 to 4; a single # is shown as ##, since the page "
    "title is the only level-1 heading), **bold**, *italic*, [links](https://…), lists "
    "(* or 1.), > quotes, tables, footnotes ([^1] in the text, “[^1]: the note” below it) "
    "and images from the media library (the Image button, or ![alt text](library:42) on "
    "a line of its own, 42 being the image's number in the library). Raw HTML, scripts, "
    "other images and javascript: links are not shown: saving lists any it finds."
)


class MarkdownFormField(forms.CharField):
    widget = MarkdownEditor

    def to_python(self, value):
        # Browsers end a text box's lines CR LF; stored texts end them LF: a text saved
        # unchanged is then no change (as formatting.regional_input.TextFormField).
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text

    def validate(self, value):
        super().validate(value)
        # Checked before rendering, so a text that would be slow to render never is.
        shape = limits.problems(value)
        if shape:
            raise ValidationError(
                [ValidationError(problem.message, code="markdown_shape") for problem in shape]
            )
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
    """A long text written in Markdown and shown through richtext.rendering."""

    description = _("Markdown text")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", MARKDOWN_HELP)
        super().__init__(*args, **kwargs)

    def plain_text(self, value):
        """The text as its reader sees it, without markup (what site search shows)."""
        return plain_text(value)

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
