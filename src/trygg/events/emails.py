"""E-mails of events: invitation, confirmation (with the programme as .ics), waiting list, promotion, reminder.

Sent with Django's e-mail backend: the console by default, SMTP when configured (see README).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from trygg.core.models import Role, User


def send(subject_template: str, body_template: str, context: dict, to: list[str], ics: bytes | None = None):
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if ics:
        message.attach("program.ics", ics, "text/calendar")
    message.send()


def send_registration_status(registration):
    """Confirmation with the programme attached, or a notice of the place on the waiting list."""
    from .ical import event_calendar
    from .models import Registration

    context = {"registration": registration, "event": registration.event}
    if registration.status == Registration.Status.CONFIRMED:
        send(
            "events/email/confirmed_subject.txt",
            "events/email/confirmed.txt",
            context,
            [registration.email],
            ics=event_calendar(registration.event),
        )
    elif registration.status == Registration.Status.WAITLISTED:
        send(
            "events/email/waitlisted_subject.txt",
            "events/email/waitlisted.txt",
            context,
            [registration.email],
        )


def send_promoted(registration):
    from .ical import event_calendar

    send(
        "events/email/promoted_subject.txt",
        "events/email/promoted.txt",
        {"registration": registration, "event": registration.event},
        [registration.email],
        ics=event_calendar(registration.event),
    )


def contact_addresses(municipality) -> list[str]:
    return sorted(
        User.objects.filter(municipalities=municipality, role=Role.MUNICIPAL_CONTACT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def send_invitation(invitation) -> int:
    """Invite a municipality through its contacts; returns how many were written to."""
    to = contact_addresses(invitation.municipality)
    if to:
        send(
            "events/email/invitation_subject.txt",
            "events/email/invitation.txt",
            {"invitation": invitation, "event": invitation.event},
            to,
        )
    return len(to)


def send_reminder(registration):
    from .ical import event_calendar

    send(
        "events/email/reminder_subject.txt",
        "events/email/reminder.txt",
        {"registration": registration, "event": registration.event},
        [registration.email],
        ics=event_calendar(registration.event),
    )
