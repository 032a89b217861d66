from typing import Any

from django.core.management import BaseCommand, CommandError

from pagecache import PageCacheUnavailable, bump_or_raise


class Command(BaseCommand):
    help = (
        "Make every cached page stale now (e.g. after data was changed in the shell while "
        "the cache refused writes). Fails, and says so, if the cache cannot be written."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bump_or_raise()
        except PageCacheUnavailable as error:
            raise CommandError(
                f"The page cache could not be updated ({error}); try again when it is back."
            ) from error
        self.stdout.write("Every cached page is stale now: the next visitor gets a fresh one.")
