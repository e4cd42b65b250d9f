from django.core.management.base import BaseCommand

from trygg.core.services import load_reference_data


class Command(BaseCommand):
    help = "Load or reload counties, police districts, municipalities, neighbours and former names from data/."

    def handle(self, *args, **options):
        result = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.municipalities} municipalities in {result.counties} counties, "
                f"{result.police_districts} police districts, {result.neighbour_pairs} neighbour pairs, "
                f"{result.aliases} former municipalities."
            )
        )
