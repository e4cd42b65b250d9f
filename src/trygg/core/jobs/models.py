"""Tables of background work: what a user waits for, e-mail waiting to go out, and periodic work already done."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work a user waits for: its progress, and where the result is when it is done."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Working")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=10)  # the owner's language when they asked: the result speaks it
    task_path = models.CharField(max_length=200)  # enough to enqueue the job again if a worker died under it
    args = models.JSONField(default=list)
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class OutgoingMail(models.Model):
    """An e-mail rendered in the request and sent by the worker; the row is how a retry knows it already went."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    to = models.JSONField(default=list)
    attachments = models.JSONField(default=list)  # [{"name", "content" (base64), "mimetype"}]
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    interrupted = models.PositiveSmallIntegerField(default=0)  # tries that died while sending
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current try started sending
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return self.subject


class Done(models.Model):
    """A key for periodic work that must happen once (a reminder for one round's deadline); unique, so two workers
    that race both try to insert it and only one wins."""

    key = models.CharField(max_length=200, unique=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class Schedule(models.Model):
    """The one live chain of a periodic task: its next run and the queued task result that will make it."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.name
