"""Every rule and every write of case work: asking for help, triage, experts, notes, status and the clock.

Services take the acting user explicitly. What a user may read of a case's timeline is decided here
(``timeline``), and every page, e-mail and API answer takes it from here, so an internal note cannot leak by
one door forgetting the rule.
"""

import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core import mail, screening
from trygg.core.models import Area, Municipality, Role, SupportMember, User
from trygg.core.validation import VISIBLE

from . import targets
from .models import Case, Category, Note, Pause, Urgency

SCREENING_CONTEXT = _("Describe the situation without naming private persons.")
KEY_TAKEN = _("This submission key belongs to another request. Make a new key for a new request.")
CLOSED_REFUSED = _("This case is closed. Reopen it before adding a note.")
REPEATS_INTERNAL = _(
    "This shared note repeats an internal note word for word. Write it in your own words for the municipality, "
    "or keep it internal."
)
# A shared note that contains a sentence this long from an internal note repeats it.
_QUOTE_LENGTH = 25
_VISIBLE = re.compile(VISIBLE)
_SENTENCES = re.compile(r"[.!?\n]+")


def visible_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may open: the same rule as ``cases.view_case``, as a query."""
    cases = Case.objects.select_related("municipality", "assignee")
    if not user.is_authenticated:
        return cases.none()
    if user.role == Role.KS_ADMIN:
        return cases
    own = Q(assignee=user) | Q(experts=user)
    if user.role == Role.KS_ADVISER:
        return cases.filter(Q(confidential=False) | own).distinct()
    if user.role == Role.MUNICIPAL_CONTACT:
        return cases.filter(municipality__in=user.municipalities.all())
    return cases.filter(own).distinct()


def may_be_assigned(user: User) -> bool:
    return user.is_active and user.is_ks_staff


def may_be_expert(user: User) -> bool:
    """KS staff, or a partner KS has granted the cases area (police, research)."""
    return user.is_active and (
        user.is_ks_staff or (user.role == Role.PARTNER and Area.CASES in (user.partner_areas or []))
    )


def assignable() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.KS_ADMIN, Role.KS_ADVISER]).order_by("username")


def expert_candidates(case: Case) -> list[tuple[User, str]]:
    """(user, label) for everyone who may be drawn in: members of a support team first, named with their team.

    A support team (core's, an event's today) lists people; a person is drawn in through their login, which has the
    same e-mail address (core's ``login_for``).
    """
    # JSON containment is not a lookup SQLite has; partners are few.
    partners = [u.pk for u in User.objects.filter(role=Role.PARTNER, is_active=True) if may_be_expert(u)]
    people = User.objects.filter(Q(pk__in=assignable()) | Q(pk__in=partners)).exclude(pk__in=case.experts.values("pk"))
    teams = {}
    named = SupportMember.objects.filter(person__isnull=False).exclude(person__email="")  # not placeholders
    for member in named.select_related("person", "team"):
        teams.setdefault(member.person.email.casefold(), f"{member.team.name}: {member.role}".rstrip(": "))
    rows = [(user, teams.get(user.email.casefold(), "")) for user in people]
    rows.sort(key=lambda row: (not row[1], _name(row[0]).casefold()))
    return [(user, f"{_name(user)} ({team})" if team else _name(user)) for user, team in rows]


def _screen(*texts: str) -> None:
    for text in texts:
        screening.refuse_identity_numbers(text, SCREENING_CONTEXT)


def submit(user, *, municipality: Municipality, submission_key: uuid.UUID, **fields) -> tuple[Case, bool]:
    """Ask KS for help; (case, created). The same ``submission_key`` again (a double click) finds the first case."""
    if not user.has_perm("cases.add_case") or not user.municipalities.filter(pk=municipality.pk).exists():
        raise PermissionDenied
    existing = _submitted(user, submission_key)
    if existing:
        return existing, False
    _screen(fields.get("title", ""), fields.get("description", ""), fields.get("involved", ""),
            fields.get("done_so_far", ""))  # fmt: skip
    case = Case(municipality=municipality, requested_by=user, submission_key=submission_key, **fields)
    case.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # The same key at the same moment from another request: that one won.
        return _submitted(user, submission_key), False
    _notify(
        case,
        targets.leads(),
        "cases/email/new_subject.txt",
        "cases/email/new_body.txt",
    )
    return case, True


def _submitted(user, submission_key: uuid.UUID) -> Case | None:
    """The case already sent with this key; a key another user sent is refused (code ``key_taken``)."""
    case = Case.objects.filter(submission_key=submission_key).first()
    if case is not None and case.requested_by_id != user.pk:
        raise ValidationError(KEY_TAKEN, code="key_taken")
    return case


def _ks_only(user, case: Case, perm: str = "cases.triage") -> None:
    if not user.has_perm(perm, case):
        raise PermissionDenied


def _action(user, case: Case, action: str, visibility: str, **data) -> Note:
    return Note.objects.create(case=case, author=user, action=action, visibility=visibility, data=data)


@transaction.atomic
def triage(user, case: Case, *, category: str, urgency: str, assignee: User | None) -> Case:
    """Set category, urgency and assignee; an assignee who may not work cases is refused."""
    _ks_only(user, case)
    if assignee is not None and not may_be_assigned(assignee):
        raise ValidationError({"assignee": _("Only active KS staff can be assigned a case.")})
    if category not in Category.values or urgency not in Urgency.values:
        raise ValidationError(_("Choose a category and an urgency from the lists."))
    case.category, case.urgency, case.assignee = category, urgency, assignee
    if case.status == Case.Status.NEW:
        case.status = Case.Status.OPEN
    case.save(update_fields=["category", "urgency", "assignee", "status"])
    _action(
        user,
        case,
        Note.Action.TRIAGED,
        Note.Visibility.INTERNAL,
        category=category,
        urgency=urgency,
        assignee=_name(assignee) if assignee else "",
    )
    if assignee is not None and assignee != user:
        _notify(case, [assignee.email], "cases/email/assigned_subject.txt", "cases/email/assigned_body.txt")
    return case


@transaction.atomic
def add_expert(user, case: Case, expert: User) -> None:
    """Draw in an expert from KS or a partner granted the cases area; anyone else is refused."""
    _ks_only(user, case)
    if not may_be_expert(expert):
        raise ValidationError(
            {"expert": _("This person has no access to cases. KS must grant the partner the cases area first.")}
        )
    if case.experts.filter(pk=expert.pk).exists():
        return
    case.experts.add(expert)
    _action(user, case, Note.Action.EXPERT, Note.Visibility.INTERNAL, expert=_name(expert))
    _notify(case, [expert.email], "cases/email/expert_subject.txt", "cases/email/expert_body.txt")


def _repeats_internal(case: Case, body: str) -> bool:
    folded = " ".join(body.casefold().split())
    for internal in case.notes.filter(visibility=Note.Visibility.INTERNAL, action="").values_list("body", flat=True):
        for sentence in _SENTENCES.split(internal):
            sentence = " ".join(sentence.casefold().split())
            if len(sentence) >= _QUOTE_LENGTH and sentence in folded:
                return True
    return False


@transaction.atomic
def add_note(user, case: Case, body: str, visibility: str) -> Note:
    """A note on the timeline. The municipality's notes are always shared, and answer a question KS asked."""
    if not user.has_perm("cases.add_note", case):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise ValidationError(CLOSED_REFUSED)
    ks_side = user.has_perm("cases.view_internal", case)
    if not ks_side:
        visibility = Note.Visibility.SHARED
    if visibility not in Note.Visibility.values:
        raise ValidationError({"visibility": _("Choose whether the note is internal or shared.")})
    if not _VISIBLE.search(body or ""):
        raise ValidationError({"body": _("Write the note.")})
    _screen(body)
    if visibility == Note.Visibility.SHARED and ks_side and _repeats_internal(case, body):
        raise ValidationError({"body": REPEATS_INTERNAL})
    note = Note.objects.create(case=case, author=user, body=body, visibility=visibility)
    now = note.created_at
    if ks_side and visibility == Note.Visibility.SHARED:
        case.first_response_at = case.first_response_at or now
        case.last_update_at = now
        case.save(update_fields=["first_response_at", "last_update_at"])
        _notify(case, _municipality_emails(case), "cases/email/reply_subject.txt", "cases/email/reply_body.txt",
                note=note)  # fmt: skip
    elif not ks_side:
        if case.status == Case.Status.WAITING:
            _set_status(user, case, Case.Status.OPEN, now)
        _notify(case, _ks_emails(case, user), "cases/email/answer_subject.txt", "cases/email/answer_body.txt")
    else:
        _notify(case, _ks_emails(case, user), "cases/email/internal_subject.txt", "cases/email/internal_body.txt")
    return note


@transaction.atomic
def set_status(user, case: Case, status: str) -> Case:
    """KS moves the case: in progress, waiting for the municipality (the clock pauses), closed, or reopened."""
    _ks_only(user, case, "cases.view_internal")
    if status not in (Case.Status.OPEN, Case.Status.WAITING, Case.Status.CLOSED):
        raise ValidationError({"status": _("Choose a status from the list.")})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status != case.status:
        _set_status(user, case, status, timezone.now())
    return case


@transaction.atomic
def set_confidential(user, case: Case, confidential: bool) -> Case:
    """KS opens or closes a case to KS staff who are neither assigned nor drawn in.

    The change is in the audit trail (django-auditlog records the field's old and new value, and who) and on the
    internal timeline.
    """
    _ks_only(user, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.confidential != confidential:
        case.confidential = confidential
        case.save(update_fields=["confidential"])
        _action(user, case, Note.Action.CONFIDENTIAL, Note.Visibility.INTERNAL, confidential=confidential)
    return case


def _set_status(user, case: Case, status: str, now) -> None:
    if case.status == Case.Status.WAITING:
        Pause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    if status == Case.Status.WAITING:
        Pause.objects.create(case=case, started_at=now)
    case.closed_at = now if status == Case.Status.CLOSED else None
    case.status = status
    case.save(update_fields=["status", "closed_at"])
    _action(user, case, Note.Action.STATUS, Note.Visibility.SHARED, status=status)


def timeline(case: Case, user) -> list[Note]:
    """The notes ``user`` may read: everything for the KS side, shared notes only for the municipality."""
    notes = case.notes.select_related("author")
    if not user.has_perm("cases.view_internal", case):
        notes = notes.filter(visibility=Note.Visibility.SHARED)
    return list(notes)


def describe(note: Note) -> str:
    """A note's text; an action's in the reader's language, from the values it kept."""
    data = note.data
    if note.action == Note.Action.TRIAGED:
        text = _("Triaged: %(category)s, %(urgency)s.") % {
            "category": Category(data["category"]).label,
            "urgency": Urgency(data["urgency"]).label,
        }
        if data.get("assignee"):
            text = f"{text} " + _("Assigned to %(name)s.") % {"name": data["assignee"]}
        return text
    if note.action == Note.Action.EXPERT:
        return _("%(name)s was drawn in as an expert.") % {"name": data["expert"]}
    if note.action == Note.Action.CONFIDENTIAL:
        return str(_("Made confidential.") if data["confidential"] else _("No longer confidential."))
    if note.action == Note.Action.STATUS:
        return _("Status: %(status)s.") % {"status": Case.Status(data["status"]).label}
    return note.body


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def author_label(note: Note, viewer) -> str:
    """Who wrote a note; the municipality sees "KS" for the KS side, never the names of experts drawn in."""
    if note.author is None:
        return str(_("Trygg"))
    if viewer.has_perm("cases.view_internal", note.case) or note.author.role == Role.MUNICIPAL_CONTACT:
        return _name(note.author)
    return str(_("KS"))


def _municipality_emails(case: Case) -> list[str]:
    contacts = case.municipality.contacts.filter(is_active=True, role=Role.MUNICIPAL_CONTACT)
    return list(contacts.exclude(email="").values_list("email", flat=True))


def _ks_emails(case: Case, author) -> list[str]:
    people = [case.assignee, *case.experts.all()] if case.assignee else []
    emails = {p.email for p in people if p is not None and p != author} or set(targets.leads())
    return sorted(emails - {"", getattr(author, "email", "")})


def _notify(case: Case, to, subject: str, body: str, **context) -> None:
    """Queue an e-mail about ``case``; it names the case and links to it, and shows only what the template does."""
    to = sorted({address for address in to if address})
    if to:
        mail.send_templated(
            subject, body, {"case": case, "url": reverse("cases:detail", args=[case.pk]), **context}, to
        )
