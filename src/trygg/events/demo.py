"""The source deck's study trip to Copenhagen as demo data, with fictional delegations.

The programme, speakers, placeholders, tiers, package and support team are as the 2011 KS deck gives them. The
deck's "about 23–24 March" is replayed in the next March far enough ahead for registration to be open whenever the
demo is loaded; the date poll shows how the date was agreed with the key speakers. The invitations went out four
weeks ago to each municipality's (fictional) contact, and most have opened their link and registered. Every contact
and delegate is fictional and marked so.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Organisation, Person, PersonKind, SupportMember, User
from trygg.core.services import resolve_municipality

from . import services
from .invitations import send as send_invitations
from .models import (
    BudgetLine,
    CandidateDate,
    Event,
    Invitation,
    InvitationDelivery,
    InvitationTier,
    PollAnswer,
    PollParticipant,
    ProgrammeItem,
    Registration,
    Speaker,
)
from .services import register
from .tokens import new_token

TITLE = "Bekjempelse av MC-kriminalitet – studietur og arbeidsseminar i København"
INVITED_DAYS_AGO = 28


def trip_first_day(today: dt.date) -> dt.date:
    """The Tuesday of the week holding 23 March, in the first year where that is at least 12 weeks away: the
    registration deadline (three weeks before) and the round's deadline (two weeks before) then lie ahead."""
    year = today.year
    while True:
        march = dt.date(year, 3, 23)
        tuesday = march - dt.timedelta(days=march.weekday() - 1)
        if tuesday - today >= dt.timedelta(weeks=12):
            return tuesday
        year += 1


FIRST_DAY = trip_first_day(timezone.localdate())
K = ProgrammeItem.Kind
ALTERNATIVE_TO = "alternative_to"

# (day, "HH:MM", kind, title, questions, speakers) — speakers: person name, or (placeholder, organisation short
# name or name), or (person name, note), or (person name, ALTERNATIVE_TO, the person they may replace).
PROGRAMME = [
    (0, "11:30", K.WELCOME, "Velkommen", "", []),
    (
        0,
        "11:45",
        K.TALK,
        "Om MC-situasjonen i Danmark i dag",
        "«Det store bildet». Hvem, hva, hvordan, hvorfor?",
        [],
    ),
    (0, "12:45", K.MEAL, "Lunsj", "", []),
    (
        0,
        "13:45",
        K.TALK,
        "Hvem rekrutteres til rockergruppene?",
        "Hvem rekrutteres til rockergruppene? Hvorfor?\nKan denne kunnskapen anvendes for å stoppe fødekæden?",
        [
            "Christian Klement",
            "Jonas Markus Lindstad",
            ("Maria Libak Pedersen", ALTERNATIVE_TO, "Jonas Markus Lindstad"),
        ],
    ),
    (
        0,
        "14:45",
        K.TALK,
        "Politiets strategier overfor rockerkriminaliteten",
        "Hva har vært vellykket, alternativt mislykket?\nBruk av Al Capone-metoden m.m.",
        [],
    ),
    (0, "15:45", K.BREAK, "Pause", "", []),
    (
        0,
        "16:15",
        K.TALK,
        "Københavns kommunes møte med bandene",
        "Hvilke virkemidler har kommunen (evt. i samarbeid med lokalt politi) anvendt for å begrense bandenes "
        "aktivitet, stoppe rekruttering og fremme «exit»?\nHva har en lykkes med, og hva har en ikke lykkes med?",
        [("Ikke navngitt ennå", "Københavns Kommune")],
    ),
    (0, "18:15", K.END_OF_DAY, "Slutt dag 1", "", []),
    (0, "19:30", K.DINNER, "Middag", "", []),
    (
        1,
        "08:30",
        K.TALK,
        "De danske kommunenes møte med rockergruppene",
        "Hvilke virkemidler har de i verktøyskrinet sitt?\nHva har en lykkes/mislykkes med?",
        [("… fra Det Kriminalpræventive Råd – eller … fra en aktuell kommune", "DKR")],
    ),
    (
        1,
        "09:30",
        K.TALK,
        "Vi utvider perspektivet",
        "Danske erfaringer, strategier og tiltak settes inn i en mer systematisk modell for forebygging og "
        "bekjempelse av alvorlig kriminalitet.",
        ["Tore Bjørgo"],
    ),
    (1, "10:15", K.CHECK_OUT, "Pause/utsjekk", "", []),
    (
        1,
        "10:45",
        K.GROUP_WORK,
        "Gruppevis drøfting (2–3 nærliggende byer/kommuner i hver gruppe)",
        "Hvilken overføringsverdi har danske erfaringer og tiltak til våre kommuner?\nHva kan vi bruke dette til?",
        [],
    ),
    (1, "11:45", K.PLENARY, "Plenumspresentasjon og drøfting", "", []),
    (1, "12:45", K.PLENARY, "Veien videre ift. kommunenes arbeid med MC-kriminalitet", "", []),
    (1, "13:00", K.DEPARTURE, "Lunsj. Hjemreise", "", []),
]

