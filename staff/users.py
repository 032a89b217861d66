"""The signed-in staff member behind an admin request, typed as a user."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def staff_user(request: HttpRequest) -> User:
    """The admin's user: signed in (the admin site lets only active staff in)."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
