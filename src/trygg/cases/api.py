"""Cases in the REST API: the caller's cases and one case with the timeline the caller may read.

The timeline comes from ``services.timeline``, the same door as the page's, so the municipality's contacts get the
status and the shared notes and never an internal note. Every read of a case is recorded in the audit trail.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import AuthorizationError
from pydantic import ConfigDict

from trygg.core.api_schema import Id, named_enum, responses
from trygg.core.audit import record_read
from trygg.core.validation import VISIBLE

from . import services
from .models import Case, Note, Urgency

router = Router(tags=["cases"])

CaseStatus = named_enum("CaseStatus", Case.Status)
CaseUrgency = named_enum("CaseUrgency", Urgency)
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
    notes: list[NoteOut] = Field(description="Internal notes only for KS and the experts drawn in.")

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


def _case(user, case_id: int) -> Case:
    """404 for a case the caller may not see, as for one that does not exist."""
    return get_object_or_404(services.visible_cases(user), pk=case_id)


@router.get("", response=responses(list[CaseOut], 401), summary="The caller's cases")
def list_cases(request):
    return services.visible_cases(request.auth)


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
    return 201, case
