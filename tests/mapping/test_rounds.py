"""Rounds: opening for all, chosen or an event's municipalities, bad input, response rates, reminders, access."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import make_user
from tests.mapping.conftest import ANSWERS
from trygg.core.models import Municipality, Role
from trygg.mapping import rounds
from trygg.mapping.demo import ROUND_NAME
from trygg.mapping.models import OutlawGroup, Report, Round

pytestmark = pytest.mark.django_db

FUTURE = dt.timedelta(days=30)


def future():
    return timezone.now() + FUTURE


# Opening ---------------------------------------------------------------------------------------------------


def test_open_round_for_all_asks_357(users, questionnaire):
    round = rounds.open_round(users["ks_admin"], "2027", questionnaire, future())
    assert round.municipalities.count() == 357
    assert round.status == Round.Status.OPEN
    assert round.created_by == users["ks_admin"]


def test_open_round_for_chosen_names_with_old_2011_names(users, clients, questionnaire):
    response = clients["ks_admin"].post(
        reverse("mapping:round_create"),
        {
            "name": "Utvalgte",
            "questionnaire": questionnaire.pk,
            "deadline": future().strftime("%Y-%m-%dT%H:%M"),
            "scope": "chosen",
            "municipalities": "Bergen, Stokke\nTjøme",  # 2011 names: Stokke is in Sandefjord, Tjøme in Færder today
        },
    )
    round = Round.objects.get(name="Utvalgte")
    assert response.status_code == 302
    assert response.url == reverse("mapping:round", args=[round.pk])
    assert sorted(round.municipalities.values_list("name", flat=True)) == ["Bergen", "Færder", "Sandefjord"]


def test_open_round_for_event_invitees(users, questionnaire):
    call_command("load_demo", stdout=StringIO())
    trip = Round.objects.get(name=ROUND_NAME).event
    round = rounds.open_round(users["ks_admin"], "Før turen", questionnaire, future(), event=trip)
    assert round.event == trip
    invited = set(trip.invitations.values_list("municipality_id", flat=True))
    assert len(invited) == 17
    assert set(round.municipalities.values_list("pk", flat=True)) == invited


def test_open_round_for_event_in_browser_form(users, clients, questionnaire):
    call_command("load_demo", stdout=StringIO())
    trip = Round.objects.get(name=ROUND_NAME).event
    clients["ks_admin"].post(
        reverse("mapping:round_create"),
        {
            "name": "Studietur",
            "questionnaire": questionnaire.pk,
            "deadline": future().strftime("%Y-%m-%dT%H:%M"),
            "scope": "event",
            "event": trip.pk,
        },
    )
    assert Round.objects.get(name="Studietur").municipalities.count() == 17


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deadline": "2011-03-01T12:00"}, "The deadline must be in the future."),
        ({"name": "2011"}, "A round named “2011” already exists."),
        ({"scope": "chosen", "municipalities": "Bergen, Atlantis"}, "Unknown municipality: Atlantis"),
        ({"scope": "event"}, "Choose the event whose invited municipalities are asked."),
        ({"deadline": "9999-12-31T23:59"}, "Choose a date between the years 2000 and"),
        ({"name": "\u200b\u2060"}, "Write it with visible characters, not only spaces or invisible ones."),
    ],
)
def test_bad_input_gives_a_clear_message(clients, questionnaire, make_round, data, message):
    make_round("2011")
    clients["ks_admin"].cookies["django_language"] = "en"
    form = {
        "name": "Ny",
        "questionnaire": questionnaire.pk,
        "deadline": future().strftime("%Y-%m-%dT%H:%M"),
        "scope": "all",
        **data,
    }
    response = clients["ks_admin"].post(reverse("mapping:round_create"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Round.objects.count() == 1


def test_services_refuse_past_deadline_and_duplicate_name(users, questionnaire):
    """Messages in English, the source language, whatever language an earlier test left active."""
    admin = users["ks_admin"]
    with translation.override("en"), pytest.raises(rounds.RoundError, match="future"):
        rounds.open_round(admin, "Gammel", questionnaire, timezone.now() - dt.timedelta(minutes=1))
    rounds.open_round(admin, "2027", questionnaire, future(), municipalities=Municipality.objects.filter(name="Oslo"))
    with translation.override("en"), pytest.raises(rounds.RoundError, match="already exists"):
        rounds.open_round(admin, " 2027 ", questionnaire, future())
    with translation.override("en"), pytest.raises(rounds.RoundError, match="at least one"):
        rounds.open_round(admin, "Tom", questionnaire, future(), municipalities=[])


# Response rates --------------------------------------------------------------------------------------------


def test_response_rates_per_county_count_submitted_reports_only(make_round):
    round = make_round()  # 8 answered of 10 asked; Hamar and Ringsaker (Innlandet) not
    draft = Report.objects.create(round=round, status=Report.Status.DRAFT)
    draft.municipalities.add(Municipality.objects.get(name="Hamar"))
    rates = rounds.response_rates(round)
    assert (rates.asked, rates.answered) == (10, 8)
    assert rates.rate == pytest.approx(0.8)
    by_county = {rate.county.name: (rate.asked, rate.answered) for rate in rates.counties}
    assert by_county["Innlandet"] == (2, 0)
    assert by_county["Vestland"] == (1, 1)
    assert by_county["Østfold"] == (2, 2)
    assert sum(asked for asked, _ in by_county.values()) == 10


def test_a_joint_report_answers_for_every_municipality_it_covers(make_round):
    round = make_round(answers=[], asked=("Hamar", "Ringsaker", "Løten"))
    joint = Report.objects.create(round=round, status=Report.Status.SUBMITTED, submitted_at=timezone.now())
    joint.municipalities.set(Municipality.objects.filter(name__in=["Hamar", "Ringsaker"]))
    rates = rounds.response_rates(round)
    assert (rates.asked, rates.answered) == (3, 2)
    states = {s.municipality.name: s.state for s in rounds.municipality_statuses(round)}
    assert states == {"Hamar": "answered", "Løten": "not_started", "Ringsaker": "answered"}


# Reminders and closing -------------------------------------------------------------------------------------


def test_reminders_go_only_to_contacts_of_unanswered_municipalities(
    users, make_round, mailoutbox, django_capture_on_commit_callbacks
):
    round = make_round(asked=("Hamar", "Ringsaker"))
    hamar = make_user(Role.MUNICIPAL_CONTACT, username="hamar")
    hamar.municipalities.set(Municipality.objects.filter(name__in=["Hamar", "Ringsaker"]))
    inactive = make_user(Role.MUNICIPAL_CONTACT, username="gone", is_active=False)
    inactive.municipalities.set(Municipality.objects.filter(name="Ringsaker"))
    adviser = users["ks_adviser"]
    adviser.municipalities.set(Municipality.objects.filter(name="Hamar"))  # not a contact: no e-mail
    # users["municipal_contact"] acts for Bergen and Drammen, which have answered.
    with django_capture_on_commit_callbacks(execute=True):
        sent = rounds.send_reminders(users["ks_admin"], round)
    assert sent == 1
    assert [m.to for m in mailoutbox] == [[hamar.email]]
    assert "Hamar, Ringsaker" in mailoutbox[0].body
    assert round.name in mailoutbox[0].subject


def test_remind_and_close_over_http(users, clients, make_round, mailoutbox, django_capture_on_commit_callbacks):
    round = make_round()
    Municipality.objects.get(name="Hamar").contacts.add(make_user(Role.MUNICIPAL_CONTACT, username="hamar"))
    url = reverse("mapping:round_remind", args=[round.pk])
    assert clients["municipal_contact"].post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["ks_adviser"].post(url).status_code == 302
    assert len(mailoutbox) == 1
    close = reverse("mapping:round_close", args=[round.pk])
    assert clients["partner"].post(close).status_code == 403
    assert clients["ks_admin"].get(close).status_code == 405
    assert clients["ks_admin"].post(close).status_code == 302
    round.refresh_from_db()
    assert round.status == Round.Status.CLOSED
    with pytest.raises(rounds.RoundError):
        rounds.close_round(users["ks_admin"], round)
    with pytest.raises(rounds.RoundError):
        rounds.send_reminders(users["ks_admin"], round)


# Who sees what ---------------------------------------------------------------------------------------------


def test_contacts_see_only_rounds_asking_their_municipalities(users, clients, make_round, questionnaire):
    theirs = make_round("2011")
    other = rounds.open_round(
        users["ks_admin"], "Nord", questionnaire, future(), municipalities=Municipality.objects.filter(name="Bodø")
    )
    assert list(rounds.rounds_for(users["municipal_contact"])) == [theirs]
    assert set(rounds.rounds_for(users["partner"])) == {theirs, other}
    assert set(rounds.rounds_for(users["ks_adviser"])) == {theirs, other}
    outsider = make_user(Role.PARTNER, username="no_area")
    assert list(rounds.rounds_for(outsider)) == []

    contact = clients["municipal_contact"]
    assert contact.get(reverse("mapping:round", args=[other.pk])).status_code == 404
    page = contact.get(reverse("mapping:round", args=[theirs.pk]))
    assert page.status_code == 200
    assert [s.municipality.name for s in page.context["statuses"]] == ["Bergen", "Drammen"]
    index = contact.get(reverse("mapping:index"))
    assert [e["round"] for e in index.context["entries"]] == [theirs]
    assert clients["anonymous"].get(reverse("mapping:index")).status_code == 302


def test_index_shows_contact_status_and_start_form(users, clients, make_round):
    round = make_round(answers=ANSWERS[:1])  # only Oslo has answered
    round.municipalities.add(*Municipality.objects.filter(name__in=["Bergen", "Drammen"]))
    draft = Report.objects.create(round=round, status=Report.Status.DRAFT)
    draft.municipalities.add(Municipality.objects.get(name="Bergen"))
    response = clients["municipal_contact"].get(reverse("mapping:index"))
    states = {s.municipality.name: s.state for s in response.context["entries"][0]["statuses"]}
    assert states == {"Bergen": "draft", "Drammen": "not_started"}


def test_ks_staff_see_response_rates_and_new_round_link(clients, make_round):
    round = make_round()
    response = clients["ks_adviser"].get(reverse("mapping:index"))
    assert response.context["entries"][0]["rates"].answered == 8
    assert reverse("mapping:round_create").encode() in response.content
    detail = clients["partner"].get(reverse("mapping:round", args=[round.pk]))
    assert len(detail.context["statuses"]) == 10
    assert reverse("mapping:round_close", args=[round.pk]).encode() not in detail.content
    assert clients["partner"].get(reverse("mapping:round_create")).status_code == 403


def test_dashboard_panel(users, clients, make_round):
    make_round()
    contact = clients["municipal_contact"].get(reverse("core:dashboard"))
    panel = next(p for p in contact.context["panels"] if p["template"] == "mapping/_dashboard.html")
    assert {s.municipality.name: s.state for s in panel["entries"][0]["statuses"]} == {
        "Bergen": "answered",
        "Drammen": "answered",
    }
    staff = clients["ks_admin"].get(reverse("core:dashboard"))
    panel = next(p for p in staff.context["panels"] if p["template"] == "mapping/_dashboard.html")
    assert panel["entries"][0]["rates"].percent == 80


# Demo data -------------------------------------------------------------------------------------------------


def test_demo_load_is_idempotent_and_fictional(municipalities):
    call_command("load_demo", stdout=StringIO())
    counts = (Round.objects.count(), Report.objects.count(), OutlawGroup.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Round.objects.count(), Report.objects.count(), OutlawGroup.objects.count()) == counts
    assert not OutlawGroup.objects.filter(is_fictional=False).exists()
    assert set(OutlawGroup.objects.values_list("name", flat=True)) >= {
        "Demo MC Nord",
        "Demo MC Sør",
        "Demo Riders Vest",
        "Demo Crew Øst",
    }
    assert OutlawGroup.objects.get(name="Demo Crew Øst").is_support_club
    round = Round.objects.get(name=ROUND_NAME)
    assert round.is_demo and round.questionnaire.version == 1
    assert round.municipalities.count() == 17
    assert round.deadline.date() < round.event.start_date
    states = [s.state for s in rounds.municipality_statuses(round)]
    assert states.count("not_started") == 3
    assert states.count("draft") == 1
    assert states.count("answered") == 13


def test_the_worker_reminds_a_week_before_the_deadline_once(
    users, make_round, mailoutbox, django_capture_on_commit_callbacks
):
    round = make_round()  # deadline in ten days; Hamar and Ringsaker have not answered
    make_user(Role.MUNICIPAL_CONTACT, username="hamar").municipalities.set(Municipality.objects.filter(name="Hamar"))
    now = timezone.now()
    assert rounds.remind_before_deadline(now) == 0  # too early
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.remind_before_deadline(now + dt.timedelta(days=4)) == 1
        assert rounds.remind_before_deadline(now + dt.timedelta(days=5)) == 0  # once
    [reminder] = mailoutbox
    assert "Hamar" in reminder.body and round.name in reminder.subject
    round.deadline += dt.timedelta(days=7)  # a moved deadline reminds again
    round.save()
    assert rounds.remind_before_deadline(now + dt.timedelta(days=11)) == 1
