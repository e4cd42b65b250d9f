"""Events' part of the REST API: the public calendar and programme, and registration of delegates.

Every permission is the events rules' (``user.has_perm``) and every write goes through ``services``, so the API
registers, waitlists and promotes exactly as the web pages do. Registrations are personal data: each read is
recorded in the audit trail.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthorizationError, HttpError
from ninja.pagination import paginate
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from trygg.core.api_auth import caller
from trygg.core.api_schema import Id, MunicipalityNumber, Pagination, named_enum, responses
from trygg.core.audit import record_read
from trygg.core.models import Municipality, PersonKind
from trygg.core.validation import VISIBLE

from . import services
from .models import Event, Invitation, ProgrammeItem, Registration

router = Router(tags=["events"])

EventKind = named_enum("EventKind", Event.Kind)
EventStatus = named_enum("EventStatus", Event.Status)
ProgrammeItemKind = named_enum("ProgrammeItemKind", ProgrammeItem.Kind)
RegistrationRole = named_enum("RegistrationRole", Registration.Role)
RegistrationStatus = named_enum("RegistrationStatus", Registration.Status)


def _visible_events(user):
    """The events ``user`` may view; the view rule decides whether drafts are among them."""
    events = Event.objects.all()
    if not user.has_perm("events.view_event", Event(status=Event.Status.DRAFT)):
        events = events.exclude(status=Event.Status.DRAFT)
    return events


def _require_view(user, event: Event) -> Event:
    """404 unless ``user`` may view the event: a draft is not even hinted at."""
    if not user.has_perm("events.view_event", event):
        raise Http404
    return event


def _event(user, event_id: int) -> Event:
    return _require_view(user, get_object_or_404(Event, pk=event_id))


def _invitation(event: Event, municipality_id: int | None) -> Invitation | None:
    return Invitation.objects.select_related("event").filter(event=event, municipality_id=municipality_id).first()


def _registration_scope(user, event: Event) -> Q | None:
    """Which of the event's registrations ``user`` may see: all, their own municipalities' (a contact), or none."""
    if user.has_perm("events.view_registrations", event):
        return Q()
    own = event.invitations.select_related("event").filter(municipality__in=user.municipalities.all())
    municipality_ids = [i.municipality_id for i in own if user.has_perm("events.view_delegation", i)]
    return Q(municipality_id__in=municipality_ids) if municipality_ids else None


# Events ----------------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    status: EventStatus
    city: str
    country: str
    start_date: dt.date | None
    end_date: dt.date | None


class InvitedOut(Schema):
    number: str | None = Field(None, description="Municipality number; null for a partner organisation.")
    name: str = Field(alias="invitee.name")
    quota: int

    @staticmethod
    def resolve_number(obj) -> str | None:
        return obj.municipality.number if obj.municipality_id else None


class TierOut(Schema):
    name: str
    quota: int = Field(description="Delegates per municipality, unless a municipality has its own quota.")
    municipalities: list[InvitedOut] = Field(alias="invitations")


class RoleOut(Schema):
    role: str
    label: str


class EventDetailOut(EventOut):
    venue: str
    description: str
    objectives: list[str] = Field(alias="objective_lines")
    organisers: list[str]
    capacity: int | None = Field(description="Most delegates in all; null: no limit.")
    registration_deadline: dt.datetime | None
    price_per_person: Decimal = Field(description="Package price per person, NOK.")
    package_includes: list[str] = Field(alias="included_lines")
    package_excludes: list[str] = Field(alias="excluded_lines")
    tiers: list[TierOut]
    desired_composition: list[RoleOut] = Field(description="The roles each delegation should ideally include.")
    follows: int | None = Field(None, alias="follows_id", description="The event this one is linked to.")

    @staticmethod
    def resolve_organisers(obj) -> list[str]:
        return [organisation.name for organisation in obj.organisers.all()]

    @staticmethod
    def resolve_tiers(obj):
        return obj.tiers.prefetch_related("invitations__municipality", "invitations__organisation")

    @staticmethod
    def resolve_desired_composition(obj) -> list[dict]:
        labels = dict(PersonKind.choices)
        return [{"role": role, "label": str(labels[role])} for role in obj.desired_composition if role in labels]


@router.get("", response=responses(list[EventOut], 422), auth=None, summary="List events")
@paginate(Pagination)
def list_events(request, status: EventStatus | None = None, kind: EventKind | None = None):
    events = _visible_events(caller(request))
    if status:
        events = events.filter(status=status)
    if kind:
        events = events.filter(kind=kind)
    return events


@router.get("/{event_id}", response=responses(EventDetailOut, 404, 422), auth=None, summary="One event")
def get_event(request, event_id: Id):
    return _event(caller(request), event_id)


# Programme -------------------------------------------------------------------------------------------------


class ProgrammeItemOut(Schema):
    start: dt.datetime
    end: dt.datetime | None = Field(description="Its own end, or else the next item's start that day.")
    kind: ProgrammeItemKind = Field(alias="item.kind")
    title: str = Field(alias="item.title")
    questions: list[str] = Field(alias="item.question_lines")
    location: str = Field(alias="item.location")
    speakers: list[str]

    @staticmethod
    def resolve_speakers(obj) -> list[str]:
        texts = []
        for speaker in obj.item.speakers.all():
            affiliation = speaker.affiliation
            texts.append(", ".join([str(speaker), affiliation.name]) if affiliation else str(speaker))
        return texts


class ProgrammeDayOut(Schema):
    date: dt.date
    items: list[ProgrammeItemOut]


@router.get(
    "/{event_id}/programme",
    response=responses(list[ProgrammeDayOut], 404, 422),
    auth=None,
    summary="The event's programme",
)
def get_programme(request, event_id: Id):
    return services.timetable(_event(caller(request), event_id))


# Registrations ---------------------------------------------------------------------------------------------


def _sees_personal_data(context, registration) -> bool:
    """Contact details and needs: KS, a partner KS has granted them, or the delegation's own contact."""
    request = context["request"]
    user = request.auth
    cache = request.__dict__.setdefault("_events_personal", {})
    if registration.event_id not in cache:
        event = registration.event
        cache[registration.event_id] = user.has_perm("events.view_personal_data", event) or not user.has_perm(
            "events.view_registrations", event
        )
    return cache[registration.event_id]


