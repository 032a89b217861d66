import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from audit.recorders import record_role_change
from staff.roles import ROLES

# Who the audit log names for a role given on the command line (no signed-in person).
COMMAND_ACTOR = "manage.py grant_role"


class Command(BaseCommand):
    help = "Give a user an editorial role (Editor, Publisher, Data manager) and admin access."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user's login name.")
        parser.add_argument("role", help=f"One of: {', '.join(ROLES)}.")
        parser.add_argument(
            "--create",
            action="store_true",
            help=(
                "Create the user if there is none: a staff account, never a superuser, with "
                "no usable password until one is set with `manage.py changepassword`."
            ),
        )
        parser.add_argument(
            "--email",
            help="E-mail address of the user created with --create (asked for when omitted "
            "and the command runs in a terminal).",
        )

    def handle(self, *args, username, role, create=False, email=None, **options):
        valid = ", ".join(f"'{name}'" for name in ROLES)
        matching = [name for name in ROLES if name.casefold() == role.strip().casefold()]
        if not matching:
            raise CommandError(f"Unknown role '{role}'. Valid roles: {valid}.")
        role = matching[0]
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The group '{role}' does not exist; run `manage.py migrate` first."
            ) from error
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as error:
            if not create:
                raise CommandError(
                    _(
                        "No user '%(username)s'. To create a staff account for it (not a "
                        "superuser), run: manage.py grant_role %(username)s '%(role)s' "
                        "--create --email ADDRESS. Or add the user in the admin under Users."
                    )
                    % {"username": username, "role": role}
                ) from error
            user = self.create_staff_user(User, username, email)
        with transaction.atomic():
            before, was_staff = list(user.groups.all()), user.is_staff
            user.groups.add(group)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            record_role_change(
                user,
                before=before,
                after=user.groups.all(),
                flags={"is_staff": (was_staff, True)},
                actor_name=COMMAND_ACTOR,
            )
        self.stdout.write(self.style.SUCCESS(f"{username} now has the role {role}."))

    def create_staff_user(self, User, username, email):
        if email is None and sys.stdin.isatty():
            email = input(_("E-mail address of %(username)s: ") % {"username": username})
        email = (email or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(
                    _("'%(email)s' is not an e-mail address.") % {"email": email}
                ) from error
        # create_user() without a password stores an unusable one: nobody can sign in
        # until the password is set.
        user = User.objects.create_user(username, email=email, is_staff=True)
        self.stdout.write(
            _(
                "Created the staff user %(username)s (not a superuser) without a password. "
                "Set one with: python manage.py changepassword %(username)s"
            )
            % {"username": username}
        )
        return user
