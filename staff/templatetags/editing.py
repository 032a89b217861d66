"""The "Edit this page" link for signed-in staff: `{% edit_link object %}` (its admin change
page) or `{% edit_link "regions.office" %}` (a model's list), shown only to staff whom the
model's admin lets change it.

Never part of a page the public gets: a request without a session cookie (every anonymous
visitor, and every request the page cache serves or stores, whose cookies it drops) is
answered without even opening the session, so nothing of the user reaches the page or its
`Vary` header; and a page rendered for a signed-in user is `private, no-store`, so the page
cache never stores it (pagecache/pages.py).
"""

from django import template
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import quote
from django.db.models import Model
from django.urls import NoReverseMatch, reverse

register = template.Library()


def _staff_request(request):
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return None
    return request


def admin_edit_url(request, target):
    """The admin URL where this request's user may change `target` (a model instance, or
    an "app_label.model" label for the model's list), else None."""
    request = _staff_request(request)
    if request is None or not target:
        return None
    obj = target if isinstance(target, Model) else None
    model = type(target) if obj is not None else apps.get_model(target)
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered:
        return None
    if not model_admin.has_change_permission(request, obj):
        return None
    opts = model._meta
    try:
        if obj is None:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    except NoReverseMatch:
        return None


@register.inclusion_tag("includes/edit_link.html", takes_context=True)
def edit_link(context, target):
    return {"edit_url": admin_edit_url(context.get("request"), target)}
