"""The move of an event's support team into core keeps every member, in order, both ways."""

import pytest
from django.core.management import call_command

from tests.conftest import migrated_apps

BEFORE = [("events", "0007_delivery_follows_the_worker"), ("core", "0006_support_team")]
AFTER = [("events", "0008_support_team_in_core")]


@pytest.mark.django_db(transaction=True)
def test_the_support_team_moves_to_core_and_back(municipalities):
    try:
        old = migrated_apps(BEFORE)
        Event, Person = old.get_model("events", "Event"), old.get_model("core", "Person")
        Organisation, OldMember = old.get_model("core", "Organisation"), old.get_model("events", "SupportMember")
        trip = Event.objects.create(title="Studietur", city="København")
        Event.objects.create(title="Uten støtteteam", city="Oslo")
        kripos = Organisation.objects.create(name="Kripos (migrering)", kind="national_police")
        bjorgo = Person.objects.create(name="Tore Bjørgo (migrering)")
        OldMember.objects.create(event=trip, person=bjorgo, role="Professor", order=1)
        OldMember.objects.create(event=trip, organisation=kripos, order=0)

        new = migrated_apps(AFTER)
        Event, SupportMember = new.get_model("events", "Event"), new.get_model("core", "SupportMember")
        trip = Event.objects.get(title="Studietur")
        members = SupportMember.objects.filter(team_id=trip.team_id).order_by("order")
        assert [(str(m.organisation_id and "Kripos"), m.person_id, m.role) for m in members] == [
            ("Kripos", None, ""),
            ("None", bjorgo.pk, "Professor"),
        ]
        assert Event.objects.get(title="Uten støtteteam").team_id is None

        back = migrated_apps(BEFORE)
        OldMember = back.get_model("events", "SupportMember")
        assert sorted(OldMember.objects.values_list("role", "order")) == [("", 0), ("Professor", 1)]
    finally:
        call_command("migrate", verbosity=0)
