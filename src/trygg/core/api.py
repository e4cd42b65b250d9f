"""Core's part of the REST API: municipalities, counties, organisations and the caller's own account."""

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from .api_schema import MunicipalityNumber, Pagination, SearchText, named_enum, responses
from .models import County, Municipality, Organisation
from .services import organisations_for, search_municipalities

router = Router(tags=["core"])


class CountyOut(Schema):
    number: str
    name: str


class MunicipalityOut(Schema):
    number: str
    name: str
    county: CountyOut
    police_district: str | None = Field(None, alias="police_district.name")
    population: int
    latitude: float
    longitude: float


class MunicipalityDetailOut(MunicipalityOut):
    neighbours: list[str]

    @staticmethod
    def resolve_neighbours(obj) -> list[str]:
        return sorted(obj.neighbours.values_list("number", flat=True))


class MunicipalityFilter(FilterSchema):
    q: SearchText = Field("", description="Name or number; matches every parallel name (“Trondheim” finds Tråante).")
    county: str = Field("", pattern=r"^(\d{2})?$", description="County number, e.g. “50”.")


OrganisationKind = named_enum("OrganisationKind", Organisation.Kind)


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganisationKind
    country: str
    municipality: str | None = Field(None, alias="municipality.number")
    website: str


@router.get("/counties", response=list[CountyOut], auth=None, summary="List counties")
def list_counties(request):
    return County.objects.all()


@router.get("/municipalities", response=responses(list[MunicipalityOut], 422), auth=None, summary="List municipalities")
@paginate(Pagination)
def list_municipalities(request, filters: Query[MunicipalityFilter]):
    return search_municipalities(filters.q, filters.county).order_by("number")


@router.get(
    "/municipalities/{number}",
    response=responses(MunicipalityDetailOut, 404, 422),
    auth=None,
    summary="One municipality",
)
def get_municipality(request, number: MunicipalityNumber):
    return get_object_or_404(Municipality.objects.select_related("county", "police_district"), number=number)


@router.get("/organisations", response=responses(list[OrganisationOut], 401, 422), summary="List organisations")
@paginate(Pagination)
def list_organisations(request, q: SearchText = "", kind: OrganisationKind | None = None):
    return organisations_for(q, kind or "").order_by("name")


class MeOut(Schema):
    username: str
    role: str
    municipalities: list[str]

    @staticmethod
    def resolve_municipalities(obj) -> list[str]:
        return sorted(obj.municipalities.values_list("number", flat=True))


@router.get("/me", response=responses(MeOut, 401), summary="The account behind this token")
def me(request):
    return request.auth
