"""Domain rules of core: finding and resolving municipalities, loading reference data, people and tokens."""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .mail import send_templated
from .models import (
    APIToken,
    County,
    Municipality,
    MunicipalityAlias,
    Organisation,
    Person,
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
    for row in counties_data:
        County.objects.filter(pk=counties[row["number"]].pk).update(capital=by_number[row["capital"]])
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


# Contacts of a municipality or an organisation ------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Someone KS can write to for a municipality or an organisation: a known person, a login, or both."""

    name: str
    email: str
    person: Person | None = None
    user: User | None = None

    @property
    def has_login(self) -> bool:
        return self.user is not None and self.user.is_active and self.user.has_usable_password()


def contacts_by_place(municipalities=(), organisations=()) -> dict[tuple[str, int], list[Contact]]:
    """The contacts of many places at once, keyed ("municipality", pk) or ("organisation", pk).

    A place's contacts are the contact persons with an e-mail address in KS's register and the active logins that
    act for it; a person and a login with the same address are one contact.
    """
    municipality_ids = [m.pk for m in municipalities]
    organisation_ids = [o.pk for o in organisations]
    found = defaultdict(dict)
    logins = defaultdict(dict)
    active = User.objects.filter(is_active=True).exclude(email="")
    for user in active.filter(role=Role.MUNICIPAL_CONTACT, municipalities__in=municipality_ids).annotate(
        place=F("municipalities")
    ):
        logins["municipality", user.place][user.email.lower()] = user
    for user in active.filter(organisation__in=organisation_ids, role__in=[Role.PARTNER, Role.MUNICIPAL_CONTACT]):
        logins["organisation", user.organisation_id][user.email.lower()] = user
    people = Person.objects.exclude(email="").filter(
        Q(municipality__in=municipality_ids) | Q(organisation__in=organisation_ids)
    )
    for person in people:
        email = person.email.strip().lower()
        for key in (("municipality", person.municipality_id), ("organisation", person.organisation_id)):
            wanted = key[1] in (municipality_ids if key[0] == "municipality" else organisation_ids)
            if wanted:
                found[key].setdefault(email, Contact(person.name, email, person, logins[key].get(email)))
    for key, users in logins.items():
        for email, user in users.items():
            found[key].setdefault(email, Contact(user.get_full_name() or user.username, email, None, user))
    return {key: sorted(contacts.values(), key=lambda c: fold(c.name)) for key, contacts in found.items()}


def contacts_of(municipality: Municipality | None = None, organisation: Organisation | None = None) -> list[Contact]:
    """The contacts of one municipality or one organisation (see ``contacts_by_place``)."""
    if municipality is not None:
        return contacts_by_place(municipalities=[municipality]).get(("municipality", municipality.pk), [])
    return contacts_by_place(organisations=[organisation]).get(("organisation", organisation.pk), [])


def add_contact(actor, *, municipality=None, organisation=None, name: str, email: str, title: str = "", phone=""):
    """Register a contact person for a municipality or an organisation (audited as any write)."""
    return Person.objects.create(
        name=name.strip(),
        email=email.strip().lower(),
        title=title.strip(),
        phone=phone.strip(),
        municipality=municipality,
        organisation=organisation,
    )


def login_for(person: Person) -> User | None:
    return User.objects.filter(email__iexact=person.email).first() if person.email else None


def invite_to_trygg(actor, person: Person, site_url: str) -> User:
    """Give a municipal contact person a login and e-mail them a link to choose a password.

    An existing login with the same address is reused and given the municipality; the link is sent again only
    when that login has no password yet.
    """
    if not person.email:
        raise ValueError("A person without an e-mail address cannot be invited.")
    with transaction.atomic():
        user = login_for(person)
        if user is None:
            first, _sep, last = person.name.strip().rpartition(" ")
            user = User(
                username=person.email.lower(),
                email=person.email.lower(),
                first_name=first or last,
                last_name=last if first else "",
                role=Role.MUNICIPAL_CONTACT,
                organisation=person.organisation,
            )
            user.set_unusable_password()
            user.save()
        if person.municipality_id:
            user.municipalities.add(person.municipality)
    if not user.has_usable_password():
        send_set_password(user, site_url)
    return user


def set_password_link(user: User, site_url: str) -> str:
    """A one-time link to choose a password (Django's reset token: it dies once the password is set)."""
    path = reverse(
        "core:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def send_set_password(user: User, site_url: str) -> None:
    send_templated(
        "core/email/set_password_subject.txt",
        "core/email/set_password.txt",
        {"user": user, "link": set_password_link(user, site_url), "municipalities": list(user.municipalities.all())},
        [user.email],
    )
