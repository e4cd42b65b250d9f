"""Response targets by urgency (first response, next update, resolution) and the reminders when one is at risk.

A target's clock starts when the case arrives (first response, resolution) or at KS's last shared update (next
update), and stops when met. It stands still while the case waits for the municipality. At a quarter of the target
left the assignee is reminded; at a tenth (or when missed) the reminder goes as an escalation to the assignee and
the leads (KS administrators) too. Each goes once for each clock start.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from trygg.core import mail
from trygg.core.jobs.schedule import once
from trygg.core.models import Role, User

from . import clock
from .models import Case, Pause, Urgency

FIRST_RESPONSE, NEXT_UPDATE, RESOLUTION = "first_response", "next_update", "resolution"
LABELS = {
    FIRST_RESPONSE: _("First response"),
    NEXT_UPDATE: _("Next update"),
    RESOLUTION: _("Resolution"),
}
TARGETS = {
    Urgency.ACUTE: {FIRST_RESPONSE: timedelta(hours=4), NEXT_UPDATE: timedelta(days=1), RESOLUTION: timedelta(days=7)},
    Urgency.SOON: {FIRST_RESPONSE: timedelta(days=1), NEXT_UPDATE: timedelta(days=3), RESOLUTION: timedelta(days=30)},
    Urgency.PLANNING: {
        FIRST_RESPONSE: timedelta(days=3),
        NEXT_UPDATE: timedelta(days=7),
        RESOLUTION: timedelta(days=90),
    },
}
REMIND_AT, ESCALATE_AT = 0.25, 0.10  # share of the target left


@dataclass(frozen=True)
class Clock:
    kind: str
    target: timedelta
    started_at: object
    left: timedelta
    paused: bool

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def missed(self) -> bool:
        return self.left <= timedelta()

    @property
    def state(self) -> str:
        """missed, escalate, remind or ok: the share of the target left."""
        if self.missed:
            return "missed"
        share = self.left / self.target
        return "escalate" if share <= ESCALATE_AT else "remind" if share <= REMIND_AT else "ok"


def _pauses(case: Case) -> list[clock.Interval]:
    return [(pause.started_at, pause.ended_at) for pause in case.pauses.all()]


def running(case: Case, now) -> list[Clock]:
    """The targets whose clocks run (or stand still in a pause) now; none on a closed case."""
    if case.is_closed:
        return []
    targets, pauses = TARGETS[case.urgency], _pauses(case)
    starts = {RESOLUTION: case.created_at}
    if case.first_response_at is None:
        starts[FIRST_RESPONSE] = case.created_at
    else:
        starts[NEXT_UPDATE] = case.last_update_at or case.first_response_at
    paused = case.status == Case.Status.WAITING
    return sorted(
        (
            Clock(kind, targets[kind], start, clock.time_left(start, now, targets[kind], pauses), paused)
            for kind, start in starts.items()
        ),
        key=lambda c: c.left,
    )


def most_urgent(case: Case, now) -> Clock | None:
    clocks = running(case, now)
    return clocks[0] if clocks else None


def leads() -> list[str]:
    return list(
        User.objects.filter(role=Role.KS_ADMIN, is_active=True).exclude(email="").values_list("email", flat=True)
    )


def remind_and_escalate(now) -> None:
    """Periodic: remind the assignee of a target at risk, and escalate to the leads when it is nearly missed."""
    cases = (
        Case.objects.exclude(status=Case.Status.CLOSED)
        .filter(assignee__isnull=False)
        .select_related("assignee", "municipality")
        .prefetch_related(Prefetch("pauses", queryset=Pause.objects.order_by("started_at")))
    )
    for case in cases:
        for target in running(case, now):
            if target.paused or target.state == "ok":
                continue
            escalate = target.state in ("escalate", "missed")
            step = "escalate" if escalate else "remind"
            if not once(f"cases:{step}:{case.pk}:{target.kind}:{target.started_at.isoformat()}"):
                continue
            recipients = {case.assignee.email, *(leads() if escalate else ())} - {""}
            if recipients:
                mail.send_templated(
                    "cases/email/target_subject.txt",
                    "cases/email/target_body.txt",
                    {"case": case, "clock": target, "escalate": escalate},
                    sorted(recipients),
                )
