"""The API's shared contract: bounded paging, identifiers and search terms, enums with their own names, and errors.

Every bound is in the OpenAPI document, so a client (or schemathesis) learns it there, and a value outside it is a
422 with a clear message rather than a server error deep in the database.
"""

import enum
from typing import Annotated

from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .validation import MAX_INTEGER

MAX_SEARCH_LENGTH = 200
MAX_OFFSET = 1_000_000

# A database id in a path: PostgreSQL's integer range, so a huge number is a 422, not an overflow.
Id = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
SearchText = Annotated[str, Field(max_length=MAX_SEARCH_LENGTH)]
MunicipalityNumber = Annotated[str, Field(pattern=r"^\d{4}$", description="Four digits, e.g. “0301”.")]


def named_enum(name: str, choices: type[models.TextChoices]) -> type[enum.StrEnum]:
    """``choices`` under a name of its own in the OpenAPI document.

    Pydantic names an enum's schema after its class, so Django's inner classes (``Event.Status``, ``Round.Status``,
    ``Measure.Status``) would all be one "Status" there, the last one written winning.
    """
    return enum.StrEnum(name, {member.name: member.value for member in choices}, module=__name__)


class Pagination(LimitOffsetPagination):
    """Limit/offset paging; a limit of up to 1000 returns all municipalities at once."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the request's language.")


class IssueOut(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: the part of the request, then the field.")
    msg: str


class ValidationErrorOut(Schema):
    detail: list[IssueOut]


_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


def responses(ok, *errors: int, status: int = 200) -> dict:
    """An operation's ``response``: ``ok`` under ``status``, and the error bodies of the codes it can answer.

    Where parameters are validated (422), a request that cannot be read at all (a NUL character, broken JSON) is
    a 400.
    """
    codes = sorted({*errors, 400} if 422 in errors else set(errors))
    return {status: ok, **{code: _ERRORS[code] for code in codes}}
