from django.core.management import BaseCommand, CommandError

from iati import validation
from iati.building import Publisher, activities_xml, now_and_today, split
from pages.models import SiteSettings
from projects.models import Project
from regions.footnotes import footnoted_countries


class Command(BaseCommand):
    help = (
        "Build /iati/activities.xml as the site serves it, validate it against the IATI 2.03 "
        "schema, and list the published projects left out with what each is missing. Fails "
        "on a schema error."
    )

    def handle(self, *args, **options):
        publisher = Publisher.from_site(SiteSettings.objects.current())
        if publisher.missing():
            raise CommandError("No IATI file: " + "; ".join(publisher.missing()))
        now, today = now_and_today()
        complete, left_out = split(Project.objects.published().for_iati(), publisher, today)
        for project, gaps in left_out:
            self.stdout.write(f"left out: {project.slug}: {'; '.join(gaps)}")
        if not complete:
            raise CommandError("No published project has everything IATI requires.")
        errors = validation.errors(activities_xml(complete, publisher, now, footnoted_countries()))
        if errors:
            raise CommandError("The file does not validate: " + " | ".join(errors[:20]))
        self.stdout.write(
            f"{len(complete)} project(s) in the file, valid against the IATI 2.03 schema; "
            f"{len(left_out)} left out."
        )
