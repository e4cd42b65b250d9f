"""Periodic work run by the worker itself: one self-renewing ``tick`` task, never a cron line.

Each tick first queues the next one (``run_after`` = now + INTERVAL) and records it in the ``Schedule`` row, in
one transaction under that row's lock; a tick that finds another one recorded is a stray copy and stops. Then it
runs every app's ``periodic_work`` (an attribute of its AppConfig: callables taking ``now``), each on its own so
one failure does not stop the rest. ``ensure()`` starts the chain, or restarts it when the recorded tick is gone
or failed; ``migrate`` calls it, so every deployment repairs a broken chain.

Work that must happen once (a reminder for one deadline) claims a key with ``once(key)`` in the same transaction
as what it writes: two workers racing both try, one wins.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import Done, Schedule

logger = logging.getLogger(__name__)

INTERVAL = timedelta(minutes=15)
NAME = "tick"


@task(takes_context=True)
def tick(context):
    """Queue the next tick, then run the periodic work of every app."""
    now = timezone.now()
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().filter(name=NAME).first()
        if schedule is not None and schedule.task_result_id not in ("", str(context.task_result.id)):
            logger.info("A stray tick stopped; the chain goes on from %s", schedule.task_result_id)
            return "stray"
        _queue_next(now + INTERVAL)
    for config in apps.get_app_configs():
        for work in getattr(config, "periodic_work", ()):
            try:
                with transaction.atomic():
                    work(now)
            except Exception:
                logger.exception("Periodic work %s failed; it runs again at the next tick", work.__qualname__)
    return "done"


def _queue_next(run_after) -> None:
    result = tick.using(run_after=run_after).enqueue()
    Schedule.objects.update_or_create(name=NAME, defaults={"next_run_at": run_after, "task_result_id": str(result.id)})


def ensure() -> bool:
    """Start the chain when no tick is waiting or running; True when it queued one. Needs a backend that defers."""
    if not tick.get_backend().supports_defer:
        return False
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().filter(name=NAME).first()
        if schedule is not None and _alive(schedule.task_result_id):
            return False
        _queue_next(timezone.now())
    return True


def _alive(result_id: str) -> bool:
    """Waiting, or running for less than an interval (a tick killed mid-way stays "running" for ever)."""
    try:
        result = tick.get_result(result_id)
    except (TaskResultDoesNotExist, ValueError):
        return False
    if result.status == TaskResultStatus.RUNNING:
        return result.started_at is not None and result.started_at > timezone.now() - INTERVAL
    return result.status == TaskResultStatus.READY


def once(key: str) -> bool:
    """True the first time ``key`` is claimed, False ever after; call it inside the transaction of the work."""
    try:
        with transaction.atomic():
            Done.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True
