import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand


class Command(BaseCommand):
    help = (
        "For local development: create a superuser with a random password printed once, "
        "unless one already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, email, url, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin: {url}  Log in as '{existing.get_username()}' with the password printed "
                "when it was created.\nForgot it? Set a new one with: "
                f"DEBUG=1 .venv/bin/python manage.py changepassword {existing.get_username()}"
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS("Created a local superuser (this password is shown only once):")
        )
        self.stdout.write(f"  Admin:    {url}\n  Username: {username}\n  Password: {password}")
