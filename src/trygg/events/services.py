"""Domain rules for events: registration within quotas, the waiting list, the programme's timetable, money.

Services take the acting user explicitly and know nothing of HTTP. Every write that uses capacity goes through
``_lock_capacity``, the one place where registrations are serialised.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.models import Municipality, Organisation, PersonKind, SupportTeam

from . import emails
from .models import Event, Invitation, PersonalDataGrant, ProgrammeItem, Registration

# Advisory-lock namespaces (the first of PostgreSQL's two int4 keys).
_EVENT_LOCK, _QUOTA_LOCK = 7301, 7302
LOCK_TIMEOUT = "3s"


class EventError(Exception):
    """A rule of the event was broken; the message is for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _lock_capacity(event: Event, invitation: Invitation | None) -> None:
    """Serialise registrations that compete for the same places, as pretix does.

    PostgreSQL: transaction-scoped advisory locks, taken in a fixed order to avoid deadlocks. A venue capacity is
    shared by everyone, so it is locked exclusively; without one, only the municipality's quota is exclusive and
    the event is locked shared. Waiting longer than LOCK_TIMEOUT gives a clear "busy" error. Other databases lock
    the event row (SQLite serialises writers anyway). Call once per transaction, before recounting.
    """
    if not getattr(settings, "EVENTS_REGISTRATION_LOCKING", True):
        return
    if connection.vendor != "postgresql":
        Event.objects.select_for_update().filter(pk=event.pk).exists()
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            if event.capacity is not None or invitation is None:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_EVENT_LOCK, event.pk])
            else:
                cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_EVENT_LOCK, event.pk])
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_QUOTA_LOCK, invitation.pk])
        except OperationalError as error:
            raise EventError(_("Many are registering right now. Wait a moment and try again.")) from error


def support_team_of(event: Event) -> SupportTeam:
    """The event's support team (core's model, which cases and networks use too), made when first needed."""
    if event.team_id is None:
        event.team = SupportTeam.objects.create(name=event.title[:200])
        event.save(update_fields=["team"])
    return event.team


def confirmed(event: Event):
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)


def delegation_filter(invitation: Invitation) -> Q:
    """The registrations that count against ``invitation``'s quota: its municipality's or its organisation's."""
    if invitation.municipality_id:
        return Q(municipality_id=invitation.municipality_id, partner__isnull=True)
    return Q(partner_id=invitation.organisation_id)


def _delegation_key(registration: Registration) -> tuple[str, int | None]:
    if registration.partner_id:
        return ("organisation", registration.partner_id)
    return ("municipality", registration.municipality_id)


def _invitation_key(invitation: Invitation) -> tuple[str, int]:
    if invitation.municipality_id:
        return ("municipality", invitation.municipality_id)
    return ("organisation", invitation.organisation_id)


def _has_room(event: Event, invitation: Invitation | None) -> bool:
    """Whether one more confirmed delegate fits the venue and the delegation's quota, recounted in one query."""
    counts = confirmed(event).aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=delegation_filter(invitation) if invitation else Q(pk__in=[])),
    )
    if event.capacity is not None and counts["total"] >= event.capacity:
        return False
    return invitation is None or counts["mine"] < invitation.quota


def invitation_for(event: Event, municipality: Municipality | None, partner: Organisation | None = None):
    """The municipality's (or partner organisation's) invitation, required when the event invites by quota."""
    if municipality is None and partner is None:
        return None
    place = {"organisation": partner} if partner else {"municipality": municipality}
    invitation = Invitation.objects.select_related("tier", "event").filter(event=event, **place).first()
    if invitation is None and event.tiers.exists():
        raise EventError(
            _("%(municipality)s is not invited to this event.") % {"municipality": partner or municipality}
        )
    return invitation


def registration_deadline_passed(event: Event) -> bool:
    return event.registration_deadline is not None and timezone.now() >= event.registration_deadline


REGISTRATION_FIELDS = (
    "name",
    "role",
    "title",
    "organisation",
    "email",
    "phone",
    "dietary_needs",
    "accessibility_needs",
    "overnight",
)


def _validate_delegate(registration: Registration) -> None:
    """The model's rules for what was typed about the delegate: the forms' rules, also for the API."""
    others = {field.name for field in Registration._meta.fields} - set(REGISTRATION_FIELDS)
    registration.full_clean(exclude=others, validate_unique=False, validate_constraints=False)