TIERS = [
    (
        "Kommuner med «1 %»-miljø",
        5,
        ["Oslo", "Bergen", "Trondheim", "Stavanger", "Kristiansand", "Tromsø", "Bærum"],
    ),
    (
        "Andre inviterte kommuner",
        3,
        [
            "Drammen",
            "Øvre Eiker",
            "Fredrikstad",
            "Sarpsborg",
            "Skien",
            "Porsgrunn",
            "Klepp",
            "Haugesund",
            "Hamar",
            "Ringsaker",
        ],
    ),
]

# (person name or None, organisation short name or name, role) — as the deck's «Support team» slide lists them.
SUPPORT_TEAM = [
    (None, "Kripos", "Ikke navngitt ennå"),
    ("Tore Bjørgo", "PHS", "Professor"),
    (None, "POD", "Ikke navngitt ennå"),
    (None, "KRÅD", "Ikke navngitt ennå"),
    (None, "KRÅD", "Ikke navngitt ennå"),
    ("Nils Petter Wiik", "KS", "Regiondirektør"),
    ("Ulrika von Sydow", "KS", "Regiondirektør"),
    ("Geir Sønstebø", "KS", "Seniorrådgiver"),
    ("Yngve Carlsson", "KS", "Seniorrådgiver"),
]

COSTS = [
    ("Hotell, 45 rom med frokost, én natt", Decimal("58500")),
    ("Møtelokale med frukt og kaffe, to dager", Decimal("14000")),
    ("Lunsj to dager og middag", Decimal("48000")),
    ("Reise og honorar for innledere", Decimal("12000")),
]
FIRST_NAMES = [
    "Kari",
    "Ola",
    "Ingrid",
    "Per",
    "Sigrid",
    "Lars",
    "Marte",
    "Jonas",
    "Nora",
    "Emil",
    "Hanne",
    "Sindre",
]
ROLES = [PersonKind.POLITICIAN, PersonKind.POLICE, PersonKind.SLT_COORDINATOR, "other", "other"]


def _organisation(key: str) -> Organisation:
    return Organisation.objects.filter(short_name=key).first() or Organisation.objects.get(name=key)


def _at(day: int, clock: str) -> dt.datetime:
    hours, minutes = map(int, clock.split(":"))
    moment = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(hours, minutes))
    return timezone.make_aware(moment, timezone.get_fixed_timezone(60))  # Copenhagen in March: UTC+1


