"""The date poll: KS staff propose dates and ask speakers, speakers answer through a personal link, KS chooses."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import spoken
from trygg.core.models import Person
from trygg.events import poll
from trygg.events.demo import FIRST_DAY
from trygg.events.models import CandidateDate, Event, PollAnswer, PollParticipant

# The demo trip's candidate dates: a week before the planned first day, the day itself and a week after.
EARLIER, PLANNED, LATER = FIRST_DAY - dt.timedelta(days=7), FIRST_DAY, FIRST_DAY + dt.timedelta(days=7)
TWO_WEEKS_LATER = FIRST_DAY + dt.timedelta(days=14)


def english(client):
    """Messages are asserted in English, the source language, so the tests hold once bokmål is filled in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def poll_url(event, name="poll", **kwargs):
    return reverse(f"events:{name}", kwargs={"pk": event.pk, **kwargs})


def answer_url(participant):
    return reverse("events:poll_answer", args=[participant.token])


def participant(trip, name):
    return PollParticipant.objects.get(event=trip, person__name=name)


def candidate(trip, date):
    return CandidateDate.objects.get(event=trip, date=date)


def answers_of(participant):
    return dict(participant.answers.values_list("candidate__date", "answer"))


def answer_data(trip, replies):
    return {f"candidate_{candidate(trip, date).pk}": reply for date, reply in replies.items()}


# The rule ----------------------------------------------------------------------------------------------------


def tally(date, yes=0, if_need_be=0, no=0):
    return poll.Tally(CandidateDate(date=date), yes, if_need_be, no)


def test_best_date_maximises_who_can_come_even_with_a_no():
    tallies = [tally(EARLIER, yes=3, no=2), tally(PLANNED, yes=1, if_need_be=3, no=1)]
    assert poll.best_date(tallies).date == PLANNED


def test_best_date_ties_go_to_more_yes_then_the_earliest():
    more_yes = [tally(EARLIER, yes=1, if_need_be=2), tally(PLANNED, yes=2, if_need_be=1)]
    assert poll.best_date(more_yes).date == PLANNED
    all_equal = [tally(LATER, yes=2), tally(EARLIER, yes=2), tally(PLANNED, yes=2)]
    assert poll.best_date(all_equal).date == EARLIER


def test_no_suggestion_when_nobody_can_come():
    assert poll.best_date([]) is None
    assert poll.best_date([tally(EARLIER, no=2)]) is None


# KS staff's page ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_poll_suggests_23_march(trip, clients):
    # A week earlier: 3 can come (2 yes); the planned day: all 4 (3 yes); a week later: 3 (2 yes).
    response = english(clients["ks_adviser"]).get(poll_url(trip))
    assert response.status_code == 200
    results = response.context["results"]
    assert [(t.date, t.can_come, t.yes, t.no) for t in results.tallies] == [
        (EARLIER, 3, 2, 1),
        (PLANNED, 4, 3, 0),
        (LATER, 3, 2, 1),
    ]
    assert results.best.date == PLANNED
    assert f"Suggested date: {spoken(PLANNED)}. 4 of 4 can come" in response.content.decode()


@pytest.mark.django_db
def test_matrix_is_a_table_with_headers_and_text(trip, clients):
    html = english(clients["ks_admin"]).get(poll_url(trip)).content.decode()
    assert f'<th scope="col">{spoken(EARLIER)}</th>' in html
    row = re.search(r'<th scope="row">Christian Klement</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["No", "Yes", "If need be"]


@pytest.mark.django_db
def test_ks_page_shows_absolute_links_and_who_answered(trip, clients):
    newcomer = poll.add_participant(None, trip, Person.objects.get(name="Yngve Carlsson"))
    html = english(clients["ks_admin"]).get(poll_url(trip)).content.decode()
    assert f'value="http://testserver/arrangementer/svar/{newcomer.token}/" readonly' in html
    assert html.count("Not yet") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["municipal_contact", "partner"])
