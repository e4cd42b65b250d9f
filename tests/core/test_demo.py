import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core import demo as core_demo
from trygg.core.audit import acting_as
from trygg.core.models import AuditEntry, Municipality, Organisation, OutgoingMail, Person, User
from trygg.events import demo as events_demo
from trygg.events.demo import trip_first_day
from trygg.events.models import Event
from trygg.mapping import demo as mapping_demo
from trygg.mapping.models import Report, Round

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Municipality.objects.count(),
        Organisation.objects.count(),
        Person.objects.count(),
        sorted(User.objects.values_list("username", "role")),
        sorted(User.objects.values_list("password", flat=True)),
    )


def test_demo_loads_one_user_per_role_and_is_idempotent(municipalities, capsys):
    call_command("load_demo")
    first = snapshot()
    audit_entries = AuditEntry.objects.count()
    call_command("load_demo")
    assert snapshot() == first
    assert AuditEntry.objects.count() == audit_entries
    assert {role for _, role in first[3]} == {"ks_admin", "ks_adviser", "municipal_contact", "partner"}
    assert Person.objects.filter(name="Tore Bjørgo", organisation__short_name="PHS").exists()
    out = capsys.readouterr().out
    assert "admin" in out and "kontakt" in out


def test_demo_two_factor_code_command(municipalities, capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("totp_code", "admin")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()


@pytest.mark.parametrize(
    "today", [dt.date(2026, 11, 30), dt.date(2027, 1, 1), dt.date(2027, 3, 24), dt.date(2030, 12, 31)]
)
def test_the_trip_lies_in_the_next_march_far_enough_ahead_on_any_day(today):
    first_day = trip_first_day(today)
    assert first_day.weekday() == 1 and first_day.month == 3 and 17 <= first_day.day <= 23
    assert dt.timedelta(weeks=12) <= first_day - today <= dt.timedelta(weeks=12 + 53)


def test_the_demo_tells_one_story_in_time(municipalities, users, capsys):
    """Invited four weeks ago, the round opened since and answered since, deadlines ahead, the trip after them."""
    with acting_as(None, "test"):
        core_demo.load(), events_demo.load(), mapping_demo.load()
    now = timezone.now()
    trip = Event.objects.get(title=events_demo.TITLE)
    round = Round.objects.get(name=mapping_demo.ROUND_NAME)
    assert str(trip.start_date.year) in round.name and "2011" not in round.name
    invitations = list(trip.invitations.all())
    assert all(i.invited_at < round.opens_at < now for i in invitations)
    sent = Report.objects.filter(round=round, status=Report.Status.SUBMITTED).values_list("submitted_at", flat=True)
    assert sent and all(round.opens_at < moment < now for moment in sent)
    assert (
        now
        < trip.registration_deadline
        < round.deadline
        < timezone.make_aware(dt.datetime.combine(trip.start_date, dt.time()))
    )
    registered = {i for i in invitations if i.municipality.event_registrations.filter(event=trip).exists()}
    assert registered and all(i.opened_at and i.invited_at < i.opened_at < now for i in registered)
    page = logged_in_client(users["ks_admin"]).get(f"/arrangementer/{trip.pk}/invitasjoner/").content.decode()
    assert "Ikke sendt" not in page and "Ingen kontakt å sende til" not in page


def test_loading_the_demo_prints_the_logins_not_the_mail(municipalities, capsys, settings):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 8 and "Subject:" not in out
    # The invitations and confirmations wait in the outbox; the worker writes them to var/mail/ under make run.
    assert OutgoingMail.objects.filter(subject__contains="København").exists()
    assert settings.EMAIL_FILE_PATH == settings.VAR_DIR / "mail"
