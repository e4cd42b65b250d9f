"""E-mails of events: invitation, confirmation (with the programme as .ics), waiting list, promotion, reminder,
cancellation and a withdrawn invitation.

Sent with Django's e-mail backend: the console by default, SMTP when configured (see README).
"""

from trygg.core.mail import send_templated


def send(subject_template: str, body_template: str, context: dict, to: list[str], ics: bytes | None = None):
    """An event e-mail; the programme, when given, is attached as a calendar file."""
    attachments = (("program.ics", ics, "text/calendar"),) if ics else ()
    send_templated(subject_template, body_template, context, to, attachments)


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


def send_invitation(invitation, contact, link: str, expires) -> None:
    """The invitation to one contact: what, when, where, the price and what it includes, the deadline, the link.

    Raises whatever the mail backend raises, so that the caller records the address as bounced.
    """
    send(
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