def test_only_ks_staff_manage_the_poll(trip, clients, role):
    klement = participant(trip, "Christian Klement")
    assert clients[role].get(poll_url(trip)).status_code == 403
    added = {"form": "candidate", "candidate-date": TWO_WEEKS_LATER.isoformat()}
    assert clients[role].post(poll_url(trip), added).status_code == 403
    for name, kwargs in [
        ("poll_choose", {"candidate_pk": candidate(trip, LATER).pk}),
        ("poll_remove_candidate", {"candidate_pk": candidate(trip, LATER).pk}),
        ("poll_send", {"participant_pk": klement.pk}),
        ("poll_remove_participant", {"participant_pk": klement.pk}),
    ]:
        assert clients[role].post(poll_url(trip, name, **kwargs)).status_code == 403
    assert trip.candidate_dates.count() == 3
    assert trip.poll_participants.count() == 4


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(trip, clients):
    response = clients["anonymous"].get(poll_url(trip))
    assert response.status_code == 302
    assert "/konto/logg-inn/" in response["Location"]


@pytest.mark.django_db
def test_actions_are_post_only(trip, clients):
    url = poll_url(trip, "poll_choose", candidate_pk=candidate(trip, LATER).pk)
    assert clients["ks_admin"].get(url).status_code == 405


