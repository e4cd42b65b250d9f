"""Response-target arithmetic with pauses, free of the database so that it can be tested on its own.

Time counts on the wall clock (acute cases do not wait for Monday), except while the case waits for the
municipality: those pauses are cut out of every interval the targets measure.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime | None]  # a pause; None: it has not ended


def paused_within(start: datetime, end: datetime, pauses: Iterable[Interval]) -> timedelta:
    """How much of [start, end] lies inside the pauses (which never overlap one another)."""
    total = timedelta()
    for pause_start, pause_end in pauses:
        low, high = max(start, pause_start), min(end, pause_end or end)
        if high > low:
            total += high - low
    return total


def active(start: datetime, end: datetime, pauses: Iterable[Interval]) -> timedelta:
    """The time the clock ran between ``start`` and ``end``."""
    if end <= start:
        return timedelta()
    return end - start - paused_within(start, end, pauses)


def time_left(start: datetime, now: datetime, target: timedelta, pauses: Iterable[Interval]) -> timedelta:
    """What is left of ``target`` at ``now`` (negative once missed); it stands still during a pause."""
    return target - active(start, now, pauses)
