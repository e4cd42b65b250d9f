"""The date poll: candidate first days put to the key speakers, who answer through a personal link.

The source deck's date was "about 23–24 March: must be agreed with important Danish speakers". KS staff propose
dates and ask speakers from the people register; the speakers answer without an account; KS chooses a date and
the programme moves with it. Services take the acting user explicitly and know nothing of HTTP.

A poll is decided once KS has chosen one of its dates; every answer is kept, so the decision can be explained later.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trygg.core.models import Person

from . import emails
from .models import CandidateDate, Event, PollAnswer, PollParticipant
from .services import EventError, move_programme_to
from .tokens import new_token

Answer = PollAnswer.Answer


def long_date(date: dt.date) -> str:
    """A date as Norwegians write it in running text, e.g. "tirsdag 23. mars 2027"."""
    return date_format(date, "l j. F Y")


# Candidate dates and participants --------------------------------------------------------------------------


def add_candidate(actor, event: Event, date: dt.date, note: str = "") -> CandidateDate:
    """Put a first day to the speakers, reopening a decided poll; a date already past or already asked is refused."""
    if date < timezone.localdate():
        raise EventError(_("%(date)s has already passed. Choose a later date.") % {"date": long_date(date)})
    try:
        with transaction.atomic():
            event.candidate_dates.update(chosen=False)
            return CandidateDate.objects.create(event=event, date=date, note=note)
    except IntegrityError as error:
        raise EventError(_("%(date)s is already a candidate date.") % {"date": long_date(date)}) from error


def remove_candidate(actor, candidate: CandidateDate) -> None:
    """Withdraw a date, with the answers given for it."""
    candidate.delete()


def add_participant(actor, event: Event, person: Person) -> PollParticipant:
    """Ask a person from the register, who gets a personal link that works without an account."""
    try:
        with transaction.atomic():
            return PollParticipant.objects.create(event=event, person=person, token=new_token())
    except IntegrityError as error:
        raise EventError(_("%(name)s is already asked in this poll.") % {"name": person}) from error


def remove_participant(actor, participant: PollParticipant) -> None:
    """Stop asking a person: their link stops working and their answers no longer count."""
    participant.delete()


def send_link(actor, participant: PollParticipant, link: str) -> None:
    """E-mail a speaker their personal link; the caller builds ``link``, since only it knows the site's address."""
    person = participant.person
    if not person.email:
        raise EventError(
            _("%(name)s has no e-mail address. Add one in the people register, or copy the link and send it.")
            % {"name": person}
        )
    event = participant.event
    emails.send(
        "events/email/poll_link_subject.txt",
        "events/email/poll_link.txt",
        {"participant": participant, "event": event, "candidates": event.candidate_dates.all(), "link": link},
        [person.email],
    )


# Answers ---------------------------------------------------------------------------------------------------


def decided_date(event: Event) -> CandidateDate | None:
    """The chosen date, once the poll is decided; None while it is open."""
    return event.candidate_dates.filter(chosen=True).first()


def record_answers(participant: PollParticipant, answers: dict[int, str]) -> None:
    """Save a speaker's answers (candidate id → answer value); the participant, known by their link, is the actor.

    Answers can be changed until the date is decided, so a speaker's change of plans still reaches KS.
    """
    event = participant.event
    if decided_date(event):
        raise EventError(_("The date is already decided, so the answers can no longer be changed."))
    if set(answers) - set(event.candidate_dates.values_list("pk", flat=True)):
        raise EventError(_("One of the dates is no longer in the poll. Check your answers and save them again."))
    if set(answers.values()) - set(Answer.values):
        raise EventError(_("Answer yes, if need be or no for each date."))
    with transaction.atomic():
        for candidate_id, value in answers.items():
            PollAnswer.objects.update_or_create(
                participant=participant, candidate_id=candidate_id, defaults={"answer": value}
            )
        participant.responded_at = timezone.now()
        participant.save(update_fields=["responded_at"])


# Results ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How the participants answered for one candidate date."""

    candidate: CandidateDate
    yes: int = 0
    if_need_be: int = 0
    no: int = 0

    @property
    def date(self) -> dt.date:
        return self.candidate.date

    @property
    def can_come(self) -> int:
        return self.yes + self.if_need_be


def best_date(tallies: Iterable[Tally]) -> Tally | None:
    """The date to suggest: the most who can come (yes + if need be), then the most "yes", then the earliest.

    A "no" does not rule a date out: one speaker who cannot come should not hide a date all the others can
    make. Ties go to more "yes", since "if need be" costs someone something, and then to the earliest date,
    which leaves the most time for planning. None when nobody can come on any date.
    """
    best = min(tallies, key=lambda tally: (-tally.can_come, -tally.yes, tally.date), default=None)
    return best if best is not None and best.can_come > 0 else None


@dataclass(frozen=True)
class ParticipantRow:
    """One participant's answers, in the order of the candidate dates (None: not answered)."""

    participant: PollParticipant
    answers: list[Answer | None]


@dataclass(frozen=True)
class PollResults:
    candidates: list[CandidateDate]
    rows: list[ParticipantRow]
    tallies: list[Tally]
    best: Tally | None
    decided: CandidateDate | None


def results(event: Event) -> PollResults:
    """The matrix of participants × dates, the count for each date and the suggested date."""
    candidates = list(event.candidate_dates.all())
    participants = event.poll_participants.select_related("person__organisation").order_by("person__name")
    given = {
        (participant_id, candidate_id): Answer(value)
        for participant_id, candidate_id, value in PollAnswer.objects.filter(candidate__event=event).values_list(
            "participant_id", "candidate_id", "answer"
        )
    }
    rows = [ParticipantRow(p, [given.get((p.pk, c.pk)) for c in candidates]) for p in participants]
    counts = Counter((candidate_id, value) for (_participant, candidate_id), value in given.items())
    tallies = [
        Tally(c, counts[(c.pk, Answer.YES)], counts[(c.pk, Answer.IF_NEED_BE)], counts[(c.pk, Answer.NO)])
        for c in candidates
    ]
    return PollResults(candidates, rows, tallies, best_date(tallies), decided_date(event))


def choose_date(actor, candidate: CandidateDate) -> None:
    """Fix the event on the chosen first day, moving the programme with it, and close the poll."""
    if candidate.date < timezone.localdate():
        raise EventError(_("%(date)s has already passed. Choose a later date.") % {"date": long_date(candidate.date)})
    event = candidate.event
    with transaction.atomic():
        event.candidate_dates.update(chosen=False)
        CandidateDate.objects.filter(pk=candidate.pk).update(chosen=True)
        move_programme_to(event, candidate.date)
