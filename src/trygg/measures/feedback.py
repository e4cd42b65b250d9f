"""What discussion groups at an event say about carrying a measure over to Norwegian municipalities.

During an event's group work each group records, for the measures it discussed, a transferability level and why.
The groups are the events app's (``grouping.current_groups``), so a municipality KS moves by hand records in its
new group. KS staff record for any group; a municipal contact only for the group their municipality sits in. The
catalogue's editors read the verdicts when they write a measure's transferability reasons.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core import screening
from trygg.core.models import User
from trygg.core.roles import is_ks_staff, is_municipal_contact
from trygg.events.grouping import GroupOverview, current_groups
from trygg.events.models import Event

from .catalogue import MeasureError
from .models import GroupVerdict, Measure, Transferability

REASONS_LIMIT = GroupVerdict._meta.get_field("reasons").max_length
# Added to the screening's message when an identity number is refused.
SCREENING_CONTEXT = gettext_lazy("The groups' assessments are about measures, never about persons.")
screen = screening.validator(SCREENING_CONTEXT)


def recordable_groups(user: User, event: Event, overview: GroupOverview | None = None) -> list[int]:
    """The numbers of the groups ``user`` may record for: all of them for KS staff, a contact's own group(s)."""
    if not user.has_perm("events.view_event", event):
        return []
    overview = overview or current_groups(event)
    if is_ks_staff(user):
        return overview.numbers
    if not is_municipal_contact(user):
        return []
    own = set(user.municipalities.values_list("pk", flat=True))
    return [group.number for group in overview.groups if any(m.municipality.pk in own for m in group.members)]


def may_record(user: User, event: Event, group: int, overview: GroupOverview | None = None) -> bool:
    """Whether ``user`` may record a verdict for group number ``group`` at ``event``."""
    return group in recordable_groups(user, event, overview)


def may_view(user: User, event: Event, overview: GroupOverview | None = None) -> bool:
    """The catalogue's editors (who turn the verdicts into reasons) read them all; a contact, their groups' event."""
    if not user.has_perm("events.view_event", event):
        return False
    return user.has_perm("measures.change_measure") or bool(recordable_groups(user, event, overview))


def record(actor: User, event: Event, group: int, measure: Measure, transferability: str, reasons: str) -> GroupVerdict:
    """Record what group ``group`` said about ``measure``; a group that speaks again replaces its earlier verdict.

    Refused with a message: a group the event does not have, a measure that is not published, a level outside
    the scale, no reasons or an identity number in them. PermissionDenied: the actor may not speak for the group.
    """
    overview = current_groups(event)
    if group not in overview.numbers:
        raise MeasureError(_("There is no group %(group)d at this event.") % {"group": group})
    if not may_record(actor, event, group, overview):
        raise PermissionDenied
    problems = []
    if measure.status != Measure.Status.PUBLISHED:
        problems.append(_("Only published measures can be assessed."))
    if transferability not in Transferability.values:
        problems.append(_("Choose how transferable the measure is: high, medium, low or unknown."))
    reasons = (reasons or "").strip()
    if not reasons:
        problems.append(_("Say why the group judged as it did."))
    elif len(reasons) > REASONS_LIMIT:
        problems.append(
            _("Keep the reasons under %(limit)d characters (now %(count)d).")
            % {"limit": REASONS_LIMIT, "count": len(reasons)}
        )
    try:
        screen(reasons)
    except ValidationError as error:
        problems.append(error.messages[0])
    if problems:
        raise MeasureError(*problems)
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).exists()  # one verdict per group and measure
        verdict = GroupVerdict.objects.filter(event=event, group=group, measure=measure).first()
        if verdict is None:
            verdict = GroupVerdict(event=event, group=group, measure=measure)
        verdict.transferability = transferability
        verdict.reasons = reasons
        verdict.created_by = actor
        verdict.save()
    return verdict


def tally(verdicts: Iterable[GroupVerdict]) -> dict[str, int]:
    """How many verdicts judged each level of transferability, every level present, high first."""
    counts = Counter(verdict.transferability for verdict in verdicts)
    return {level: counts[level] for level in Transferability.values}


def summary(measure: Measure) -> dict[str, int]:
    """What the groups of every event said about ``measure``: the number of groups per transferability level."""
    return tally(measure.group_verdicts.all())


@dataclass(frozen=True)
class MeasureVerdicts:
    """One measure's verdicts at an event, by group number."""

    measure: Measure
    verdicts: list[GroupVerdict]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, number of groups) for the levels some group chose, high first."""
        return [(Transferability(level).label, n) for level, n in tally(self.verdicts).items() if n]


def at_event(user: User, event: Event) -> list[MeasureVerdicts]:
    """What the groups said at ``event``, by measure (by name); only editors see verdicts on unpublished measures."""
    verdicts = GroupVerdict.objects.filter(event=event).select_related("measure").order_by("measure__name", "group")
    if not user.has_perm("measures.view_drafts"):
        verdicts = verdicts.filter(measure__status=Measure.Status.PUBLISHED)
    by_measure: dict[int, MeasureVerdicts] = {}
    for verdict in verdicts:
        entry = by_measure.setdefault(verdict.measure_id, MeasureVerdicts(verdict.measure, []))
        entry.verdicts.append(verdict)
    return list(by_measure.values())
