"""E-mails of events: invitation, confirmation (with the programme as .ics), waiting list, promotion, reminder,
cancellation and a withdrawn invitation.

Queued with core's mail and sent by the background worker (console by default, SMTP when configured; see README).
The reminder also goes by itself a week before the event starts (``remind_before_start``, run by the worker).
"""

from datetime import timedelta

from django.utils import timezone

from trygg.core.jobs.schedule import once
from trygg.core.mail import send_templated


def send(subject_template: str, body_template: str, context: dict, to: list[str], ics: bytes | None = None):
    """An event e-mail; the programme, when given, is attached as a calendar file."""
    attachments = (("program.ics", ics, "text/calendar"),) if ics else ()
    return send_templated(subject_template, body_template, context, to, attachments)


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


def send_invitation(invitation, contact, link: str, expires):
    """The invitation to one contact: what, when, where, the price and what it includes, the deadline, the link.

    Returns the queued message, whose fate the worker reports through core's mail signals.
    """
    return send(
        "events/email/invitation_subject.txt",
        "events/email/invitation.txt",
        {"invitation": invitation, "event": invitation.event, "contact": contact, "link": link, "expires": expires},
        [contact.email],
    )


def send_invitation_withdrawn(registration, invitee: str, message: str) -> None:
    send(
        "events/email/withdrawn_subject.txt",
        "events/email/withdrawn.txt",
        {"registration": registration, "event": registration.event, "invitee": invitee, "message": message},
        [registration.email],
    )


def send_cancelled(registration) -> None:
    send(
        "events/email/cancelled_subject.txt",
        "events/email/cancelled.txt",
        {"registration": registration, "event": registration.event},
        [registration.email],
    )


def send_reminder(registration):
    from .ical import event_calendar

    send(
        "events/email/reminder_subject.txt",
        "events/email/reminder.txt",
        {"registration": registration, "event": registration.event},
        [registration.email],
        ics=event_calendar(registration.event),
    )


REMINDER_DAYS = 7


def remind_before_start(now) -> int:
    """Periodic (the worker's tick): a week before an event starts, each confirmed delegate gets the reminder with
    the programme, once per event and start date (a moved event reminds again). Returns how many went out."""
    from .models import Event
    from .services import confirmed

    today = timezone.localdate(now)
    soon = Event.objects.filter(start_date__gt=today, start_date__lte=today + timedelta(days=REMINDER_DAYS)).exclude(
        status=Event.Status.DRAFT
    )
    sent = 0
    for event in soon:
        if once(f"events:start-reminder:{event.pk}:{event.start_date.isoformat()}"):
            for registration in confirmed(event).select_related("event"):
                send_reminder(registration)
                sent += 1
    return sent


def send_dates_changed(registration):
    """The event moved: the new dates, with the programme as it now stands."""
    from .ical import event_calendar

    send(
        "events/email/dates_changed_subject.txt",
        "events/email/dates_changed.txt",
        {"registration": registration, "event": registration.event},
        [registration.email],
        ics=event_calendar(registration.event),
    )


def send_event_cancelled(registration, message: str) -> None:
    send(
        "events/email/event_cancelled_subject.txt",
        "events/email/event_cancelled.txt",
        {"registration": registration, "event": registration.event, "message": message},
        [registration.email],
    )
