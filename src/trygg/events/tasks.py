"""Background work of events: making the discussion groups, which may take the solver seconds."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core.jobs.progress import Failed, job_task

from . import grouping
from .models import Event
from .services import EventError


@job_task
def allocate_groups(progress, event_pk: int, actor_pk: int) -> None:
    event = Event.objects.filter(pk=event_pk).first()
    actor = get_user_model().objects.filter(pk=actor_pk).first()
    if event is None or actor is None:
        raise Failed(_("The event or the user is gone."))
    progress.update(5, _("Finding the groups with the shortest distances …"))
    try:
        result = grouping.allocate_groups(actor, event)
    except EventError as error:
        raise Failed(error.message) from error
    progress.finish(reverse("events:groups", args=[event.pk]), summary(result))


def _km(value: int) -> str:
    return number_format(value, force_grouping=True)


def summary(result: grouping.Grouping) -> str:
    values = {
        "groups": len(result.groups),
        "municipalities": sum(len(group) for group in result.groups),
        "total": _km(result.cost),
        "seconds": number_format(result.seconds, 1),
        "gap": number_format(100 * result.gap, 2),
    }
    if result.optimal:
        message = ngettext(
            "%(groups)d group for %(municipalities)d municipalities, %(total)s km in all: "
            "proven optimal in %(seconds)s s.",
            "%(groups)d groups for %(municipalities)d municipalities, %(total)s km in all: "
            "proven optimal in %(seconds)s s.",
            values["groups"],
        )
    else:
        message = ngettext(
            "%(groups)d group for %(municipalities)d municipalities, %(total)s km in all: the best found "
            "in the time allowed, at most %(gap)s %% above the optimum.",
            "%(groups)d groups for %(municipalities)d municipalities, %(total)s km in all: the best found "
            "in the time allowed, at most %(gap)s %% above the optimum.",
            values["groups"],
        )
    return message % values