PERSONAL = "Null unless you may see the delegates' contact details and needs (KS; a partner KS has granted them)."


class RegistrationOut(Schema):
    id: int
    event: int = Field(alias="event_id")
    municipality: str | None = Field(None, alias="municipality.number")
    partner: int | None = Field(None, alias="partner_id", description="The invited partner organisation, if any.")
    name: str
    role: RegistrationRole
    title: str
    organisation: str
    email: str | None = Field(description=PERSONAL)
    phone: str | None = Field(description=PERSONAL)
    dietary_needs: str | None = Field(description=PERSONAL)
    accessibility_needs: str | None = Field(description=PERSONAL)
    overnight: bool
    status: RegistrationStatus
    created_at: dt.datetime
    promoted_at: dt.datetime | None
    cancelled_at: dt.datetime | None

    @staticmethod
    def resolve_email(obj, context):
        return obj.email if _sees_personal_data(context, obj) else None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _sees_personal_data(context, obj) else None

    @staticmethod
    def resolve_dietary_needs(obj, context):
        return obj.dietary_needs if _sees_personal_data(context, obj) else None

    @staticmethod
    def resolve_accessibility_needs(obj, context):
        return obj.accessibility_needs if _sees_personal_data(context, obj) else None


class RegistrationIn(Schema):
    municipality: MunicipalityNumber | None = Field(
        None, description="Municipality number; null for guests outside the quotas (KS only)."
    )
    name: str = Field(
        min_length=1,
        max_length=120,
        json_schema_extra={"pattern": VISIBLE},
        description="At least one visible character (the models judge it, as for the forms).",
    )
    role: RegistrationRole = RegistrationRole.OTHER
    title: str = Field("", max_length=200)
    organisation: str = Field("", max_length=200)
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    phone: str = Field("", max_length=30)
    dietary_needs: str = Field("", max_length=300)
    accessibility_needs: str = Field("", max_length=300)
    overnight: bool = True

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        try:
            validate_email(value.strip())
        except DjangoValidationError as error:
            raise PydanticCustomError("value_error", error.messages[0]) from error
        return value.strip()


class CancelOut(Schema):
    registration: RegistrationOut
    promoted: list[RegistrationOut] = Field(description="Promoted from the waiting list (those you may see).")
    promoted_count: int = Field(description="How many were promoted into the freed place, in all.")


@router.get(
    "/{event_id}/registrations",
    response=responses(list[RegistrationOut], 401, 403, 404, 422),
    summary="The event's registrations",
)
@paginate(Pagination)
def list_registrations(
    request, event_id: Id, status: RegistrationStatus | None = None, municipality: MunicipalityNumber | None = None
):
    user = request.auth
    event = _event(user, event_id)
    scope = _registration_scope(user, event)
    if scope is None:
        raise AuthorizationError()
    record_read(event)
    registrations = event.registrations.filter(scope).select_related("municipality", "event")
    if status:
        registrations = registrations.filter(status=status)
    if municipality:
        registrations = registrations.filter(municipality__number=municipality)
    return registrations


@router.post(
    "/{event_id}/registrations",
    response=responses(RegistrationOut, 401, 403, 404, 409, 422, status=201),
    summary="Register a delegate",
    description="Confirmed if the municipality's quota and the venue have room, otherwise on the waiting list. "
    "409: the event's rules refuse it (registration closed, already registered).",
)
def register_delegate(request, event_id: Id, delegate: RegistrationIn):
    user = request.auth
    event = _event(user, event_id)
    municipality = None
    if delegate.municipality:
        municipality = Municipality.objects.filter(number=delegate.municipality).first()
        if municipality is None:
            raise HttpError(404, _("There is no municipality numbered %(number)s.") % {"number": delegate.municipality})
    try:
        invitation = services.invitation_for(event, municipality)
        if not user.has_perm("events.register_delegates", invitation):
            raise AuthorizationError()
        registration = services.register(
            user, event, municipality, delegate.model_dump(mode="json", exclude={"municipality"})
        )
    except services.EventError as error:
        raise HttpError(409, error.message) from error
    return Status(201, registration)


@router.delete(
    "/registrations/{registration_id}",
    response=responses(CancelOut, 401, 403, 404, 409, 422),
    summary="Cancel a registration",
    description="409: the registration cannot be cancelled (for example, it already is).",
)
def cancel_registration(request, registration_id: Id):
    user = request.auth
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    event = _require_view(user, registration.event)
    if not user.has_perm("events.register_delegates", _invitation(event, registration.municipality_id)):
        raise AuthorizationError()
    try:
        promoted = services.cancel(user, registration)
    except services.EventError as error:
        raise HttpError(409, error.message) from error
    scope = _registration_scope(user, event)
    visible = Registration.objects.filter(scope, pk__in=[r.pk for r in promoted]) if scope is not None else []
    return {"registration": registration, "promoted": visible, "promoted_count": len(promoted)}
