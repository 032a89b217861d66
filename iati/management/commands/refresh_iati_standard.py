from django.core.management import BaseCommand, CommandError

from iati import standard


class Command(BaseCommand):
    help = (
        "Replace the IATI 2.03 schemas and code lists kept in iati/standard/2.03/ with those "
        "of FOLDER (same layout: the .xsd files and LICENSE, codelists/*.xml and LICENSE), "
        "and rewrite MANIFEST.sha256. --check only compares the copies with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="A folder holding the IATI 2.03 files.")
        parser.add_argument(
            "--check", action="store_true", help="Compare the copies with MANIFEST.sha256."
        )

    def handle(self, *args, folder=None, check=False, **options):
        if check:
            found = standard.differences()
            if found:
                raise CommandError("The IATI copies differ: " + "; ".join(found))
            self.stdout.write("The IATI copies match MANIFEST.sha256.")
            return
        if not folder:
            raise CommandError("Name the folder to copy from (or use --check).")
        try:
            changed = standard.refresh(folder)
        except (standard.StandardError, OSError) as error:
            raise CommandError(str(error)) from error
        for name, _old, _new in changed:
            self.stdout.write(f"updated {name}")
        self.stdout.write(
            f"{len(changed)} file(s) changed. Record where they came from in "
            "iati/standard/2.03/SOURCE.md, run the tests in tests/iati, and commit."
        )
