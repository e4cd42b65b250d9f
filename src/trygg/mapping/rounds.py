"""Rounds of situation reports: opening and closing them, response rates, reminders and who sees which round.

Every rule about rounds lives here, so views, the API, the demo and commands behave the same. The acting user is
passed in explicitly; nothing here knows about HTTP.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.jobs.schedule import once
from trygg.core.mail import send_templated
from trygg.core.models import County, Municipality
from trygg.core.services import municipal_contacts
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Questionnaire as Definition
from trygg.questionnaires.models import Version

from .models import Report, Round
from .rules import is_ks_staff, mapping_partner
from .situation import latest_report


class RoundError(Exception):
    """A rule of rounds was broken; the message is for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def round_definitions() -> QuerySet[Version]:
    """The questionnaire versions a round may ask: those a municipality answers (not the youth survey's)."""
    return (
        Version.objects.filter(questionnaire__audience=Definition.Audience.MUNICIPALITY)
        .select_related("questionnaire")
        .order_by("questionnaire__code", "-number")
    )


def open_round(actor, name, questionnaire, deadline, municipalities=None, event=None, definition=None) -> Round:
    """Open a round now; it asks ``municipalities``, else the event's invited municipalities, else all 357.

    It asks the deck's MC questions (``questionnaire``), a questionnaire definition's version (``definition``,
    frozen from now on, as a youth survey freezes its), or both: the definition's items after the MC questions.
    """
    name = (name or "").strip()
    if not name:
        raise RoundError(_("The round needs a name."))
    if questionnaire is None and definition is None:
        raise RoundError(_("Choose the MC questions, a questionnaire definition, or both."))
    if definition is not None and not round_definitions().filter(pk=definition.pk).exists():
        raise RoundError(
            _("%(definition)s is not answered by municipalities; a round cannot ask it.") % {"definition": definition}
        )
    now = timezone.now()
    if deadline <= now:
        raise RoundError(_("The deadline must be in the future."))
    if Round.objects.filter(name__iexact=name).exists():
        raise RoundError(_("A round named “%(name)s” already exists.") % {"name": name})
    if municipalities is not None:
        asked = list(municipalities)
    elif event is not None:
        asked = list(Municipality.objects.filter(pk__in=event.invitations.values("municipality")))
    else:
        asked = list(Municipality.objects.all())
    if not asked:
        raise RoundError(_("The round must ask at least one municipality."))
    round = Round(
        name=name,
        questionnaire=questionnaire,
        definition=definition,
        opens_at=now,
        deadline=deadline,
        event=event,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        round.full_clean(exclude={"created_by"}, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise RoundError(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            round.save()
            round.municipalities.set(asked)
            if definition is not None:
                questionnaires.freeze(definition)
    except IntegrityError as error:  # the same name opened at the same moment by someone else
        raise RoundError(_("A round named “%(name)s” already exists.") % {"name": name}) from error
    return round


def close_round(actor, round: Round) -> Round:
    """Close the round: no more answers, whatever the deadline says."""
    if round.status == Round.Status.CLOSED:
        raise RoundError(_("The round is already closed."))
    round.status = Round.Status.CLOSED
    round.save(update_fields=["status"])
    return round


def rounds_for(user) -> QuerySet[Round]:
    """KS staff and partners with the mapping area see every round; a contact those asking their municipalities."""
    if not user.is_authenticated:
        return Round.objects.none()
    if is_ks_staff(user) or mapping_partner(user):
        return Round.objects.all()
    return Round.objects.filter(pk__in=Round.objects.filter(municipalities__in=user.municipalities.all()).values("pk"))


# Response rates --------------------------------------------------------------------------------------------


@dataclass
class Rate:
    asked: int = 0
    answered: int = 0

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)


@dataclass
class CountyRate(Rate):
    county: County | None = None


@dataclass
class ResponseRates(Rate):
    counties: list[CountyRate] = field(default_factory=list)


def answered_ids(round: Round) -> set[int]:
    """Municipalities covered by a submitted report of the round (a report may cover a municipal region)."""
    return set(
        Report.municipalities.through.objects.filter(
            report__round=round, report__status=Report.Status.SUBMITTED
        ).values_list("municipality_id", flat=True)
    )


def response_rates(round: Round) -> ResponseRates:
    """How many asked municipalities have answered, overall and per county."""
    answered = answered_ids(round)
    counties = {county.pk: CountyRate(county=county) for county in County.objects.all()}
    total = ResponseRates()
    for pk, county_id in round.municipalities.values_list("pk", "county_id"):
        for rate in (counties[county_id], total):
            rate.asked += 1
            rate.answered += pk in answered
    total.counties = [rate for rate in counties.values() if rate.asked]
    return total


# Each municipality's status --------------------------------------------------------------------------------

STATE_LABELS = {
    "answered": gettext_lazy("Answered"),
    "draft": gettext_lazy("Draft"),
    "not_started": gettext_lazy("Not started"),
}


@dataclass
class MunicipalityStatus:
    municipality: Municipality
    state: str  # answered, draft or not_started
    report: Report | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def municipality_statuses(round: Round, municipalities=None) -> list[MunicipalityStatus]:
    """Each asked municipality (or those of ``municipalities`` that are asked) with its report, submitted first."""
    asked = round.municipalities.select_related("county").order_by("name")
    if municipalities is not None:
        asked = asked.filter(pk__in=[m.pk for m in municipalities])
    reports = defaultdict(list)
    for link in Report.municipalities.through.objects.filter(report__round=round).select_related("report"):
        reports[link.municipality_id].append(link.report)
    statuses = []
    for municipality in asked:
        own = sorted(reports[municipality.pk], key=lambda r: (r.status != Report.Status.SUBMITTED, -r.pk))
        report = own[0] if own else None
        if report is None:
            state = "not_started"
        elif report.status == Report.Status.SUBMITTED:
            state = "answered"
        else:
            state = "draft"
        statuses.append(MunicipalityStatus(municipality, state, report))
    return statuses


@dataclass
class MunicipalityOverview:
    """One municipality's part in the rounds: its status in each open round that asks it, its latest answer."""

    open: list[tuple[Round, MunicipalityStatus]]
    latest: Report | None

    @property
    def latest_elsewhere(self) -> Report | None:
        """The latest submitted report, unless it is already shown as the answer to an open round."""
        shown = {status.report.pk for _round, status in self.open if status.report}
        return self.latest if self.latest and self.latest.pk not in shown else None


def municipality_overview(municipality: Municipality) -> MunicipalityOverview:
    """What the municipality's page shows of its situation reports, to those who may read them."""
    asking = Round.objects.filter(
        municipalities=municipality, status=Round.Status.OPEN, deadline__gte=timezone.now()
    ).order_by("deadline")
    return MunicipalityOverview(
        [(round, municipality_statuses(round, [municipality])[0]) for round in asking], latest_report(municipality)
    )


# Reminders -------------------------------------------------------------------------------------------------


def send_reminders(actor, round: Round) -> int:
    """E-mail each contact of an asked municipality without a submitted report; returns how many e-mails went out.

    A contact acting for several such municipalities gets one e-mail naming them all.
    """
    if round.status == Round.Status.CLOSED:
        raise RoundError(_("The round is closed; there is no one to remind."))
    answered = answered_ids(round)
    missing = round.municipalities.exclude(pk__in=answered)
    contacts = municipal_contacts(missing)
    sent = 0
    for contact in contacts:
        context = {
            "round": round,
            "municipalities": [m.name for m in missing.filter(contacts=contact).order_by("name")],
        }
        send_templated("mapping/email/reminder_subject.txt", "mapping/email/reminder.txt", context, [contact.email])
        sent += 1
    return sent


REMINDER_DAYS = 7


def remind_before_deadline(now) -> int:
    """Periodic (the worker's tick): a week before an open round's deadline, the contacts of municipalities that
    have not answered get the reminder, once per round and deadline (a moved deadline reminds again)."""
    sent = 0
    due = Round.objects.filter(
        status=Round.Status.OPEN, deadline__gt=now, deadline__lte=now + timedelta(days=REMINDER_DAYS)
    )
    for round in due:
        if once(f"mapping:deadline-reminder:{round.pk}:{round.deadline.isoformat()}"):
            sent += send_reminders(None, round)
    return sent