def register(
    actor, event: Event, municipality: Municipality | None, delegate: dict, partner: Organisation | None = None
) -> Registration:
    """Register one delegate: confirmed if the quota and the venue have room, otherwise on the waiting list.

    ``actor`` is a user, or the anonymous holder of an invitation link. After the registration deadline only KS
    staff register. Checks that need no lock (closed event, deadline, duplicate e-mail) run before taking it, to
    keep the lock short; the unique constraint still guards the e-mail against a concurrent duplicate.
    """
    staff = getattr(actor, "is_ks_staff", False)
    if event.status in (Event.Status.CLOSED, Event.Status.HELD, Event.Status.CANCELLED) and not staff:
        raise EventError(_("Registration for this event is closed."))
    if registration_deadline_passed(event) and not staff:
        raise EventError(_("The registration deadline has passed. Contact KS if you still wish to take part."))
    invitation = invitation_for(event, municipality, partner)
    if not event.includes_overnight:
        delegate = {**delegate, "overnight": False}
    email = delegate["email"].strip().lower()
    registration = Registration(
        event=event,
        municipality=municipality,
        partner=partner,
        created_by=actor if actor.is_authenticated else None,
        **{name: delegate[name] for name in REGISTRATION_FIELDS if name in delegate},
    )
    _validate_delegate(registration)
    duplicate = EventError(_("%(email)s is already registered for this event.") % {"email": email})
    if Registration.objects.filter(event=event, email=email).exclude(status=Registration.Status.CANCELLED).exists():
        raise duplicate
    try:
        with transaction.atomic():
            _lock_capacity(event, invitation)
            registration.status = (
                Registration.Status.CONFIRMED if _has_room(event, invitation) else Registration.Status.WAITLISTED
            )
            registration.save()
            transaction.on_commit(lambda: emails.send_registration_status(registration))
    except IntegrityError as error:
        raise duplicate from error
    return registration


def update_registration(actor, registration: Registration, delegate: dict) -> Registration:
    """Change a delegate's details (not their place: that is register/cancel)."""
    email = delegate.get("email", registration.email).strip().lower()
    clash = (
        Registration.objects.filter(event=registration.event, email=email)
        .exclude(pk=registration.pk)
        .exclude(status=Registration.Status.CANCELLED)
    )
    if clash.exists():
        raise EventError(_("%(email)s is already registered for this event.") % {"email": email})
    for name in REGISTRATION_FIELDS:
        if name in delegate:
            setattr(registration, name, delegate[name])
    _validate_delegate(registration)
    registration.save()
    return registration


def cancel(actor, registration: Registration) -> list[Registration]:
    """Cancel a registration and promote from the waiting list into the freed place; returns those promoted."""
    event = registration.event
    with transaction.atomic():
        _lock_capacity(event, None)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save()
        transaction.on_commit(lambda: emails.send_cancelled(registration))
        return promote_waiting(event)


def promote_waiting(event: Event) -> list[Registration]:
    """Confirm waiting delegates, first come first served, as far as quotas and the venue allow.

    Must run inside a transaction that holds the event's capacity lock. Each promoted delegate gets an e-mail.
    """
    promoted = []
    invitations = {_invitation_key(i): i for i in Invitation.objects.select_related("tier").filter(event=event)}
    for waiting in Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED):
        if _has_room(event, invitations.get(_delegation_key(waiting))):
            waiting.status = Registration.Status.CONFIRMED
            waiting.promoted_at = timezone.now()
            waiting.save()
            promoted.append(waiting)
    for registration in promoted:
        transaction.on_commit(lambda r=registration: emails.send_promoted(r))
    return promoted


def set_quota(actor, invitation: Invitation, quota: int | None) -> list[Registration]:
    """Change a municipality's own quota; never below the delegates already confirmed."""
    with transaction.atomic():
        _lock_capacity(invitation.event, invitation)
        taken = confirmed(invitation.event).filter(delegation_filter(invitation)).count()
        effective = quota if quota is not None else invitation.tier.quota
        if effective < taken:
            raise EventError(
                _("%(invitee)s already has %(count)d confirmed delegates; the quota cannot be lower.")
                % {"invitee": invitation.invitee, "count": taken}
            )
        invitation.quota_override = quota
        invitation.save()
        return promote_waiting(invitation.event)


def set_capacity(actor, event: Event, capacity: int | None) -> list[Registration]:
    """Change the venue capacity; never below the delegates already confirmed."""
    try:
        Event._meta.get_field("capacity").clean(capacity, event)
    except ValidationError as error:
        raise EventError(" ".join(error.messages)) from error
    with transaction.atomic():
        _lock_capacity(event, None)
        taken = confirmed(event).count()
        if capacity is not None and capacity < taken:
            raise EventError(
                _("%(count)d delegates are already confirmed; the capacity cannot be lower.") % {"count": taken}
            )
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        return promote_waiting(event)


