"""E-mail from templates, in the platform's language, sent by the background worker with retries.

``send_templated`` renders in the request and stores an ``OutgoingMail`` row; after commit the ``deliver`` task
sends it through Django's backend (console by default, SMTP by setting). The row makes a retry harmless: a sent
message is never sent again, and a message whose sending was interrupted keeps its ``Message-ID`` so that mail
systems can drop a duplicate. The one window left: the worker dies after the SMTP server accepted the message and
before the row says "sent"; the message then goes once more when it is retried — at least once, and at most twice:
a message found interrupted a second time is marked failed instead of sent again.
"""

import base64
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .jobs.models import OutgoingMail
from .jobs.policy import ATTEMPTS, Permanent, background, enqueue_on_commit
from .jobs.progress import stale

KEEP = timedelta(days=30)  # sent messages (and their personal data) are deleted after this

# Sent by the worker when a message has gone (``mail_id``) or has finally failed (``mail_id``, ``error``), so that an
# app that keeps its own record of a message (events' invitation deliveries) shows what really happened.
mail_sent = Signal()
mail_failed = Signal()


def send_templated(
    subject_template: str, body_template: str, context: dict, to: list[str], attachments: tuple = ()
) -> OutgoingMail:
    """Render subject and body in bokmål (a recipient has no language choice of ours) and queue the message.

    ``attachments`` are (filename, content, mimetype) triples. It goes when the caller's transaction commits.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    mail = OutgoingMail.objects.create(
        subject=subject[:300],
        body=body,
        to=list(to),
        attachments=[
            {"name": name, "content": base64.b64encode(_bytes(content)).decode(), "mimetype": mimetype}
            for name, content, mimetype in attachments
        ],
    )
    enqueue_on_commit(deliver, str(mail.pk))
    return mail


def _bytes(content) -> bytes:
    return content.encode() if isinstance(content, str) else bytes(content)


def _failed(args, error, final: bool) -> None:
    state = OutgoingMail.State.FAILED if final else OutgoingMail.State.PENDING
    OutgoingMail.objects.filter(pk=args[0]).exclude(state=OutgoingMail.State.SENT).update(state=state)
    if final:
        mail_failed.send(sender=OutgoingMail, mail_id=args[0], error=str(error))


@background(on_failure=_failed)
def deliver(mail_id: str) -> str:
    """Send one queued message unless it already went; the row is locked while we decide."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            raise Permanent(f"No e-mail {mail_id}")
        if mail.state in (OutgoingMail.State.SENT, OutgoingMail.State.FAILED):
            return mail.state
        now = timezone.now()
        if mail.state == OutgoingMail.State.SENDING:
            if mail.claimed_at and mail.claimed_at > now - stale():
                return "another worker is sending it"
            mail.interrupted += 1  # a worker died while sending: it may have gone
            if mail.interrupted > 1:
                mail.state = OutgoingMail.State.FAILED
                mail.save(update_fields=["state", "interrupted"])
                transaction.on_commit(
                    lambda: mail_failed.send(sender=OutgoingMail, mail_id=mail.pk, error="interrupted twice")
                )
                return "not sent a third time"
        mail.state, mail.attempts, mail.claimed_at = OutgoingMail.State.SENDING, mail.attempts + 1, now
        mail.save(update_fields=["state", "attempts", "interrupted", "claimed_at"])
    _message(mail).send()
    OutgoingMail.objects.filter(pk=mail.pk).update(state=OutgoingMail.State.SENT, sent_at=timezone.now())
    mail_sent.send(sender=OutgoingMail, mail_id=mail.pk)
    return "sent"


def _message(mail: OutgoingMail) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "trygg"
    message = EmailMessage(
        mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.to, headers={"Message-ID": f"<{mail.pk}@{domain}>"}
    )
    for attachment in mail.attachments:
        message.attach(attachment["name"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return message


def recover(now) -> None:
    """Periodic: queue again messages whose task was lost (a worker killed), and delete old sent ones."""
    waiting = OutgoingMail.objects.filter(
        state__in=[OutgoingMail.State.PENDING, OutgoingMail.State.SENDING],
        created_at__lt=now - stale(),
        attempts__lt=ATTEMPTS,
    )
    for pk in waiting.values_list("pk", flat=True):
        enqueue_on_commit(deliver, str(pk))
    OutgoingMail.objects.filter(state=OutgoingMail.State.SENT, sent_at__lt=now - KEEP).delete()