@pytest.mark.django_db
def test_add_and_remove_a_candidate_date(trip, clients):
    client = english(clients["ks_adviser"])
    response = client.post(
        poll_url(trip),
        {"form": "candidate", "candidate-date": TWO_WEEKS_LATER.isoformat(), "candidate-note": "After Easter"},
    )
    assert response.status_code == 302
    added = candidate(trip, TWO_WEEKS_LATER)
    assert added.note == "After Easter"
    response = client.post(poll_url(trip, "poll_remove_candidate", candidate_pk=added.pk), follow=True)
    assert f"{spoken(TWO_WEEKS_LATER)} was removed." in response.content.decode()
    assert not trip.candidate_dates.filter(pk=added.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (lambda: timezone.localdate() - dt.timedelta(days=1), "has already passed. Choose a later date."),
        (lambda: PLANNED, f"{spoken(PLANNED)} is already a candidate date."),
        (lambda: "23.13.2027", "Enter a valid date."),
    ],
)
def test_bad_candidate_dates_are_explained(trip, clients, value, message):
    response = english(clients["ks_admin"]).post(poll_url(trip), {"form": "candidate", "candidate-date": value()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert trip.candidate_dates.count() == 3


@pytest.mark.django_db
def test_add_a_participant_from_the_register(trip, clients):
    yngve = Person.objects.get(name="Yngve Carlsson")
    client = english(clients["ks_admin"])
    response = client.post(poll_url(trip), {"form": "participant", "participant-person": yngve.pk}, follow=True)
    assert "Yngve Carlsson was added to the poll." in response.content.decode()
    added = participant(trip, "Yngve Carlsson")
    assert len(added.token) == 43
    # Already asked: no longer offered, and refused if posted anyway.
    response = client.post(poll_url(trip), {"form": "participant", "participant-person": yngve.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(poll.EventError, match="already asked"):
        poll.add_participant(None, trip, yngve)


@pytest.mark.django_db
def test_remove_a_participant_stops_their_link(trip, clients):
    klement = participant(trip, "Christian Klement")
    response = clients["ks_admin"].post(poll_url(trip, "poll_remove_participant", participant_pk=klement.pk))
    assert response.status_code == 302
    assert clients["anonymous"].get(answer_url(klement)).status_code == 404
    assert poll.results(trip).tallies[1].can_come == 3


@pytest.mark.django_db
def test_the_personal_link_is_sent_by_email(trip, clients, mailoutbox, django_capture_on_commit_callbacks):
    klement = participant(trip, "Christian Klement")
    Person.objects.filter(pk=klement.person_id).update(email="ck@example.dk")
    with django_capture_on_commit_callbacks(execute=True):
        response = english(clients["ks_admin"]).post(
            poll_url(trip, "poll_send", participant_pk=klement.pk), follow=True
        )
    assert "The personal link was sent to Christian Klement." in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["ck@example.dk"]
    assert trip.title in mail.subject
    assert f"http://testserver/arrangementer/svar/{klement.token}/" in mail.body
    assert spoken(PLANNED, "nb") in mail.body  # in bokmål, the site's language


@pytest.mark.django_db
def test_a_person_without_email_is_explained(trip, clients, mailoutbox):
    bjorgo = participant(trip, "Tore Bjørgo")
    response = english(clients["ks_admin"]).post(poll_url(trip, "poll_send", participant_pk=bjorgo.pk), follow=True)
    assert response.status_code == 200
    assert "Tore Bjørgo has no e-mail address." in response.content.decode()
    assert mailoutbox == []


@pytest.mark.django_db
def test_objects_of_another_event_are_not_found(trip, clients):
    other = Event.objects.create(title="Nettverksmøte", city="Oslo")
    stranger = poll.add_participant(None, other, Person.objects.get(name="Yngve Carlsson"))
    other_date = poll.add_candidate(None, other, LATER)
    client = clients["ks_admin"]
    assert client.post(poll_url(trip, "poll_send", participant_pk=stranger.pk)).status_code == 404
    assert client.post(poll_url(trip, "poll_remove_participant", participant_pk=stranger.pk)).status_code == 404
    assert client.post(poll_url(trip, "poll_choose", candidate_pk=other_date.pk)).status_code == 404
    assert client.post(poll_url(trip, "poll_remove_candidate", candidate_pk=other_date.pk)).status_code == 404


# Choosing the date -------------------------------------------------------------------------------------------


def first_item_local_start(event):
    return timezone.localtime(event.programme.order_by("start").first().start)


@pytest.mark.django_db
def test_choosing_a_date_moves_the_programme(trip, clients):
    before = first_item_local_start(trip)
    response = english(clients["ks_admin"]).post(
        poll_url(trip, "poll_choose", candidate_pk=candidate(trip, EARLIER).pk), follow=True
    )
    assert f"The date is decided: the event starts {spoken(EARLIER)}" in response.content.decode()
    trip.refresh_from_db()
    assert (trip.start_date, trip.end_date) == (EARLIER, EARLIER + dt.timedelta(days=1))
    after = first_item_local_start(trip)
    assert before.date() == PLANNED
    assert after.date() == EARLIER
    assert after.time() == before.time() == dt.time(11, 30)
    assert poll.decided_date(trip).date == EARLIER
    # Every date and answer is kept, so the decision can be explained afterwards.
    assert list(trip.candidate_dates.filter(chosen=False).values_list("date", flat=True)) == [PLANNED, LATER]
    assert PollAnswer.objects.filter(candidate__event=trip).count() == 12


@pytest.mark.django_db
def test_choosing_a_date_after_the_clocks_change_keeps_the_times_of_day(trip, clients):
    clients["ks_admin"].post(poll_url(trip, "poll_choose", candidate_pk=candidate(trip, LATER).pk))
    trip.refresh_from_db()
    assert first_item_local_start(trip).time() == dt.time(11, 30)


@pytest.mark.django_db
def test_a_date_in_the_past_cannot_be_chosen(trip, clients):
    past = CandidateDate.objects.create(event=trip, date=timezone.localdate() - dt.timedelta(days=2))
    response = english(clients["ks_admin"]).post(poll_url(trip, "poll_choose", candidate_pk=past.pk), follow=True)
    assert "has already passed" in response.content.decode()
    trip.refresh_from_db()
    assert trip.start_date == PLANNED


@pytest.mark.django_db
def test_adding_a_date_opens_a_decided_poll_again(trip):
    poll.choose_date(None, candidate(trip, PLANNED))
    assert poll.decided_date(trip) is not None
    poll.add_candidate(None, trip, TWO_WEEKS_LATER)
    assert poll.decided_date(trip) is None


# The speakers' answer page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_answer_page_works_without_an_account_and_shows_only_ones_own(trip, clients):
    klement = participant(trip, "Christian Klement")
    response = clients["anonymous"].get(answer_url(klement))
    assert response.status_code == 200
    html = response.content.decode()
    assert trip.title in html
    for date in (spoken(EARLIER, "nb"), spoken(PLANNED, "nb"), spoken(LATER, "nb")):
        assert f"<legend>{date}" in html
    for name in ("Jonas Markus Lindstad", "Maria Libak Pedersen", "Tore Bjørgo"):
        assert name not in html
    # Prefilled with the earlier answers: no, yes, if need be.
    checked = re.findall(r'<input type="radio" name="(candidate_\d+)" value="(\w+)"[^>]*checked', html)
    assert [value for _name, value in checked] == ["no", "yes", "if_need_be"]
    assert 'name="robots" content="noindex"' in html


@pytest.mark.django_db
def test_answering_through_the_link_changes_the_results(trip, clients):
    klement = participant(trip, "Christian Klement")
    client = english(clients["anonymous"])
    data = answer_data(trip, {EARLIER: "no", PLANNED: "no", LATER: "yes"})
    response = client.post(answer_url(klement), data, follow=True)
    assert "Thank you! Your answers are saved." in response.content.decode()
    assert answers_of(klement) == {EARLIER: "no", PLANNED: "no", LATER: "yes"}
    # The planned day: 3 can come (2 yes); a week later: 3 can come (3 yes), so it is now the suggestion.
    assert poll.results(trip).best.date == LATER
    klement.refresh_from_db()
    assert klement.responded_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("replies", "message"),
    [
        ({EARLIER: "maybe", PLANNED: "yes", LATER: "yes"}, "Answer yes, if need be or no for this date."),
        ({PLANNED: "yes", LATER: "yes"}, "Answer yes, if need be or no for this date."),
    ],
)
def test_bad_answers_are_explained(trip, clients, replies, message):
    klement = participant(trip, "Christian Klement")
    response = english(clients["anonymous"]).post(answer_url(klement), answer_data(trip, replies))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert answers_of(klement) == {EARLIER: "no", PLANNED: "yes", LATER: "if_need_be"}


@pytest.mark.django_db
def test_unknown_or_foreign_candidate_ids_are_explained(trip, clients):
    klement = participant(trip, "Christian Klement")
    other = Event.objects.create(title="Nettverksmøte", city="Oslo")
    foreign = poll.add_candidate(None, other, LATER)
    data = answer_data(trip, {EARLIER: "yes", PLANNED: "yes", LATER: "yes"})
    for extra in (f"candidate_{foreign.pk}", "candidate_999999", "candidate_x"):
        response = english(clients["anonymous"]).post(answer_url(klement), {**data, extra: "yes"})
        assert response.status_code == 200
        assert "One of the dates is no longer in the poll." in response.content.decode()
    assert answers_of(klement) == {EARLIER: "no", PLANNED: "yes", LATER: "if_need_be"}
    assert not PollAnswer.objects.filter(candidate=foreign).exists()


@pytest.mark.django_db
def test_the_service_refuses_foreign_dates_and_values(trip):
    klement = participant(trip, "Christian Klement")
    foreign = poll.add_candidate(None, Event.objects.create(title="Nettverksmøte", city="Oslo"), LATER)
    with pytest.raises(poll.EventError):
        poll.record_answers(klement, {foreign.pk: "yes"})
    with pytest.raises(poll.EventError):
        poll.record_answers(klement, {candidate(trip, EARLIER).pk: "perhaps"})


@pytest.mark.django_db
def test_a_token_only_opens_its_own_event(trip, clients):
    other = Event.objects.create(title="Nettverksmøte om ungdom", city="Oslo")
    poll.add_candidate(None, other, LATER)
    stranger = poll.add_participant(None, other, Person.objects.get(name="Christian Klement"))
    html = clients["anonymous"].get(answer_url(stranger)).content.decode()
    assert "Nettverksmøte om ungdom" in html
    assert trip.title not in html
    assert html.count("<fieldset") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["finnes-ikke", "a" * 43, "x" * 200, "%C3%A6%C3%B8"])
def test_unknown_links_get_a_friendly_404(trip, clients, token):
    response = english(clients["anonymous"]).get(f"/arrangementer/svar/{token}/")
    assert response.status_code == 404
    assert "We do not recognise this link" in response.content.decode()


@pytest.mark.django_db
def test_after_the_date_is_decided_the_page_says_so(trip, clients):
    klement = participant(trip, "Christian Klement")
    poll.choose_date(None, candidate(trip, PLANNED))
    client = english(clients["anonymous"])
    html = client.get(answer_url(klement)).content.decode()
    assert f"The date is decided: {spoken(PLANNED)}." in html
    assert "<fieldset" not in html
    client.post(answer_url(klement), answer_data(trip, {PLANNED: "no"}))
    assert answers_of(klement)[PLANNED] == "yes"
    with pytest.raises(poll.EventError, match="already decided"):
        poll.record_answers(klement, {candidate(trip, PLANNED).pk: "no"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ks_admin", "ks_adviser", "municipal_contact", "partner"])
def test_the_answer_page_opens_for_every_role(trip, clients, role):
    assert clients[role].get(answer_url(participant(trip, "Tore Bjørgo"))).status_code == 200