def create_event(actor, **fields) -> Event:
    """A new event, from the event form or another app (a network's meeting, a lecture), validated alike.

    ``organisers`` and ``partners`` (organisations) are set once the event is stored.
    """
    if not actor.has_perm("events.add_event"):
        raise PermissionDenied
    related = {name: fields.pop(name) for name in ("organisers", "partners") if name in fields}
    with transaction.atomic():
        event = Event(created_by=actor, **fields)
        event.full_clean()
        event.save()
        for name, organisations in related.items():
            getattr(event, name).set(organisations)
    return event


def upcoming_for(user):
    """Events a dashboard shows: planned or open, and for municipal contacts those inviting their municipalities."""
    events = Event.objects.filter(
        status__in=[Event.Status.PLANNED, Event.Status.REGISTRATION_OPEN, Event.Status.CLOSED]
    )
    if not user.is_ks_staff and user.municipalities.exists():
        events = events.filter(Q(invitations__municipality__in=user.municipalities.all()) | Q(tiers__isnull=True))
    return events.distinct().order_by("start_date")[:5]


# Delegations -----------------------------------------------------------------------------------------------


@dataclass
class Delegation:
    """One invited municipality's delegation: its place in the quota and how it matches the desired roles."""

    invitation: Invitation
    confirmed: int
    waitlisted: int
    missing_roles: list[str] = field(default_factory=list)

    @property
    def quota(self) -> int:
        return self.invitation.quota

    @property
    def free(self) -> int:
        return max(0, self.quota - self.confirmed)

    @property
    def percent_full(self) -> int:
        return min(100, round(100 * self.confirmed / self.quota)) if self.quota else 100


def missing_roles(event: Event, roles: set[str]) -> list[str]:
    """The desired delegation roles (as labels) that nobody in ``roles`` fills."""
    labels = dict(PersonKind.choices)
    return [str(labels[role]) for role in event.desired_composition if role not in roles and role in labels]


def delegations(event: Event) -> list[Delegation]:
    counts = defaultdict(lambda: defaultdict(int))
    roles = defaultdict(set)
    for registration in Registration.objects.filter(event=event).only("municipality", "partner", "status", "role"):
        key = _delegation_key(registration)
        counts[key][registration.status] += 1
        if registration.status == Registration.Status.CONFIRMED:
            roles[key].add(registration.role)
    result = []
    for invitation in event.invitations.select_related("municipality", "organisation", "tier"):
        key = _invitation_key(invitation)
        result.append(
            Delegation(
                invitation=invitation,
                confirmed=counts[key][Registration.Status.CONFIRMED],
                waitlisted=counts[key][Registration.Status.WAITLISTED],
                missing_roles=missing_roles(event, roles[key]) if invitation.municipality_id else [],
            )
        )
    return result


def municipality_delegations(municipality: Municipality) -> list[Delegation]:
    """The municipality's invitations to published events, newest event first, each with its delegation's counts.

    Callers decide which of them a viewer may see (``events.view_delegation`` on each invitation)."""
    invitations = (
        Invitation.objects.filter(municipality=municipality)
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "municipality", "tier")
        .order_by(F("event__start_date").desc(nulls_first=True), "-event_id")
    )
    counts = defaultdict(lambda: defaultdict(int))
    for event_id, status in Registration.objects.filter(
        municipality=municipality, partner__isnull=True, event__in=invitations.values("event")
    ).values_list("event_id", "status"):
        counts[event_id][status] += 1
    return [
        Delegation(
            invitation=invitation,
            confirmed=counts[invitation.event_id][Registration.Status.CONFIRMED],
            waitlisted=counts[invitation.event_id][Registration.Status.WAITLISTED],
        )
        for invitation in invitations
    ]


def participating_municipalities(event: Event):
    """Municipalities with at least one confirmed delegate (they take part in the group work)."""
    return Municipality.objects.filter(
        event_registrations__event=event, event_registrations__status=Registration.Status.CONFIRMED
    ).distinct()


def invite_to_linked_event(actor, event: Event, linked: Event, role: str) -> list[Registration]:
    """Register the event's confirmed delegates with ``role`` for a linked event (e.g. SLT coordinators' day 2)."""
    if linked.follows_id != event.pk and event.follows_id != linked.pk:
        raise EventError(_("The two events are not linked."))
    created = []
    for delegate in confirmed(event).filter(role=role):
        if Registration.objects.filter(event=linked, email=delegate.email).exclude(status="cancelled").exists():
            continue
        data = {name: getattr(delegate, name) for name in REGISTRATION_FIELDS}
        municipality = delegate.municipality
        if municipality and linked.tiers.exists() and not linked.invitations.filter(municipality=municipality).exists():
            continue
        created.append(register(actor, linked, municipality, data))
    return created