@transaction.atomic
def load():
    """Create the demo trip once; running it again changes nothing."""
    if Event.objects.filter(title=TITLE).exists():
        return []
    admin = User.objects.get(username="admin")
    trip = Event.objects.create(
        title=TITLE,
        kind=Event.Kind.STUDY_TRIP,
        status=Event.Status.REGISTRATION_OPEN,
        city="København",
        country="DK",
        venue="Møtelokale i København (avklares)",
        start_date=FIRST_DAY,
        end_date=FIRST_DAY + dt.timedelta(days=1),
        description="Et kombinert opplegg med studietur og arbeidsseminar for norske kommuner, etter KS' "
        "utkast fra mars 2011.",
        objectives="Lære av danske erfaringer: hvorfor og hvordan gruppene har utviklet seg, og bandesituasjonen "
        "i dag\nHvilke erfaringer – gode som dårlige – har Danmark gjort? Hvilke tiltak virker til å begrense "
        "virksomheten og evnen til å rekruttere? Hva virker ikke – eller mot sin hensikt?\nOversette til norsk "
        "praksis: i hvilken grad og på hvilken måte kan danske erfaringer overføres til norske byer og kommuner?",
        follow_up="I etterkant av studieturen påbegynnes arbeid med en veileder for hvordan kommunene – i "
        "samarbeid med andre gode krefter – kan vanskeliggjøre kriminell aktivitet fra og rekruttering til "
        "«1 %»-miljøene.",
        capacity=50,
        registration_deadline=_at(-21, "12:00"),
        price_per_person=Decimal("3000"),
        package_includes="Overnatting med frokost\n2 lunsjer\nMiddag\nMøtelokale med frukt og kaffe",
        package_excludes="Fly tur/retur København",
        desired_composition=[PersonKind.POLITICIAN, PersonKind.POLICE, PersonKind.SLT_COORDINATOR],
        created_by=admin,
    )
    trip.organisers.set([_organisation("KS")])
    trip.partners.set([_organisation("KRÅD"), _organisation("POD")])
    _programme(trip)
    _date_poll(trip)
    team = services.support_team_of(trip)
    for order, (name, organisation, role) in enumerate(SUPPORT_TEAM):
        person = Person.objects.get(name=name) if name else None
        SupportMember.objects.create(
            team=team, person=person, organisation=_organisation(organisation), role=role, order=order
        )
    invitations = []
    for order, (name, quota, municipalities) in enumerate(TIERS):
        tier = InvitationTier.objects.create(event=trip, name=name, quota=quota, order=order)
        for municipality_name in municipalities:
            municipality = resolve_municipality(municipality_name, year=2011)
            invitations.append(Invitation.objects.create(event=trip, municipality=municipality, tier=tier))
    _send_invitations(admin, invitations)
    _fictional_delegations(trip, invitations, admin)
    for description, amount in COSTS:
        BudgetLine.objects.create(event=trip, kind=BudgetLine.Kind.COST, description=description, amount=amount)
    slt_day = Event.objects.create(
        title="SLT-koordinatorenes samling dagen etter studieturen",
        kind=Event.Kind.NETWORK_MEETING,
        status=Event.Status.PLANNED,
        city="København",
        country="DK",
        start_date=FIRST_DAY + dt.timedelta(days=2),
        end_date=FIRST_DAY + dt.timedelta(days=2),
        description="SLT-koordinatorene fra delegasjonene møtes igjen dagen etter.",
        follows=trip,
        created_by=admin,
    )
    slt_day.organisers.set([_organisation("KS")])
    return []


def _programme(trip: Event) -> None:
    for day, clock, kind, title, questions, speakers in PROGRAMME:
        item = ProgrammeItem.objects.create(
            event=trip, start=_at(day, clock), kind=kind, title=title, questions=questions
        )
        for order, speaker in enumerate(speakers):
            if isinstance(speaker, str):
                Speaker.objects.create(item=item, person=Person.objects.get(name=speaker), order=order)
            elif speaker[1] == ALTERNATIVE_TO:
                person, other = Person.objects.get(name=speaker[0]), Person.objects.get(name=speaker[2])
                Speaker.objects.create(item=item, person=person, alternative_to=other, order=order)
            elif Person.objects.filter(name=speaker[0]).exists():
                Speaker.objects.create(
                    item=item, person=Person.objects.get(name=speaker[0]), placeholder=speaker[1], order=order
                )
            else:
                Speaker.objects.create(
                    item=item, placeholder=speaker[0], organisation=_organisation(speaker[1]), order=order
                )


