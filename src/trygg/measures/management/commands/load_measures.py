from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trygg.core.audit import acting_as
from trygg.measures import starter


class Command(BaseCommand):
    help = (
        "Load the starter catalogue and the guide's chapters from data/measures/: create what is new, propose what "
        "changed for review (never overwrites editors' work; idempotent)."
    )

    def handle(self, *args, **options):
        try:
            with acting_as(None, "manage.py load_measures"):
                result = starter.load()
        except starter.StarterError as error:
            raise CommandError(str(error)) from error
        counts = {
            "created": result.created,
            "skipped": result.skipped,
            "chapters": result.chapters_created,
            "proposed": result.proposed,
        }
        self.stdout.write(
            self.style.SUCCESS(_("Measures: %(created)d created and published, %(skipped)d already there.") % counts)
        )
        self.stdout.write(self.style.SUCCESS(_("Guide chapters: %(chapters)d created.") % counts))
        self.stdout.write(
            self.style.SUCCESS(_("Corrections proposed for review: %(proposed)d (see /tiltak/rettelser/).") % counts)
        )
