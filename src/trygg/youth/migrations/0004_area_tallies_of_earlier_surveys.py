"""Surveys closed before county and country tallies existed (0002_area_tally) join them now, as closing does since:
without this, a database from before shows no county or national comparison for its earlier surveys."""

from collections import defaultdict

from django.db import migrations

COUNTRY = "NO"  # AreaTally.COUNTRY


def publish_closed_surveys(apps, schema_editor):
    AreaTally = apps.get_model("youth", "AreaTally")
    Tally = apps.get_model("youth", "Tally")
    if AreaTally.objects.exists():
        return  # made by closing or bulk loading since 0002: every closed survey is in them already
    counts = defaultdict(lambda: [0, 0])
    rows = Tally.objects.filter(survey__status="closed").values_list(
        "survey__starts_on", "survey__municipality__county__number", "indicator_id", "gender", "grade",
        "numerator", "denominator",
    )  # fmt: skip
    for starts_on, county, indicator, gender, grade, numerator, denominator in rows.iterator():
        for area in (county, COUNTRY):
            cell = counts[(starts_on.year, area, indicator, gender, grade)]
            cell[0] += numerator
            cell[1] += denominator
    AreaTally.objects.bulk_create(
        (
            AreaTally(year=year, area=area, indicator_id=indicator, gender=gender, grade=grade,
                      numerator=numerator, denominator=denominator)  # fmt: skip
            for (year, area, indicator, gender, grade), (numerator, denominator) in counts.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("youth", "0003_merge_0002_area_tally_0002_inbox"), ("core", "0001_initial")]

    operations = [migrations.RunPython(publish_closed_surveys, migrations.RunPython.noop)]