def _date_poll(trip: Event) -> None:
    """The deck: "about 23–24 March: must be agreed with important Danish speakers"."""
    candidates = [
        CandidateDate.objects.create(event=trip, date=FIRST_DAY + dt.timedelta(days=offset)) for offset in (-7, 0, 7)
    ]
    answers = {
        "Christian Klement": ["no", "yes", "if_need_be"],
        "Jonas Markus Lindstad": ["yes", "yes", "no"],
        "Maria Libak Pedersen": ["if_need_be", "yes", "yes"],
        "Tore Bjørgo": ["yes", "if_need_be", "yes"],
    }
    for name, replies in answers.items():
        participant = PollParticipant.objects.create(
            event=trip, person=Person.objects.get(name=name), token=new_token(), responded_at=timezone.now()
        )
        for candidate, reply in zip(candidates, replies, strict=True):
            PollAnswer.objects.create(participant=participant, candidate=candidate, answer=reply)


def _send_invitations(admin: User, invitations: list[Invitation]) -> None:
    """A fictional contact for each invited municipality, and the invitations sent to them four weeks ago."""
    for invitation in invitations:
        municipality = invitation.municipality
        Person.objects.get_or_create(
            email=f"postmottak@{_slug(municipality.name)}.eksempel.invalid",
            defaults={"name": f"Postmottak {municipality.name} (fiktiv)", "municipality": municipality},
        )
    send_invitations(admin, invitations, "http://127.0.0.1:8000/")
    invited_at = timezone.now() - dt.timedelta(days=INVITED_DAYS_AGO)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(invited_at=invited_at)
    InvitationDelivery.objects.filter(invitation__in=invitations).update(at=invited_at)


def _slug(name: str) -> str:
    return name.split(" - ")[0].lower().replace(" ", "-")


def _fictional_delegations(trip: Event, invitations: list[Invitation], admin: User) -> None:
    """Fictional delegates ("(fiktiv)", @eksempel.invalid) filling most quotas, and a few on the waiting list."""
    rng, opening = random.Random(2011), random.Random(23)
    for invitation in invitations:
        count = min(invitation.quota + (1 if invitation.municipality.name == "Oslo" else 0), rng.randint(1, 5))
        if invitation.municipality.name in ("Klepp", "Hamar"):
            continue  # not yet registered: shows up as missing on the delegation overview
        for index in range(count):
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            role = ROLES[index % len(ROLES)]
            municipality = invitation.municipality
            slug = _slug(municipality.name)
            register(
                admin,
                trip,
                municipality,
                {
                    "name": f"{first} {municipality.name.split(' - ')[0]} {index + 1} (fiktiv)",
                    "role": role,
                    "organisation": "Politiet" if role == PersonKind.POLICE else f"{municipality} kommune",
                    "email": f"{first.lower()}.{index + 1}@{slug}.eksempel.invalid",
                    "dietary_needs": rng.choice(["", "", "", "Vegetar", "Glutenfri", "Laktosefri"]),
                    "accessibility_needs": rng.choice(["", "", "", "", "", "Rullestol"]),
                    "overnight": rng.random() > 0.1,
                },
            )
        # The contact opened the invitation's link (some days after it came) and registered the delegation.
        days, hours = opening.randint(2, INVITED_DAYS_AGO - 2), opening.randint(0, 8)
        opened = timezone.now() - dt.timedelta(days=days, hours=hours)
        Invitation.objects.filter(pk=invitation.pk).update(opened_at=opened)
    # Three more for Oslo than its quota allows: they wait for a place.
    oslo = next(i for i in invitations if i.municipality.name == "Oslo")
    taken = Registration.objects.filter(event=trip, municipality=oslo.municipality).count()
    for index in range(taken, oslo.quota + 2):
        register(
            admin,
            trip,
            oslo.municipality,
            {
                "name": f"Vente Listesen {index + 1} (fiktiv)",
                "role": "other",
                "organisation": "Oslo kommune",
                "email": f"vente.{index + 1}@oslo.eksempel.invalid",
            },
        )
