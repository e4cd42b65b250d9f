"""Response targets: the clock arithmetic with pauses, what the page shows, and the reminders and escalations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.cases import clock, services, targets
from trygg.cases.models import Case, Pause, Urgency
from trygg.core.jobs.models import OutgoingMail

START = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(minutes=15)  # every moment below is a whole number of steps from START
steps = st.integers(min_value=0, max_value=400)


@st.composite
def pauses(draw):
    """Pauses that never overlap, the last possibly still running."""
    edges = sorted(set(draw(st.lists(steps, max_size=8))))
    pairs = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    intervals = [(START + a * STEP, START + b * STEP) for a, b in pairs]
    if intervals and draw(st.booleans()):
        intervals[-1] = (intervals[-1][0], None)
    return intervals


def _brute_force(start, end, intervals) -> dt.timedelta:
    """Step by step: the clock runs in each step outside every pause."""
    running, moment = dt.timedelta(), start
    while moment < end:
        if not any(low <= moment < (high or end) for low, high in intervals):
            running += STEP
        moment += STEP
    return running


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pauses(), steps, steps)
def test_the_clock_runs_only_outside_pauses(intervals, begin, length):
    start, end = START + begin * STEP, START + (begin + length) * STEP
    assert clock.active(start, end, intervals) == _brute_force(start, end, intervals)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pauses(), steps, steps)
def test_time_left_never_grows_and_stands_still_in_a_pause(intervals, first, later):
    target = dt.timedelta(days=3)
    a, b = sorted((START + first * STEP, START + later * STEP))
    left_a, left_b = clock.time_left(START, a, target, intervals), clock.time_left(START, b, target, intervals)
    assert left_b <= left_a
    if any(low <= a and (high is None or b <= high) for low, high in intervals):
        assert left_a == left_b


def test_examples():
    hour = dt.timedelta(hours=1)
    assert clock.active(START, START + 5 * hour, [(START + hour, START + 3 * hour)]) == 3 * hour
    assert clock.active(START, START + 5 * hour, [(START - hour, None)]) == dt.timedelta()
    assert clock.active(START + 5 * hour, START, []) == dt.timedelta()
    assert clock.time_left(START, START + 6 * hour, 4 * hour, [(START + hour, START + 2 * hour)]) == -hour


def _age(case, **times):
    """Move the case's arrival (and its pauses: (start, end) ages or None) back in time, as if it had waited."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(created_at=now - times.pop("created"))
    for pause, (start, end) in zip(case.pauses.order_by("started_at"), times.pop("pauses", []), strict=True):
        Pause.objects.filter(pk=pause.pk).update(started_at=now - start, ended_at=now - end if end else None)
    case.refresh_from_db()
    return now


HOUR = dt.timedelta(hours=1)


@pytest.mark.django_db
def test_a_wait_for_the_municipality_stops_the_clocks(users, clients, make_case):
    case = make_case(urgency=Urgency.ACUTE)  # first response within 4 hours
    services.set_status(users["ks_admin"], case, Case.Status.WAITING)
    now = _age(case, created=11 * HOUR, pauses=[(10 * HOUR, None)])  # the wait does not count
    first = targets.running(case, now)[0]
    assert (first.kind, first.left, first.paused) == (targets.FIRST_RESPONSE, 3 * HOUR, True)
    page = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert "Første svar: 3 timer igjen" in page and "Klokkene står stille" in page
    services.add_note(users["municipal_contact"], case, "Vi har mer informasjon nå.", "shared")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    now = _age(case, created=11 * HOUR, pauses=[(10 * HOUR, 4 * HOUR)])  # answered 4 hours ago
    first = targets.running(case, now)[0]
    assert (first.left, first.missed, first.paused) == (-HOUR, True, False)
    page = clients["ks_admin"].get(reverse("cases:index")).content.decode()
    assert "Første svar: 1 time på overtid" in page
    services.add_note(users["ks_admin"], case, "Vi ringer deg i dag.", "shared")
    case.refresh_from_db()
    assert [c.kind for c in targets.running(case, timezone.now())] == [targets.NEXT_UPDATE, targets.RESOLUTION]
    services.set_status(users["ks_admin"], case, Case.Status.CLOSED)
    case.refresh_from_db()
    assert targets.running(case, timezone.now()) == []


@pytest.mark.django_db
def test_reminder_then_escalation_each_once(users, make_case, mailoutbox, django_capture_on_commit_callbacks):
    case = make_case(urgency=Urgency.ACUTE)
    services.triage(users["ks_admin"], case, category="violence", urgency="acute", assignee=users["ks_adviser"])
    mailoutbox.clear()
    now = _age(case, created=2 * HOUR)  # half of 4 hours left: nothing
    with django_capture_on_commit_callbacks(execute=True):
        targets.remind_and_escalate(now)
    assert mailoutbox == []
    # 45 minutes left: a reminder to the assignee, once.
    with django_capture_on_commit_callbacks(execute=True):
        targets.remind_and_escalate(now + dt.timedelta(hours=1, minutes=15))
        targets.remind_and_escalate(now + dt.timedelta(hours=1, minutes=20))
    assert [m.to for m in mailoutbox] == [[users["ks_adviser"].email]]
    assert "Påminnelse" in mailoutbox[0].subject and "45 min" in mailoutbox[0].body
    # 15 minutes left: an escalation to the assignee and the leads, once.
    with django_capture_on_commit_callbacks(execute=True):
        targets.remind_and_escalate(now + dt.timedelta(hours=1, minutes=45))
        targets.remind_and_escalate(now + dt.timedelta(hours=3))
    assert len(mailoutbox) == 2
    assert set(mailoutbox[1].to) == {users["ks_adviser"].email, users["ks_admin"].email}
    assert "Eskalering" in mailoutbox[1].subject


@pytest.mark.django_db
def test_no_reminder_while_waiting_for_the_municipality(users, make_case, mailoutbox):
    case = make_case(urgency=Urgency.ACUTE)
    services.triage(users["ks_admin"], case, category="violence", urgency="acute", assignee=users["ks_adviser"])
    services.set_status(users["ks_admin"], case, Case.Status.WAITING)
    count = OutgoingMail.objects.count()
    targets.remind_and_escalate(timezone.now() + dt.timedelta(days=30))
    assert OutgoingMail.objects.count() == count
