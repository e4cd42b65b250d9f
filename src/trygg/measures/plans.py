"""A municipality's plans: measures chosen from the advice, saved with the reasons they were proposed for.

The advice is computed again when a plan is saved (never taken from the browser), and the reasons, warnings and
situation are frozen into the plan: later changes to the catalogue or the rules do not rewrite what a municipality
decided on. Services take the acting user explicitly and know nothing of HTTP.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.core import documents, legal, screening
from trygg.core.models import Municipality, User
from trygg.core.validation import visible

from .advice import Situation, advise
from .models import Plan, PlanItem, Transferability, Verdict

TYPST_DIR = Path(__file__).parent / "typst"
TITLE_LIMIT = Plan._meta.get_field("title").max_length
NOTES_LIMIT = Plan._meta.get_field("notes").max_length


class PlanError(Exception):
    """The plan could not be saved; ``messages`` are for the user, in their language."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = list(messages)


def visible_plans(user) -> QuerySet[Plan]:
    """KS staff and mapping partners see every plan; a contact, those of the municipalities they act for."""
    plans = Plan.objects.select_related("municipality", "created_by")
    if user.has_perm("measures.view_plan"):
        return plans
    if not user.is_authenticated:
        return plans.none()
    return plans.filter(municipality__in=user.municipalities.all())


def save_plan(
    actor: User, municipality: Municipality, situation: Situation, chosen_keys: list[str], title: str, notes: str
) -> Plan:
    """Save the chosen proposals, best first, each with the reasons and warnings the advice gave it right now."""
    advice = advise(situation)
    proposals = {p.measure.key: p for p in advice.proposals}
    problems = []
    title, notes = (title or "").strip(), (notes or "").strip()
    if not visible(title):
        problems.append(_("Give the plan a title."))
    elif len(title) > TITLE_LIMIT:
        problems.append(_("The title can be at most %(limit)s characters.") % {"limit": TITLE_LIMIT})
    if len(notes) > NOTES_LIMIT:
        problems.append(_("The notes can be at most %(limit)s characters.") % {"limit": NOTES_LIMIT})
    if screening.contains_identity_number(f"{title} {notes}"):
        problems.append(str(screening.IDENTITY_NUMBER_REFUSED))
    if not chosen_keys:
        problems.append(_("Choose at least one measure for the plan."))
    unknown = [key for key in chosen_keys if key not in proposals]
    if unknown:
        problems.append(
            _("These measures are no longer among the proposals: %(keys)s. Reload the page and choose again.")
            % {"keys": ", ".join(unknown)}
        )
    if problems:
        raise PlanError(*problems)
    chosen = [p for p in advice.proposals if p.measure.key in chosen_keys]
    record = situation.as_dict() | {
        "summary": [list(line) for line in situation.summary()],
        "proposals": {p.measure.key: {"score": p.score, "warnings": p.warnings} for p in chosen},
    }
    with transaction.atomic():
        plan = Plan.objects.create(
            municipality=municipality, title=title, notes=notes, situation=record, created_by=actor
        )
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, measure=p.measure, reasons=[str(r) for r in p.reasons], position=position)
            for position, p in enumerate(chosen)
        )
    return plan


def items(plan: Plan) -> list[dict]:
    """The plan's measures with their frozen reasons, score and warnings, for the page and the PDF."""
    frozen = plan.situation.get("proposals", {})
    return [
        {
            "measure": item.measure,
            "reasons": item.reasons,
            "score": frozen.get(item.measure.key, {}).get("score"),
            "warnings": frozen.get(item.measure.key, {}).get("warnings", []),
        }
        for item in plan.items.select_related("measure")
    ]


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def plan_pdf(plan: Plan, site_url: str = "") -> bytes:
    """The plan on A4 to print and take to a meeting; ``site_url`` ("https://…") makes the measure links whole."""
    created = timezone.localtime(plan.created_at).date()
    confidential = bool(plan.situation.get("round"))  # built on a report, "what if" or not
    data = {
        "lang": _language(),
        "author": "KS",
        "title": plan.title,
        "municipality": plan.municipality.name,
        "kicker": _("Plan of measures"),
        "date": _("Saved %(date)s") % {"date": formats.date_format(created)},
        "confidential": _("Built on a situation report. %(notice)s") % {"notice": legal.report_exemption()}
        if confidential
        else "",
        "demo": _("Fictional demo data: the answers are invented.") if plan.situation.get("demo") else "",
        "summary": [{"label": label, "value": value} for label, value in plan.situation.get("summary", [])],
        "notes": plan.notes,
        "items": [
            {
                "name": entry["measure"].name,
                "summary": entry["measure"].summary,
                "url": site_url.rstrip("/") + entry["measure"].get_absolute_url(),
                "facts": _("Evidence: %(verdict)s · Transferability: %(transferability)s · Score: %(score)s")
                % {
                    "verdict": Verdict(entry["measure"].verdict).label if entry["measure"].verdict else "–",
                    "transferability": Transferability(entry["measure"].transferability).label,
                    "score": entry["score"] if entry["score"] is not None else "–",
                },
                "reasons": entry["reasons"],
                "warnings": entry["warnings"],
            }
            for entry in items(plan)
        ],
        "labels": {
            "page": _("Page %(page)s of %(total)s"),
            "situation": _("The situation"),
            "measures": _("The measures"),
            "why": _("Why it was proposed"),
            "warnings": _("Warnings"),
            "notes": _("Notes"),
            "link": _("More about the measure:"),
            "footer": _("The points in brackets are the transparent rules' score for each reason."),
        },
    }
    return documents.typeset(TYPST_DIR, "plan.typ", data)
