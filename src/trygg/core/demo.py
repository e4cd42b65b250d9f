"""Demo data for trying Trygg: one user per role, and the organisations and people of the 2011 source deck.

Loading is idempotent: every object is looked up by a natural key and updated, so running it twice changes
nothing. The people are those the KS slide deck names; no contact details are invented for them.
"""

from base64 import b32decode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Area, Municipality, Organisation, Person, PersonKind, PoliceDistrict, Role, User
from .services import load_reference_data

DEMO_PASSWORD = "trygg-demo-2026"  # noqa: S105 - the published demo password
# A fixed demo secret so the printed key stays valid across reloads. Never used outside the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()

ORGANISATIONS = [
    ("KS – Kommunesektorens organisasjon", "KS", Organisation.Kind.KS, "NO"),
    ("Kripos", "Kripos", Organisation.Kind.NATIONAL_POLICE, "NO"),
    ("Politidirektoratet", "POD", Organisation.Kind.NATIONAL_POLICE, "NO"),
    ("Politihøgskolen", "PHS", Organisation.Kind.EDUCATION, "NO"),
    ("Det kriminalitetsforebyggende råd (nedlagt 2015)", "KRÅD", Organisation.Kind.CRIME_PREVENTION, "NO"),
    ("Kompetansesenter for kriminalitetsforebygging", "KFK", Organisation.Kind.CRIME_PREVENTION, "NO"),
    ("Justitsministeriets Forskningskontor", "", Organisation.Kind.RESEARCH, "DK"),
    ("Det Kriminalpræventive Råd", "DKR", Organisation.Kind.CRIME_PREVENTION, "DK"),
    ("Københavns Kommune", "", Organisation.Kind.FOREIGN_PUBLIC, "DK"),
]

# (name, title, organisation short name or name, kinds) – as the source deck gives them.
PEOPLE = [
    ("Yngve Carlsson", "Seniorrådgiver", "KS", [PersonKind.ADVISER, PersonKind.SPEAKER]),
    ("Geir Sønstebø", "Seniorrådgiver", "KS", [PersonKind.ADVISER]),
    ("Nils Petter Wiik", "Regiondirektør", "KS", [PersonKind.ADVISER]),
    ("Ulrika von Sydow", "Regiondirektør", "KS", [PersonKind.ADVISER]),
    ("Tore Bjørgo", "Professor", "PHS", [PersonKind.RESEARCHER, PersonKind.SPEAKER]),
    (
        "Christian Klement",
        "Forsker",
        "Justitsministeriets Forskningskontor",
        [PersonKind.RESEARCHER, PersonKind.SPEAKER],
    ),
    (
        "Jonas Markus Lindstad",
        "Forsker",
        "Justitsministeriets Forskningskontor",
        [PersonKind.RESEARCHER, PersonKind.SPEAKER],
    ),
    (
        "Maria Libak Pedersen",
        "Forsker",
        "Justitsministeriets Forskningskontor",
        [PersonKind.RESEARCHER, PersonKind.SPEAKER],
    ),
]

# (username, first name, last name, role, municipality numbers, partner areas)
USERS = [
    ("admin", "Ada", "Administrator", Role.KS_ADMIN, [], []),
    ("radgiver", "Rita", "Rådgiver", Role.KS_ADVISER, [], []),
    ("kontakt", "Kari", "Kontakt", Role.MUNICIPAL_CONTACT, ["4601", "3301"], []),
    ("partner", "Per", "Partner", Role.PARTNER, [], [Area.EVENTS, Area.MAPPING, Area.MEASURES]),
]


def _organisation(key: str) -> Organisation:
    return Organisation.objects.filter(short_name=key).first() or Organisation.objects.get(name=key)


@transaction.atomic
def load() -> list[dict]:
    """Load reference data (unless present) and demo content; return the demo logins to print."""
    if not Municipality.objects.exists():
        load_reference_data()
    for name, short_name, kind, country in ORGANISATIONS:
        Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "country": country}
        )
    for district in PoliceDistrict.objects.all():
        Organisation.objects.update_or_create(
            name=district.name,
            defaults={
                "kind": Organisation.Kind.POLICE_DISTRICT,
                "country": "NO",
                "police_district": district,
            },
        )
    for name, title, organisation, kinds in PEOPLE:
        Person.objects.update_or_create(
            name=name,
            defaults={
                "title": title,
                "organisation": _organisation(organisation),
                "kinds": [str(k) for k in kinds],
            },
        )
    ks = _organisation("KS")
    logins = []
    for username, first, last, role, numbers, areas in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@trygg.invalid"},
        )
        user.role = role
        user.partner_areas = [str(a) for a in areas]
        user.organisation = ks if role in (Role.KS_ADMIN, Role.KS_ADVISER) else None
        if role == Role.PARTNER:
            user.organisation = _organisation("Kripos")
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.municipalities.set(Municipality.objects.filter(number__in=numbers))
        login = {"username": username, "password": DEMO_PASSWORD, "role": user.get_role_display()}
        if user.is_ks_staff:
            TOTPDevice.objects.update_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
            )
            login["totp_secret"] = DEMO_TOTP_SECRET
        logins.append(login)
    return logins
