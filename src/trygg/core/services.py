"""Domain rules of core: finding and resolving municipalities, loading reference data, people and tokens."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import (
    APIToken,
    County,
    Municipality,
    MunicipalityAlias,
    Organisation,
    PoliceDistrict,
    Role,
    User,
    fold,
)

REFERENCE_DIR = Path(settings.DATA_DIR) / "municipalities"


def search_municipalities(query: str = "", county: str = "") -> QuerySet[Municipality]:
    """Municipalities whose name (any parallel name) or number matches ``query``, optionally in a county.

    "Trondheim" finds "Trondheim - Tråante"; "tromso" does not find Tromsø, but "tromsø" and "TROMSØ" do.
    """
    municipalities = Municipality.objects.select_related("county", "police_district")
    if county:
        municipalities = municipalities.filter(county__number=county)
    query = fold(query)
    if query:
        municipalities = municipalities.filter(Q(search_name__contains=query) | Q(number=query))
    return municipalities


def resolve_municipality(name_or_number: str, year: int | None = None) -> Municipality | None:
    """Today's municipality for a name or number, current or former (e.g. from the 2011 source deck).

    Current numbers and exact current names win; otherwise former municipalities are searched, restricted to
    ``year``'s structure when given. Ambiguous former names resolve to the most recent structure.
    """
    key = fold(name_or_number)
    if not key:
        return None
    current = Municipality.objects.filter(Q(number=key) | Q(search_name=key)).first()
    if current:
        return current
    for municipality in Municipality.objects.filter(search_name__startswith=key):
        if key in [fold(part) for part in municipality.name.split(" - ")]:
            return municipality
    aliases = MunicipalityAlias.objects.filter(Q(number=key) | Q(search_name=key)).select_related("municipality")
    if year:
        aliases = aliases.filter(year=year)
    alias = aliases.order_by("-year").first()
    return alias.municipality if alias else None


@dataclass(frozen=True)
class LoadResult:
    counties: int
    police_districts: int
    municipalities: int
    neighbour_pairs: int
    aliases: int


@transaction.atomic
def load_reference_data(directory: Path = REFERENCE_DIR) -> LoadResult:
    """Create or update counties, police districts, municipalities, neighbours and former names from data/.

    Idempotent: running it twice changes nothing. Centroids and neighbours were computed when the data was
    built (data/build_municipalities.py), so loading is plain copying.
    """
    counties_data = json.loads((directory / "counties.json").read_text())
    districts_data = json.loads((directory / "police_districts.json").read_text())["districts"]
    municipalities_data = json.loads((directory / "municipalities.json").read_text())
    aliases_data = json.loads((directory / "aliases-2011.json").read_text())

    counties = {}
    for row in counties_data:
        counties[row["number"]], _ = County.objects.update_or_create(
            number=row["number"], defaults={"name": row["name"]}
        )
    districts = {}
    for row in districts_data:
        districts[row["slug"]], _ = PoliceDistrict.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
    by_number = {}
    for row in municipalities_data:
        by_number[row["number"]], _ = Municipality.objects.update_or_create(
            number=row["number"],
            defaults={
                "name": row["name"],
                "county": counties[row["county"]],
                "police_district": districts.get(row["police_district"]),
                "population": row["population"],
                "latitude": row["lat"],
                "longitude": row["lon"],
                "economic_region": row.get("economic_region") or "",
            },
        )
    Through = Municipality.neighbours.through
    wanted = {
        (by_number[row["number"]].pk, by_number[other].pk) for row in municipalities_data for other in row["neighbours"]
    }
    existing = set(Through.objects.values_list("from_municipality_id", "to_municipality_id"))
    Through.objects.bulk_create(
        [Through(from_municipality_id=a, to_municipality_id=b) for a, b in sorted(wanted - existing)]
    )
    for a, b in existing - wanted:
        Through.objects.filter(from_municipality_id=a, to_municipality_id=b).delete()
    for row in aliases_data:
        MunicipalityAlias.objects.update_or_create(
            year=row["year"],
            number=row["number"],
            defaults={"name": row["name"], "municipality": by_number[row["primary"]]},
        )
    return LoadResult(
        counties=len(counties),
        police_districts=len(districts),
        municipalities=len(by_number),
        neighbour_pairs=len(wanted) // 2,
        aliases=len(aliases_data),
    )


def municipal_contacts(municipalities) -> QuerySet[User]:
    """Active municipal contacts with an e-mail address who act for any of ``municipalities``."""
    return (
        User.objects.filter(municipalities__in=municipalities, role=Role.MUNICIPAL_CONTACT, is_active=True)
        .exclude(email="")
        .distinct()
    )


def organisations_for(query: str = "", kind: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("municipality", "police_district")
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(search_name__contains=fold(query))
    return organisations


def authenticate_token(raw_token: str) -> User | None:
    """The active user behind an API token, or None. Marks the token as used."""
    token = (
        APIToken.objects.select_related("user")
        .filter(token_hash=APIToken.hash(raw_token), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    APIToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
