import signal

from django.core.management import BaseCommand, CommandParser

from scheduler.service import build_scheduler, run_once


class Command(BaseCommand):
    help = (
        "Run the scheduler: publish_scheduled every minute, until stopped (Ctrl-C or "
        "SIGTERM). `make run` and `make serve` start it beside the web server; in "
        "production it is a service of its own (docs/operators/scheduler.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run every job once and exit (for cron)."
        )

    def handle(self, *args: object, once: bool = False, **options: object) -> None:
        if once:
            run_once()
            return
        scheduler = build_scheduler()

        def stop(signum: int, frame: object) -> None:
            # Let a run in progress finish its transaction, then leave.
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write("Scheduler started: publish_scheduled every minute.")
        self.stdout.flush()  # shown at once, also when the output is a pipe
        try:
            scheduler.start()
        except KeyboardInterrupt:
            scheduler.shutdown(wait=True)
        self.stdout.write("Scheduler stopped.")
