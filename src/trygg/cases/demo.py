"""Two fictional requests for help, clearly labelled, and two reply templates.

Bergen's acute case waits for the municipality (its clocks stand still); Drammen's planning case is in progress.
Everything is invented, titles end in "(fiktiv)", and the rows are written directly (no e-mail is queued). A
second run changes nothing.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, User

from .models import Case, Note, Pause, ReplyTemplate

TEMPLATES = [
    (
        "Takk for henvendelsen",
        "Takk for henvendelsen. KS har mottatt saken og kommer tilbake til dere innen fristen. Skriv gjerne hva "
        "som har skjedd siden dere tok kontakt.",
    ),
    (
        "Forslag om møte i politirådet",
        "Vi foreslår at saken tas opp i politirådet. KS kan stille med en rådgiver og en ekspert fra støtteteamet.",
    ),
]


# Each demo case: its name (for its submission key), municipality, age and fields; Bergen's waits for the municipality.
CASES = [
    (
        "bergen",
        "4601",
        dt.timedelta(hours=30),
        {
            "title": "En 1 %-gruppe vil kjøpe et lagerbygg (fiktiv)",
            "description": "Fiktivt eksempel: en gruppe med tilknytning til et 1 %-miljø har lagt inn bud på et "
            "lagerbygg nær en ungdomsklubb. Kommunen vurderer hva den kan gjøre i plan- og byggesaken.",
            "urgency": "acute",
            "involved": "SLT-koordinator, plan- og bygningsetaten, lokalt politi",
            "done_so_far": "Møte mellom SLT-koordinator og politiets forebyggende avdeling.",
            "status": Case.Status.WAITING,
            "category": "establishment",
        },
    ),
    (
        "drammen",
        "3301",
        dt.timedelta(days=2),
        {
            "title": "Rekruttering ved en ungdomsklubb (fiktiv)",
            "description": "Fiktivt eksempel: ansatte ved en ungdomsklubb har sett eldre ungdommer rekruttere til "
            "et crew. Kommunen ønsker råd om forebyggende tiltak før sommeren.",
            "urgency": "planning",
            "involved": "Ungdomsklubben, SLT-koordinator",
            "done_so_far": "Bekymringssamtaler i regi av SLT.",
            "status": Case.Status.OPEN,
            "category": "recruitment",
        },
    ),
]


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"trygg-demo-case:{name}")


@transaction.atomic
def load():
    if Case.objects.filter(demo=True).exists():
        return
    for title, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(title=title, defaults={"body": body})
    contact, adviser = User.objects.get(username="kontakt"), User.objects.get(username="radgiver")
    now = timezone.now()
    cases = {
        name: _case(name, contact, adviser, Municipality.objects.get(number=number), now - age, fields)
        for name, number, age, fields in CASES
    }
    bergen = cases["bergen"]
    _note(bergen, adviser, Note.Visibility.SHARED, "Takk for henvendelsen. Kan dere sende reguleringsplanen for "
          "tomten og si når budfristen går ut? (fiktivt demonotat)", now - dt.timedelta(hours=28))  # fmt: skip
    _note(bergen, adviser, Note.Visibility.INTERNAL, "Internt: Kripos kjenner til gruppen; spør om de kan stille "
          "i et møte. (fiktivt demonotat)", now - dt.timedelta(hours=27))  # fmt: skip
    Case.objects.filter(pk=bergen.pk).update(
        first_response_at=now - dt.timedelta(hours=28), last_update_at=now - dt.timedelta(hours=28)
    )
    Pause.objects.create(case=bergen, started_at=now - dt.timedelta(hours=28))


def _case(name, contact, adviser, municipality, created, fields) -> Case:
    case = Case.objects.create(
        municipality=municipality,
        requested_by=contact,
        assignee=adviser,
        submission_key=_key(name),
        demo=True,
        **fields,
    )
    Case.objects.filter(pk=case.pk).update(created_at=created)
    case.refresh_from_db()
    return case


def _note(case, author, visibility, body, created) -> None:
    note = Note.objects.create(case=case, author=author, visibility=visibility, body=body)
    Note.objects.filter(pk=note.pk).update(created_at=created)
