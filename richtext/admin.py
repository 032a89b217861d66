"""The admin side of Markdown texts: the check of the links to this site before a text goes
public, for every ModelAdmin and inline with Markdown fields (MarkdownAdminMixin).

The editor and the report of removed markup come with the field itself (richtext/fields.py,
richtext/widgets.py), the live preview is richtext/views.py; this adds what needs the request
or the whole form. The links are checked by what the links app registers
(richtext/link_checks.py).
"""

from functools import cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .fields import MarkdownFormField
from .link_checks import link_problems
from .widgets import confirm_links_name


def public_after_save(form):
    """Whether the object is public once this form is saved: its own publication flag (as
    posted when the user may set it, else as stored), a parent's (an approach section's
    region), or always for content without a workflow (country profiles, indicators)."""
    model = form._meta.model
    instance = form.instance
    flag = getattr(model, "publish_flag", None)
    if flag:
        return bool(form.cleaned_data.get(flag, getattr(instance, flag)))
    for field in model._meta.concrete_fields:
        related = field.related_model
        if field.many_to_one and related is not None and getattr(related, "publish_flag", None):
            if getattr(instance, field.attname) is None:
                return False  # a new parent: its own form reports its links
            return bool(getattr(getattr(instance, field.name), related.publish_flag))
    return True


class MarkdownLinksFormMixin:
    """Links to missing or unpublished pages: a notice while the item stays a draft; an
    error when it would be public, until the editor ticks "publish with these links anyway"
    (a Publisher may publish two pages that link to each other, one after the other)."""

    def clean(self):
        data = super().clean()
        self.markdown_link_problems = {}
        for name, field in self.fields.items():
            if not isinstance(field, MarkdownFormField) or not data.get(name):
                continue
            problems = link_problems(data[name])
            if not problems:
                continue
            self.markdown_link_problems[name] = problems
            confirmed = self.data.get(confirm_links_name(self.add_prefix(name))) == "on"
            if public_after_save(self) and not confirmed:
                field.widget.ask_to_confirm_links = True
                self.add_error(
                    name,
                    ValidationError(
                        [
                            _(
                                "Once saved, this is public, and it links to pages readers "
                                "cannot open:"
                            ),
                            *(problem.message for problem in problems),
                        ],
                        code="markdown_broken_links",
                    ),
                )
        return data


@cache
def _with_link_check(form_class):
    return type(form_class.__name__, (MarkdownLinksFormMixin, form_class), {})


class MarkdownAdminMixin:
    """For every ModelAdmin whose model (or one of whose inlines' models) has Markdown
    fields, and for those inlines."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = _with_link_check(kwargs.get("form", self.form))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _with_link_check(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.report_link_problems(request, form)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            self.report_link_problems(request, inline_form)

    def report_link_problems(self, request, form):
        for problems in getattr(form, "markdown_link_problems", {}).values():
            for problem in problems:
                self.message_user(request, problem.message, messages.WARNING)
