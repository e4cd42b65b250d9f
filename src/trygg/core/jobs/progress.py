"""Work a user waits for: a ``Job`` row the task writes its progress to and a web page polls.

``start(owner, title, the_task, *args)`` creates the row and enqueues the task after commit with the job's id
first. The task, made with ``job_task``, gets a ``Progress`` instead of the id: it claims the row under a lock
(a job that is already done is not run again), reports progress at most every ``THROTTLE`` seconds, and ends with
``finish`` (a link) or ``finish_file`` (a file kept in the storage backend). A failed try puts the job back in
the queue with a "trying again" message; the last one marks it failed with a message that says no more than that.
"""

import functools
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job
from .policy import Permanent, background, enqueue_on_commit

THROTTLE = 0.5  # seconds between progress writes
STALE = timedelta(minutes=10)  # a job untouched this long lost its worker and is queued again
KEEP = timedelta(days=7)  # finished jobs and their files are deleted after this


class Progress:
    def __init__(self, job: Job):
        self.job = job
        self._written = 0.0

    def update(self, percent: int, message: str = "") -> None:
        """Record progress; writes closer together than THROTTLE are skipped, so a tight loop may call it freely."""
        now = time.monotonic()
        if now - self._written < THROTTLE:
            return
        self._written = now
        percent = max(0, min(99, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(percent=percent, message=message[:300], updated_at=timezone.now())

    def finish(self, url: str, message: str = "") -> None:
        _finish(self.job.pk, result_url=url, message=message[:300] or _("Done."))

    def finish_file(self, name: str, content: bytes, message: str = "") -> None:
        """Keep the file in the storage backend (file system or object storage); only the owner may fetch it."""
        job = self.job
        job.result_file.save(name, ContentFile(content), save=False)
        _finish(
            job.pk,
            result_file=job.result_file.name,
            result_name=name,
            result_url=reverse("core:job_file", args=[job.pk]),
            message=message[:300] or _("Done."),
        )


def _finish(pk, **fields) -> None:
    now = timezone.now()
    Job.objects.filter(pk=pk).update(state=Job.State.DONE, percent=100, finished_at=now, updated_at=now, **fields)


def claim(job_id) -> Progress | None:
    """Lock the job and mark it running; None when it is finished or gone, so a second run does nothing."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.state == Job.State.RUNNING and job.updated_at > timezone.now() - STALE:
            return None  # another worker has it
        job.state, job.attempts = Job.State.RUNNING, job.attempts + 1
        job.message = _("Working …")
        job.save(update_fields=["state", "attempts", "message", "updated_at"])
    return Progress(job)


class Failed(Permanent):
    """The job cannot be done, for a reason the user may read (in their language); other errors stay hidden."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _failed(args, error, final: bool) -> None:
    if final:
        message = (
            error.message if isinstance(error, Failed) else _("Something went wrong. Try again, or ask KS for help.")
        )
        fields = {"state": Job.State.FAILED, "message": message[:300]}
        fields["finished_at"] = timezone.now()
    else:
        fields = {"state": Job.State.QUEUED, "message": _("A try failed; trying again shortly …")}
    Job.objects.filter(pk=args[0]).exclude(state=Job.State.DONE).update(updated_at=timezone.now(), **fields)


def job_task(func=None, **options):
    """A background task for a ``Job``: ``func(progress, *args)`` runs once per claim, with retries."""

    def decorate(func):
        @functools.wraps(func)
        def run(job_id, *args, **kwargs):
            progress = claim(job_id)
            if progress is None:
                return None
            with translation.override(progress.job.language):
                return func(progress, *args, **kwargs)

        return background(run, on_failure=_failed, **options)

    return decorate(func) if func is not None else decorate


def start(owner, title: str, the_task, *args) -> Job:
    """Create the job and enqueue its task after commit; the caller sends the user to ``url(job)``."""
    job = Job.objects.create(
        owner=owner,
        title=title[:200],
        message=_("Waiting to start …"),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        task_path=the_task.module_path,
        args=list(args),
    )
    enqueue_on_commit(the_task, str(job.pk), *args)
    return job


def recover(now) -> None:
    """Periodic: queue again the jobs whose worker died, and delete finished jobs (and files) past KEEP."""
    stale = Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING], updated_at__lt=now - STALE)
    for job in stale:
        Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, updated_at=now)
        enqueue_on_commit(import_string(job.task_path), str(job.pk), *job.args)
    for job in Job.objects.filter(finished_at__lt=now - KEEP):
        job.result_file.delete(save=False)
        job.delete()


def url(job: Job) -> str:
    return reverse("core:job", args=[job.pk])
