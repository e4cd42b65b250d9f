"""Group work at the demo study trip: each group records how well measures carry over, and sees the others' verdicts."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from tests.conftest import IDENTITY_NUMBER_DISGUISES, logged_in_client, make_user
from tests.events import conftest as events_fixtures
from trygg.core.models import Role
from trygg.events import grouping
from trygg.measures import feedback
from trygg.measures.catalogue import MeasureError
from trygg.measures.models import GroupVerdict, Measure

pytestmark = pytest.mark.django_db

trip = events_fixtures.trip  # the demo study trip, with groups made below
FNR = "01019012480"  # a valid, made-up fødselsnummer (as in the mapping tests)


@pytest.fixture
def groups(trip, users):
    grouping.allocate_groups(users["ks_admin"], trip)
    return grouping.current_groups(trip)


@pytest.fixture
def contact(groups):
    """A municipal contact for the first municipality of group 2."""
    user = make_user(Role.MUNICIPAL_CONTACT, username="contact_group_2")
    user.municipalities.set([groups.groups[1].members[0].municipality])
    return user


@pytest.fixture
def measure(make_measure):
    return make_measure()


def url(event) -> str:
    return reverse("measures:group_verdicts", args=[event.pk])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_data(measure, group=2, **extra) -> dict:
    return {
        "group": group,
        "measure": measure.key,
        "transferability": "medium",
        "reasons": "Trenger politiet.",
        **extra,
    }


# The service -------------------------------------------------------------------------------------------------


def test_a_contact_records_for_their_own_group_only(trip, contact, measure):
    assert feedback.recordable_groups(contact, trip) == [2]
    assert feedback.may_record(contact, trip, 2) and not feedback.may_record(contact, trip, 1)
    verdict = feedback.record(contact, trip, 2, measure, "medium", "  Krever samarbeid med politiet.  ")
    assert (verdict.group, verdict.transferability, verdict.reasons) == (2, "medium", "Krever samarbeid med politiet.")
    assert verdict.created_by == contact
    with pytest.raises(PermissionDenied):
        feedback.record(contact, trip, 1, measure, "high", "Vi vil gjerne.")
    assert GroupVerdict.objects.filter(group=1).count() == 0


def test_ks_staff_record_for_any_group(trip, groups, users, measure):
    adviser = users["ks_adviser"]
    assert feedback.recordable_groups(adviser, trip) == groups.numbers
    for number in (1, groups.numbers[-1]):
        feedback.record(adviser, trip, number, measure, "high", "Norsk lov gir hjemmel.")
    assert sorted(measure.group_verdicts.values_list("group", flat=True)) == [1, groups.numbers[-1]]


def test_others_record_for_no_group(trip, groups, users, measures_partner):
    for user in (users["partner"], measures_partner, make_user(Role.MUNICIPAL_CONTACT, username="elsewhere")):
        assert feedback.recordable_groups(user, trip) == []


def test_bad_input_is_refused_with_messages(trip, groups, users, measure, make_measure):
    adviser = users["ks_adviser"]
    draft = make_measure(status="draft", name="Utkast")
    with translation.override("en"):  # service messages follow the thread's language
        with pytest.raises(MeasureError, match="no group 99"):
            feedback.record(adviser, trip, 99, measure, "high", "Hvorfor ikke.")
        with pytest.raises(MeasureError) as error:
            feedback.record(adviser, trip, 1, draft, "splendid", "   ")
        assert len(error.value.messages) == 3  # not published, off the scale, no reasons
        with pytest.raises(MeasureError, match="national identity number"):
            feedback.record(adviser, trip, 1, measure, "low", f"Lederen har fnr {FNR}.")
    assert not GroupVerdict.objects.exists()


def test_a_group_that_speaks_again_replaces_its_verdict_and_the_summary_counts_groups(
    trip, groups, contact, users, measure
):
    feedback.record(contact, trip, 2, measure, "low", "Usikkert.")
    feedback.record(contact, trip, 2, measure, "high", "Etter diskusjonen: ja.")
    feedback.record(users["ks_admin"], trip, 1, measure, "high", "Godt egnet.")
    feedback.record(users["ks_admin"], trip, 3, measure, "unknown", "Vet ikke.")
    assert measure.group_verdicts.count() == 3
    assert measure.group_verdicts.get(group=2).reasons == "Etter diskusjonen: ja."
    assert feedback.summary(measure) == {"high": 2, "medium": 0, "low": 0, "unknown": 1}
    body = english(logged_in_client(None)).get(f"/api/measures/{measure.key}").json()
    assert body["group_summary"] == {"high": 2, "medium": 0, "low": 0, "unknown": 1}
    assert {(v["group"], v["reasons"]) for v in body["group_verdicts"]} >= {(2, "Etter diskusjonen: ja.")}


# The page ----------------------------------------------------------------------------------------------------


def test_a_contact_records_for_the_group_and_sees_what_groups_said(trip, contact, measure):
    client = english(logged_in_client(contact))
    page = client.get(url(trip))
    assert page.status_code == 200
    assert [n for n, _label in page.context["form"].fields["group"].widget.choices] == [2]  # only their group
    # Every published measure (the demo catalogue's and this test's), and no draft.
    keys = [str(key) for key, _name in page.context["form"].fields["measure"].choices][1:]
    assert measure.key in keys and len(keys) == Measure.objects.filter(status="published").count()
    response = client.post(url(trip), post_data(measure), follow=True)
    assert response.redirect_chain[-1][0] == f"{url(trip)}?group=2"
    assert GroupVerdict.objects.get(event=trip, group=2, measure=measure).reasons == "Trenger politiet."
    content = response.content.decode()
    assert "Trenger politiet." in content and measure.name in content and measure.get_absolute_url() in content


def test_a_contact_is_refused_for_another_group_and_keeps_the_text(trip, contact, measure):
    client = english(logged_in_client(contact))
    response = client.post(url(trip), post_data(measure, group=1, reasons="Vår egen tekst."))
    assert response.status_code == 403
    assert "Vår egen tekst." in response.content.decode()
    assert "only for the group your municipality sits in" in response.content.decode()
    assert not GroupVerdict.objects.exists()


def test_the_reasons_refuse_an_identity_number_in_every_disguise(trip, groups, users, measure):
    client = english(logged_in_client(users["ks_admin"]))
    for disguise in IDENTITY_NUMBER_DISGUISES:
        response = client.post(url(trip), post_data(measure, reasons=f"Lederen har {disguise}."))
        assert "national identity number" in response.content.decode(), disguise
    assert not GroupVerdict.objects.exists()


def test_an_unknown_group_or_an_identity_number_gives_a_message(trip, groups, users, measure):
    client = english(logged_in_client(users["ks_admin"]))
    response = client.post(url(trip), post_data(measure, group=99))
    assert response.status_code == 200
    assert "There is no group 99 at this event." in response.content.decode()
    response = client.post(url(trip), post_data(measure, reasons=f"Lederen har fnr {FNR}."))
    assert response.status_code == 200
    assert "national identity number" in response.content.decode()
    assert FNR in response.content.decode()  # the typed text is kept for the user to correct
    response = client.post(url(trip), post_data(measure, reasons="Lederen har fnr 15.05.90 10023."))
    assert "national identity number" in response.content.decode()
    assert "about measures, never about persons" in response.content.decode()
    response = client.post(url(trip), {**post_data(measure), "measure": "forged-key", "transferability": "splendid"})
    assert {"measure", "transferability"} <= set(response.context["form"].errors)
    assert not GroupVerdict.objects.exists()


def test_who_may_open_the_page(trip, groups, users, contact, measures_partner, measure):
    feedback.record(users["ks_admin"], trip, 1, measure, "high", "Godt egnet.")
    assert logged_in_client(None).get(url(trip)).status_code == 302  # to the login page
    for user in (users["ks_admin"], users["ks_adviser"], contact):
        page = logged_in_client(user).get(url(trip))
        assert page.status_code == 200 and page.context["form"] is not None
    page = logged_in_client(measures_partner).get(url(trip))
    assert page.status_code == 200 and page.context["form"] is None  # reads the verdicts, records nothing
    assert "Godt egnet." in page.content.decode()
    assert logged_in_client(measures_partner).post(url(trip), post_data(measure)).status_code == 403
    stranger = make_user(Role.MUNICIPAL_CONTACT, username="elsewhere")
    assert logged_in_client(stranger).get(url(trip)).status_code == 403
    assert logged_in_client(users["partner"]).get(url(trip)).status_code == 403
    missing = reverse("measures:group_verdicts", args=[trip.pk + 1000])
    assert logged_in_client(users["ks_admin"]).get(missing).status_code == 404


def test_verdicts_on_a_withdrawn_measure_are_for_the_editors_only(trip, groups, users, contact, measure, editor):
    from trygg.measures import catalogue

    feedback.record(contact, trip, 2, measure, "low", "Passer ikke hos oss.")
    catalogue.change_status(editor, measure, "draft", reason="omarbeides", revision=measure.revision)
    assert "Passer ikke hos oss." not in logged_in_client(contact).get(url(trip)).content.decode()
    assert "Passer ikke hos oss." in logged_in_client(users["ks_admin"]).get(url(trip)).content.decode()
