"""Lectures: a municipality asks KS for one, KS plans it (date, a speaker from a support team) and turns it into an
event through the events app's services; the asking municipality follows the status."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import SupportMember
from trygg.events import services as events
from trygg.events.models import Event

from .models import Lecture

SCREENING_CONTEXT = _("Describe the topic without naming private persons.")
NO_DATE = _("Set a date before making the event.")


def visible_lectures(user) -> QuerySet[Lecture]:
    """KS staff see every request; a municipal contact those of the municipalities they act for."""
    lectures = Lecture.objects.select_related("municipality", "speaker__person", "speaker__organisation", "event")
    if user.has_perm("networks.plan_lectures"):
        return lectures
    if user.has_perm("networks.request_lecture"):
        return lectures.filter(municipality__in=user.municipalities.all())
    return lectures.none()


def speakers() -> QuerySet[SupportMember]:
    """Everyone on a support team who may speak: named people, and organisations not yet naming one."""
    return SupportMember.objects.select_related("team", "person", "organisation").order_by("team__name", "order")


def request(user, *, municipality, submission_key: uuid.UUID, **fields) -> tuple[Lecture, bool]:
    """Ask KS for a lecture; (lecture, created). The same ``submission_key`` again finds the first request."""
    if not user.has_perm("networks.request_lecture") or not user.municipalities.filter(pk=municipality.pk).exists():
        raise PermissionDenied
    existing = Lecture.objects.filter(submission_key=submission_key, requested_by=user).first()
    if existing:
        return existing, False
    for name in ("topic", "description", "audience", "region"):
        screening.refuse_identity_numbers(fields.get(name, ""), SCREENING_CONTEXT)
    lecture = Lecture(municipality=municipality, requested_by=user, submission_key=submission_key, **fields)
    lecture.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            lecture.save()
    except IntegrityError:
        return Lecture.objects.get(submission_key=submission_key, requested_by=user), False
    return lecture, True


def plan(user, lecture: Lecture, *, status: str, date: dt.date | None, speaker, answer: str) -> Lecture:
    """KS sets the status, date, speaker and a message the municipality reads."""
    if not user.has_perm("networks.plan_lectures"):
        raise PermissionDenied
    if status not in (Lecture.Status.REQUESTED, Lecture.Status.PLANNED, Lecture.Status.DECLINED):
        raise ValidationError({"status": _("Choose a status from the list.")})
    if lecture.event_id:
        raise ValidationError(_("The lecture is already an event; change it there."))
    screening.refuse_identity_numbers(answer)
    lecture.status, lecture.date, lecture.speaker, lecture.answer = status, date, speaker, answer
    lecture.full_clean()
    lecture.save()
    return lecture


@transaction.atomic
def make_event(user, lecture: Lecture) -> Event:
    """Turn the planned lecture into an event (planned, with the speaker on its support team); a second click
    finds the event the first made."""
    if not user.has_perm("networks.plan_lectures"):
        raise PermissionDenied
    lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
    if lecture.event is not None:
        return lecture.event
    if lecture.date is None:
        raise ValidationError(NO_DATE)
    event = events.create_event(
        user,
        title=lecture.topic,
        kind=Event.Kind.LECTURE,
        status=Event.Status.PLANNED,
        start_date=lecture.date,
        end_date=lecture.date,
        city=lecture.municipality.name,
        description=lecture.description,
    )
    if lecture.speaker is not None:
        SupportMember.objects.create(
            team=events.support_team_of(event),
            person=lecture.speaker.person,
            organisation=lecture.speaker.organisation,
            role=str(_("Speaker")),
        )
    lecture.event, lecture.status = event, Lecture.Status.EVENT
    lecture.save(update_fields=["event", "status"])
    return event
