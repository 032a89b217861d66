from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError

from wbportal.roles import ROLES


class Command(BaseCommand):
    help = "Give a user an editorial role (Editor, Publisher, Data manager) and admin access."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user's login name.")
        parser.add_argument("role", help=f"One of: {', '.join(ROLES)}.")

    def handle(self, *args, username, role, **options):
        valid = ", ".join(f"'{name}'" for name in ROLES)
        matching = [name for name in ROLES if name.casefold() == role.strip().casefold()]
        if not matching:
            raise CommandError(f"Unknown role '{role}'. Valid roles: {valid}.")
        role = matching[0]
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(
                f"No user '{username}'. Create one first (manage.py createsuperuser, or in "
                "the admin under Users)."
            ) from error
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The group '{role}' does not exist; run `manage.py migrate` first."
            ) from error
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} now has the role {role}."))
