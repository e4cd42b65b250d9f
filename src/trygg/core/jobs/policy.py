"""Retries with backoff and enqueueing after commit: the two things Django's tasks interface leaves to us.

A task made with ``background`` that raises is enqueued again with ``run_after`` pushed back (30 s, 1, 2, 4 min …)
until it has had ``attempts`` tries; each try is its own task result, so the queue shows every failure. A
``Permanent`` error is not retried. Backends that cannot defer (the immediate one in tests) retry at once.
"""

import functools
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

ATTEMPTS = 5
FIRST_DELAY = 30  # seconds
MAX_DELAY = 3600


class Permanent(Exception):
    """A failure that another try cannot mend (the object is gone, the input is wrong)."""


def backoff(attempt: int) -> timedelta:
    """The wait before try number ``attempt`` + 1: doubling from FIRST_DELAY, at most MAX_DELAY."""
    return timedelta(seconds=min(FIRST_DELAY * 2 ** (attempt - 1), MAX_DELAY))


def background(func=None, *, attempts: int = ATTEMPTS, on_failure=None, priority: int = 0):
    """Make ``func`` a task that retries on failure; ``on_failure(args, error, final)`` hears of each failed try."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                final = attempt >= attempts or isinstance(error, Permanent)
                if on_failure is not None:
                    on_failure(args, error, final)
                if final:
                    logger.exception("Task %s failed for good after %d tries", the_task.name, attempt)
                else:
                    logger.warning("Task %s failed (try %d of %d); trying again", the_task.name, attempt, attempts)
                    retry(the_task, args, kwargs, attempt + 1)
                raise

        the_task = task(priority=priority)(run)
        return the_task

    return decorate(func) if func is not None else decorate


def retry(the_task, args, kwargs, attempt: int):
    backend = the_task.get_backend()
    if backend.supports_defer:
        the_task = the_task.using(run_after=timezone.now() + backoff(attempt - 1))
    the_task.enqueue(*args, attempt=attempt, **kwargs)


def enqueue_on_commit(the_task, *args, **kwargs) -> None:
    """Enqueue when the surrounding transaction commits (at once outside one), so the task sees what we wrote and
    a rolled-back request queues nothing. Pass primary keys, never model instances."""
    transaction.on_commit(functools.partial(the_task.enqueue, *args, **kwargs))
