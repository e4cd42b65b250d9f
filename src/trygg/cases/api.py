"""Cases in the REST API: ask for help, follow a case, and (KS) triage it, through the same services as the pages.

The timeline comes from ``services.timeline``, the same door as the page's, so the municipality's contacts get the
status and the shared notes and never an internal note. Every read of a case is recorded in the audit trail. A
request carries a client-made ``submission_key`` (an idempotency key): sent again, it finds the first case.
"""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthorizationError, HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from trygg.core.api_schema import Id, MunicipalityNumber, Pagination, named_enum, responses
from trygg.core.audit import record_read
from trygg.core.models import Municipality, User
from trygg.core.validation import VISIBLE

from . import services
from .models import Case, Category, Note, Urgency

router = Router(tags=["cases"])

CaseStatus = named_enum("CaseStatus", Case.Status)
CaseUrgency = named_enum("CaseUrgency", Urgency)
CaseCategory = named_enum("CaseCategory", Category)
NoteVisibility = named_enum("NoteVisibility", Note.Visibility)


class CaseOut(Schema):
    id: int
    title: str
    municipality: str = Field(alias="municipality.number")
    urgency: CaseUrgency
    status: CaseStatus
    confidential: bool
    created_at: dt.datetime
    is_demo: bool = Field(alias="demo", description="Fictional demo data.")


class NoteOut(Schema):
    created_at: dt.datetime
    visibility: NoteVisibility
    author: str
    text: str


class CaseDetailOut(CaseOut):
    description: str
    involved: str
    done_so_far: str
    category: CaseCategory | None = Field(description="Set when KS triages the case.")
    assignee: str | None = Field(description="The KS staff member on the case; only for KS and the experts.")
    notes: list[NoteOut] = Field(description="Internal notes only for KS and the experts drawn in.")

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category or None

    @staticmethod
    def resolve_assignee(obj, context) -> str | None:
        user = context["request"].auth
        if obj.assignee is None or not user.has_perm("cases.view_internal", obj):
            return None
        return obj.assignee.username

    @staticmethod
    def resolve_notes(obj, context) -> list[dict]:
        user = context["request"].auth
        return [
            {
                "created_at": note.created_at,
                "visibility": note.visibility,
                "author": services.author_label(note, user),
                "text": services.describe(note),
            }
            for note in services.timeline(obj, user)
        ]


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(
        min_length=1,
        max_length=10000,
        json_schema_extra={"pattern": VISIBLE},
        description="At least one visible character; never a national identity number.",
    )
    visibility: NoteVisibility = Field(
        NoteVisibility.SHARED, description="Ignored for the municipality's contacts: their notes are always shared."
    )


def _text(max_length: int, description: str = ""):
    return Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": VISIBLE}, description=description)


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    submission_key: uuid.UUID = Field(
        description="Made by the client once per request (an idempotency key): the same key again — a double "
        "click, a retried request — answers 200 with the first case instead of making a second."
    )
    municipality: MunicipalityNumber = Field(description="A municipality the caller acts for.")
    title: str = _text(200, "A short title, e.g. “A 1 % group is buying a property”.")
    description: str = _text(
        10000, "What has happened, without naming private persons; never a national identity number."
    )
    urgency: CaseUrgency
    involved: str = Field("", max_length=10000, description="Who is involved on the municipal side (roles).")
    done_so_far: str = Field("", max_length=10000, description="What has been done so far.")
    confidential: bool = False


class TriageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: CaseCategory
    urgency: CaseUrgency
    assignee: str | None = Field(None, max_length=150, description="Username of an active KS staff member.")


def _case(user, case_id: int) -> Case:
    """404 for a case the caller may not see, as for one that does not exist."""
    return get_object_or_404(services.visible_cases(user), pk=case_id)


@router.get("", response=responses(list[CaseOut], 401, 422), summary="The caller's cases")
@paginate(Pagination)
def list_cases(request):
    return services.visible_cases(request.auth).order_by("-created_at", "-pk")


@router.get("/{case_id}", response=responses(CaseDetailOut, 401, 404, 422), summary="One case and its timeline")
def get_case(request, case_id: Id):
    user = request.auth
    case = _case(user, case_id)
    record_read(case)
    return case


@router.post(
    "/{case_id}/notes",
    response=responses(CaseDetailOut, 401, 403, 404, 422, status=201),
    summary="Add a note to a case",
)
def add_note(request, case_id: Id, payload: NoteIn):
    user = request.auth
    case = _case(user, case_id)
    try:
        services.add_note(user, case, payload.body, payload.visibility.value)
    except PermissionDenied as error:
        raise AuthorizationError() from error
    return Status(201, case)


@router.post(
    "",
    response={
        **responses(CaseDetailOut, 401, 403, 404, 409, 422, status=201),
        200: CaseDetailOut,
    },
    summary="Ask KS for help",
    description="201: the case was made. 200: this submission key had already made it; the same case is "
    "returned. 403: the caller is not a municipal contact acting for the municipality. 409: the key belongs to "
    "another caller's request.",
)
def create_case(request, payload: CaseIn):
    user = request.auth
    if not user.has_perm("cases.add_case"):
        raise AuthorizationError()
    municipality = Municipality.objects.filter(number=payload.municipality).first()
    if municipality is None:
        raise HttpError(404, _("There is no municipality numbered %(number)s.") % {"number": payload.municipality})
    fields = payload.model_dump(exclude={"submission_key", "municipality"})
    fields["urgency"] = payload.urgency.value
    try:
        case, created = services.submit(
            user, municipality=municipality, submission_key=payload.submission_key, **fields
        )
    except PermissionDenied as error:
        raise AuthorizationError(message=_("You do not act for this municipality.")) from error
    except ValidationError as error:
        if getattr(error, "code", None) == "key_taken":
            raise HttpError(409, str(error.message)) from error
        raise
    return Status(201 if created else 200, case)


@router.post(
    "/{case_id}/triage",
    response=responses(CaseDetailOut, 401, 403, 404, 409, 422),
    summary="Triage a case (KS)",
    description="Set category, urgency and assignee. 404: no such assignee. 409: the assignee may not work cases.",
)
def triage_case(request, case_id: Id, payload: TriageIn):
    user = request.auth
    case = _case(user, case_id)
    if not user.has_perm("cases.triage", case):
        raise AuthorizationError()
    assignee = None
    if payload.assignee:
        assignee = User.objects.filter(username=payload.assignee).first()
        if assignee is None:
            raise HttpError(404, _("There is no user named %(name)s.") % {"name": payload.assignee})
    try:
        services.triage(user, case, category=payload.category.value, urgency=payload.urgency.value, assignee=assignee)
    except ValidationError as error:
        raise HttpError(409, " ".join(map(str, error.messages))) from error
    return get_object_or_404(services.visible_cases(user), pk=case.pk)
