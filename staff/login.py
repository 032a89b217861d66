"""The staff login form."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form, refusing a user name longer than any account's.

    Django's form only writes the length into the box's `maxlength`; a posted longer name
    would reach authentication, and django-axes would then fail to store the attempt in its
    255-character column (an error page on PostgreSQL). No account has such a name, so it is
    refused before authentication and counts as no attempt."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
