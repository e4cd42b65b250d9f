"""Concurrent registrations never oversell a quota or the venue, as pretix's concurrency tests prove it.

Each scenario runs twice, on a fresh event each time: with ``EVENTS_REGISTRATION_LOCKING`` off, to show the race
is real (more delegates confirmed than there are places), then with it on, to show that ``_lock_capacity`` stops
it. ``_has_room`` is wrapped to pause after counting, so every unlocked thread counts before any other commits: a
wide, repeatable race window that the lock must close.
"""

import threading
import time

import pytest
from django.db import OperationalError, connection

from tests.conftest import make_user
from trygg.core.models import Municipality, Role
from trygg.events import services
from trygg.events.models import Event, Invitation, InvitationTier, Registration

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite serialises writers; the race and the lock are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]

RACE_WINDOW = 0.03  # seconds between counting and inserting; 12 serialised registrations stay far below 3 s
ATTEMPTS = 12


@pytest.fixture
def race(monkeypatch):
    """Widen the gap between counting and inserting, where two unlocked registrations both see a free place."""
    has_room = services._has_room

    def slow_has_room(event, invitation):
        room = has_room(event, invitation)
        time.sleep(RACE_WINDOW)
        return room

    monkeypatch.setattr(services, "_has_room", slow_has_room)


@pytest.fixture
def actor(municipalities):
    return make_user(Role.KS_ADVISER)


def make_event(municipalities, quota: int, capacity: int | None) -> Event:
    event = Event.objects.create(title="Kappløp", city="Oslo", status=Event.Status.REGISTRATION_OPEN, capacity=capacity)
    tier = InvitationTier.objects.create(event=event, name="Alle", quota=quota)
    for municipality in municipalities:
        Invitation.objects.create(event=event, municipality=municipality, tier=tier)
    return event


def register_all_at_once(actor, event: Event, municipalities: list[Municipality]) -> list:
    """Register one delegate per entry of ``municipalities``, each in its own thread and database connection.

    Returns each attempt's outcome: the registration's status, or the exception it raised.
    """
    barrier = threading.Barrier(len(municipalities))
    outcomes = [None] * len(municipalities)

    def attempt(index: int, municipality: Municipality) -> None:
        try:
            connection.ensure_connection()  # connect before the start, so all threads count together
            barrier.wait(timeout=10)
            delegate = {"name": f"Delegat {index}", "email": f"delegat.{index}@example.org"}
            outcomes[index] = services.register(actor, event, municipality, delegate).status
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(index, municipality))
        for index, municipality in enumerate(municipalities)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def assert_only_busy_errors(outcomes: list) -> int:
    """No error but the clear "busy, try again" (a lock timeout); returns how many attempts got it."""
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    unexpected = [
        e for e in errors if not (isinstance(e, services.EventError) and isinstance(e.__cause__, OperationalError))
    ]
    assert unexpected == []
    return len(errors)


def count(event: Event, status: str) -> int:
    return Registration.objects.filter(event=event, status=status).count()


def test_municipality_quota_is_never_oversold(settings, race, actor, municipalities):
    oslo = municipalities.get(name="Oslo")

    settings.EVENTS_REGISTRATION_LOCKING = False
    unlocked = make_event([oslo], quota=2, capacity=None)
    assert_only_busy_errors(register_all_at_once(actor, unlocked, [oslo] * ATTEMPTS))
    assert count(unlocked, Registration.Status.CONFIRMED) > 2, "without the lock, the race should oversell"

    settings.EVENTS_REGISTRATION_LOCKING = True
    event = make_event([oslo], quota=2, capacity=None)
    outcomes = register_all_at_once(actor, event, [oslo] * ATTEMPTS)
    busy = assert_only_busy_errors(outcomes)
    assert count(event, Registration.Status.CONFIRMED) == outcomes.count(Registration.Status.CONFIRMED) == 2
    assert count(event, Registration.Status.WAITLISTED) == ATTEMPTS - 2 - busy


def test_venue_capacity_is_never_oversold(settings, race, actor, municipalities):
    """Several municipalities, each well within its quota, compete for the venue's last places."""
    # Oslo, Bergen, Trondheim, Stavanger
    invited = list(municipalities.filter(number__in=["0301", "4601", "5001", "1103"]))
    delegations = invited * (ATTEMPTS // 4)

    settings.EVENTS_REGISTRATION_LOCKING = False
    unlocked = make_event(invited, quota=5, capacity=3)
    assert_only_busy_errors(register_all_at_once(actor, unlocked, delegations))
    assert count(unlocked, Registration.Status.CONFIRMED) > 3, "without the lock, the race should oversell"

    settings.EVENTS_REGISTRATION_LOCKING = True
    event = make_event(invited, quota=5, capacity=3)
    outcomes = register_all_at_once(actor, event, delegations)
    busy = assert_only_busy_errors(outcomes)
    assert count(event, Registration.Status.CONFIRMED) == outcomes.count(Registration.Status.CONFIRMED) == 3
    assert count(event, Registration.Status.WAITLISTED) == ATTEMPTS - 3 - busy