# Programme -------------------------------------------------------------------------------------------------


@dataclass
class TimedItem:
    """A programme item with its effective end: its own, or the next item's start on the same day.

    The end of a day is a moment, not a span until dinner, so it has no end unless one is set.
    """

    item: ProgrammeItem
    start: dt.datetime
    end: dt.datetime | None


@dataclass
class ProgrammeDay:
    date: dt.date
    items: list[TimedItem]


def timetable(event: Event) -> list[ProgrammeDay]:
    """The programme by day in local time: the one timetable that the web page, the PDF and iCal all show."""
    zone = timezone.get_current_timezone()
    by_day = defaultdict(list)
    items = event.programme.prefetch_related(
        "speakers__person__organisation",
        "speakers__person__municipality",
        "speakers__organisation",
        "speakers__alternative_to",
    )
    for item in items:
        by_day[timezone.localtime(item.start, zone).date()].append(item)
    days = []
    for date in sorted(by_day):
        day_items = by_day[date]
        timed = []
        for index, item in enumerate(day_items):
            following = day_items[index + 1] if index + 1 < len(day_items) else None
            lasts_until_next = following and item.kind != ProgrammeItem.Kind.END_OF_DAY
            end = item.end or (following.start if lasts_until_next else None)
            timed.append(TimedItem(item, timezone.localtime(item.start, zone), end and timezone.localtime(end, zone)))
        days.append(ProgrammeDay(date, timed))
    return days


@dataclass
class ProgrammeWarning:
    kind: str  # "overlap" or "gap"
    first: ProgrammeItem
    second: ProgrammeItem
    minutes: int

    @property
    def message(self) -> str:
        values = {"first": self.first.title, "second": self.second.title, "minutes": self.minutes}
        if self.kind == "overlap":
            return _("“%(first)s” overlaps “%(second)s” by %(minutes)d minutes.") % values
        return _("%(minutes)d minutes between “%(first)s” and “%(second)s” are not accounted for.") % values


