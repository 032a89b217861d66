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
