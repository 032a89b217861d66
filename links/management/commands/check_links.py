"""Check the links in the content: `manage.py check_links` (e.g. nightly from cron)."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ...external import CheckResult, HostRateLimiter, check_url
from ...models import Link, LinkStatus
from ...scanning import check_internal, scan_all

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Find the links in every text and URL field, check the links to this site, then check "
        "up to --max-links external links (never checked first, then the longest unchecked) "
        "with HEAD, or GET where HEAD is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-links",
            type=int,
            default=settings.LINK_CHECK_MAX_LINKS,
            help="External links checked in this run (default %(default)s).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.LINK_CHECK_TIMEOUT,
            help="Seconds to wait for a server (default %(default)s).",
        )
        parser.add_argument(
            "--per-host-interval",
            type=float,
            default=settings.LINK_CHECK_HOST_INTERVAL,
            help="Least seconds between two requests to one host (default %(default)s).",
        )
        parser.add_argument("--internal-only", action="store_true", help="Check no external link.")

    def handle(self, *args, max_links, timeout, per_host_interval, internal_only, **options):
        scanned = scan_all()
        internal = list(Link.objects.internal().in_use())
        for link in internal:
            check_internal(link)
        broken_internal = sum(link.status == LinkStatus.BROKEN for link in internal)
        self.stdout.write(
            f"{scanned} objects scanned; {len(internal)} links to this site, "
            f"{broken_internal} broken."
        )
        if internal_only:
            return
        limiter = HostRateLimiter(per_host_interval)
        counts = {LinkStatus.OK: 0, LinkStatus.BROKEN: 0, LinkStatus.SKIPPED: 0}
        for link in Link.objects.due_for_check()[: max(max_links, 0)]:
            try:
                result = check_url(link.url, timeout, limiter)
            except Exception:
                # One link the checker cannot handle must not stop the run for every link
                # after it; the detail goes to the log, editors see only the category.
                logger.exception("Checking link %s failed", link.pk)
                result = CheckResult(None, message=_("Could not be checked."))
            status = {True: LinkStatus.OK, False: LinkStatus.BROKEN, None: LinkStatus.SKIPPED}[
                result.ok
            ]
            counts[status] += 1
            link.status = status
            link.status_code = result.status_code
            link.message = result.message
            link.redirects_to = result.redirects_to
            link.last_checked = timezone.now()
            link.save(
                update_fields=["status", "status_code", "message", "redirects_to", "last_checked"]
            )
            if options["verbosity"] > 1:
                self.stdout.write(f"{status.label}: {link.url} ({result.message})")
        self.stdout.write(
            f"{sum(counts.values())} external links checked: {counts[LinkStatus.OK]} work, "
            f"{counts[LinkStatus.BROKEN]} broken, {counts[LinkStatus.SKIPPED]} not checked."
        )
