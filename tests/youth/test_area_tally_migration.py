"""A database from before county and country tallies: its closed surveys join them when it migrates."""

import datetime as dt

import pytest
from django.core.management import call_command

from tests.conftest import migrated_apps

BEFORE = [("youth", "0003_merge_0002_area_tally_0002_inbox")]
AFTER = [("youth", "0004_area_tallies_of_earlier_surveys")]


@pytest.mark.django_db(transaction=True)
def test_surveys_closed_before_the_area_tallies_join_their_county_and_the_country(municipalities):
    try:
        old = migrated_apps(BEFORE)
        Survey, Tally = old.get_model("youth", "Survey"), old.get_model("youth", "Tally")
        Municipality = old.get_model("core", "Municipality")
        drunk = old.get_model("questionnaires", "Indicator").objects.create(code="drunk-migrering")
        spring = {"starts_on": dt.date(2024, 2, 1), "ends_on": dt.date(2024, 3, 1)}
        for name, status, counts in (("Bergen", "closed", (3, 40)), ("Askøy", "closed", (5, 30)),
                                     ("Oslo", "closed", (7, 50)), ("Voss", "approved", (1, 10))):  # fmt: skip
            survey = Survey.objects.create(municipality=Municipality.objects.get(name=name), status=status, **spring)
            Tally.objects.create(survey=survey, indicator=drunk, gender="girl", grade=9,
                                 numerator=counts[0], denominator=counts[1])  # fmt: skip

        AreaTally = migrated_apps(AFTER).get_model("youth", "AreaTally")
        cells = AreaTally.objects.filter(indicator_id=drunk.pk, gender="girl", grade=9, year=2024)
        assert {c.area: (c.numerator, c.denominator) for c in cells} == {"46": (8, 70), "03": (7, 50), "NO": (15, 120)}
    finally:
        call_command("migrate", verbosity=0)
