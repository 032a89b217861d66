"""Helpers to post admin forms as a browser would (including inline management forms)."""

from django.urls import reverse

INLINE_PREFIXES = {
    "regions.region": ["approach_sections", "offices", "contacts"],
}


def management_forms(model_label, initial=None):
    data = {}
    for prefix in INLINE_PREFIXES.get(model_label, []):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": str((initial or {}).get(prefix, 0)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def region_form(region=None, **overrides):
    """POST data for the region change/add form, from an existing region or new values."""
    data = {
        "name": region.name if region else "Test Region",
        "slug": region.slug if region else "test-region",
        "code": region.code if region else "TR",
        "summary": region.summary if region else "A summary.",
        "body": region.body if region else "A body.",
        "review_note": region.review_note if region else "",
        **management_forms(
            "regions.region",
            initial={
                "approach_sections": region.approach_sections.count(),
                "offices": region.offices.count(),
                "contacts": region.contacts.count(),
            }
            if region
            else None,
        ),
    }
    if region and region.review_requested:
        data["review_requested"] = "on"
    if region:
        data["countries"] = [str(pk) for pk in region.countries.values_list("pk", flat=True)]
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def add_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")


def delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def posted_values(html, form_id=None):
    """What a browser would post for the first form of `html` (or the one with `form_id`)
    as it stands: text inputs, text areas, checked boxes and selected options (a list for a
    multiple select; a single one with none selected posts its first), hidden inputs
    included; buttons and files are left out."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data = {}
            self.inside = False
            self.done = False
            self.select = None
            self.textarea = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and not self.done and not self.inside:
                self.inside = form_id is None or attrs.get("id") == form_id
                return
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name:
                kind = attrs.get("type", "text")
                if kind in ("submit", "button", "file", "image", "reset"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in attrs:
                    return
                default = "on" if kind in ("checkbox", "radio") else ""
                self.data.setdefault(name, []).append(attrs.get("value", default))
            elif tag == "textarea" and name:
                self.textarea = name
                self.data.setdefault(name, []).append("")
            elif tag == "select" and name:
                self.select = name
                self.multiple = "multiple" in attrs
                self.first_option = None
                self.data.setdefault(name, [])
            elif tag == "option" and self.select:
                if self.first_option is None:
                    self.first_option = attrs.get("value", "")
                if "selected" in attrs:
                    self.data[self.select].append(attrs.get("value", ""))

        def handle_data(self, data):
            if self.inside and self.textarea:
                self.data[self.textarea][-1] += data

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None
            elif tag == "select" and self.select:
                # A single select with nothing marked selected posts its first option.
                if not self.multiple and not self.data[self.select] and self.first_option:
                    self.data[self.select].append(self.first_option)
                self.select = None
            elif tag == "form" and self.inside:
                self.inside = False
                self.done = True

    reader = Reader()
    reader.feed(html)
    # Django's form fields drop the newline a browser drops after <textarea>.
    return {
        name: values[0].removeprefix("\n") if len(values) == 1 else values
        for name, values in reader.data.items()
    }