def programme_warnings(event: Event) -> list[ProgrammeWarning]:
    """Overlaps, and gaps after items with a set end. An end of day explains the gap after it."""
    warnings = []
    for day in timetable(event):
        for current, following in pairwise(day.items):
            if current.item.kind == ProgrammeItem.Kind.END_OF_DAY or current.end is None:
                continue
            minutes = int((following.start - current.end).total_seconds() // 60)
            if minutes < 0:
                warnings.append(ProgrammeWarning("overlap", current.item, following.item, -minutes))
            elif minutes > 0:
                warnings.append(ProgrammeWarning("gap", current.item, following.item, minutes))
    return warnings


def move_programme_to(event: Event, first_day: dt.date) -> None:
    """Set the event's dates from a new first day, moving the programme with it (e.g. after the date poll)."""
    before = (event.start_date, event.end_date)
    length = (event.end_date - event.start_date) if event.start_date and event.end_date else dt.timedelta(0)
    with transaction.atomic():
        event.start_date = first_day
        event.end_date = first_day + length
        reschedule(None, event, *before)
        event.save(update_fields=["start_date", "end_date", "updated_at"])


@dataclass
class MovedItem:
    item: ProgrammeItem
    old_start: dt.datetime
    new_start: dt.datetime


@dataclass
class Reschedule:
    """What changing an event's dates does: the items that move, those that would fall outside, who is told."""

    shift: dt.timedelta
    moved: list[MovedItem]
    outside: list[MovedItem]
    registered: int

    @property
    def days(self) -> int:
        return self.shift.days


def plan_reschedule(event: Event, old_start: dt.date | None, old_end: dt.date | None) -> Reschedule | None:
    """For an event whose dates are already set anew (not saved): the programme moves by the first day's shift.

    None when the dates did not change. Items keep their local clock time: 11.30 stays 11.30 even when the move
    crosses a change to summer time.
    """
    if (old_start, old_end) == (event.start_date, event.end_date):
        return None
    shift = event.start_date - old_start if old_start and event.start_date else dt.timedelta(0)
    first, last = event.start_date, event.end_date or event.start_date
    moved, outside = [], []
    for item in event.programme.all():
        row = MovedItem(item, timezone.localtime(item.start), timezone.localtime(_shift_local(item.start, shift)))
        if shift:
            moved.append(row)
        if first and not first <= row.new_start.date() <= last:
            outside.append(row)
    registered = event.registrations.exclude(status=Registration.Status.CANCELLED).count()
    return Reschedule(shift, moved, outside, registered)


def outside_message(plan: Reschedule) -> str:
    titles = ", ".join(f"“{row.item.title}”" for row in plan.outside)
    return _("These programme items would fall outside the new dates: %(items)s. Move or remove them first.") % {
        "items": titles
    }


def reschedule(actor, event: Event, old_start: dt.date | None, old_end: dt.date | None) -> Reschedule | None:
    """Move the programme with the event's new dates and tell everyone registered, with the new calendar file.

    Refused when an item would fall outside the new days: the programme, PDF and iCal never disagree with the event.
    """
    plan = plan_reschedule(event, old_start, old_end)
    if plan is None:
        return None
    if plan.outside:
        raise EventError(outside_message(plan))
    for row in plan.moved:
        row.item.start = _shift_local(row.item.start, plan.shift)
        row.item.end = _shift_local(row.item.end, plan.shift) if row.item.end else None
        row.item.save(update_fields=["start", "end"])
    told = list(event.registrations.exclude(status=Registration.Status.CANCELLED))
    transaction.on_commit(lambda: [emails.send_dates_changed(registration) for registration in told])
    return plan


def _shift_local(moment: dt.datetime, days: dt.timedelta) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return timezone.make_aware(timezone.make_naive(moment, zone) + days, zone)


# Money -----------------------------------------------------------------------------------------------------


@dataclass
class InvoiceLine:
    """What one municipality or one partner organisation is invoiced."""

    payer: Municipality | Organisation
    count: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.count * self.unit_price

    @property
    def number(self) -> str:
        """The municipality number; empty for an organisation."""
        return getattr(self.payer, "number", "")


def invoice_basis(event: Event) -> list[InvoiceLine]:
    """One line per municipality, then one per partner organisation: confirmed delegates × package price.

    Guests outside the quotas are not invoiced.
    """
    delegates = confirmed(event)
    by_municipality = (
        delegates.filter(municipality__isnull=False, partner__isnull=True)
        .values("municipality")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_partner = delegates.filter(partner__isnull=False).values("partner").annotate(count=Count("pk")).order_by()
    municipalities = Municipality.objects.in_bulk([row["municipality"] for row in by_municipality])
    organisations = Organisation.objects.in_bulk([row["partner"] for row in by_partner])
    price = event.price_per_person
    lines = sorted(
        (InvoiceLine(municipalities[row["municipality"]], row["count"], price) for row in by_municipality),
        key=lambda line: line.payer.name,
    )
    return lines + sorted(
        (InvoiceLine(organisations[row["partner"]], row["count"], price) for row in by_partner),
        key=lambda line: line.payer.name,
    )


@dataclass
class Budget:
    package_income: Decimal
    other_income: Decimal
    costs: Decimal

    @property
    def income(self) -> Decimal:
        return self.package_income + self.other_income

    @property
    def result(self) -> Decimal:
        return self.income - self.costs


def budget(event: Event) -> Budget:
    lines = event.budget_lines.aggregate(
        income=Sum("amount", filter=Q(kind="income")), costs=Sum("amount", filter=Q(kind="cost"))
    )
    package = sum((line.total for line in invoice_basis(event)), Decimal("0"))
    return Budget(package, lines["income"] or Decimal("0"), lines["costs"] or Decimal("0"))


# Personal data -----------------------------------------------------------------------------------------------


def grant_personal_data(actor, event: Event, user, purpose: str) -> PersonalDataGrant:
    """Let a named partner see the delegates' contact details and needs, for ``purpose`` (audited as a write)."""
    grant, _created = PersonalDataGrant.objects.update_or_create(
        event=event, user=user, defaults={"purpose": purpose.strip(), "granted_by": actor}
    )
    return grant


def revoke_personal_data(actor, grant: PersonalDataGrant) -> None:
    grant.delete()


# The event's end ----------------------------------------------------------------------------------------------


def cancel_event(actor, event: Event, message: str = "") -> int:
    """Cancel the event and tell everyone registered; registrations stay as they were, for the record."""
    with transaction.atomic():
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        told = list(event.registrations.exclude(status=Registration.Status.CANCELLED))
        transaction.on_commit(lambda: [emails.send_event_cancelled(r, message) for r in told])
    return len(told)


def delete_draft(actor, event: Event) -> None:
    """Only a draft can go: past that, people may have seen or registered for it, and it is cancelled instead."""
    if event.status != Event.Status.DRAFT:
        raise EventError(_("Only a draft can be deleted. Cancel the event instead."))
    event.delete()
