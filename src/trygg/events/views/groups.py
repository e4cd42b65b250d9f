"""The group work: KS makes the discussion groups, moves municipalities by hand, and prints the groups."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.audit import record_read
from trygg.core.jobs import progress
from trygg.core.models import Municipality
from trygg.core.permissions import permission_required

from .. import grouping, tasks
from ..models import Event
from ..services import EventError
from .events import get_event


def _km(value: int, signed: bool = False) -> str:
    """Whole km grouped as the language writes numbers (1 270 or 1,270), with a sign for a change."""
    sign = ("+" if value >= 0 else "−") if signed else ""
    return sign + number_format(abs(value) if signed else value, force_grouping=True)


class MoveForm(forms.Form):
    """Which municipality goes to which group; the service judges whether the move makes sense."""

    municipality = forms.IntegerField(min_value=1)
    group = forms.IntegerField(min_value=1, max_value=32767)


@require_http_methods(["GET", "POST"])
@permission_required("events.view_registrations", fn=get_event)
def groups(request, pk):
    """GET shows the groups; POST (KS staff) makes them again from scratch."""
    if request.method == "POST":
        return _allocate(request, pk=pk)
    event = get_object_or_404(Event, pk=pk)
    return render(
        request,
        "events/groups.html",
        {
            "event": event,
            "overview": grouping.current_groups(event),
            "can_change": request.user.has_perm("events.change_event", event),
        },
    )


@permission_required("events.change_event", fn=get_event)
def _allocate(request, pk):
    """The solver may take seconds: the worker makes the groups while KS watches, then lands on this page."""
    event = get_object_or_404(Event, pk=pk)
    job = progress.start(
        request.user,
        _("Discussion groups for %(event)s") % {"event": event.title},
        tasks.allocate_groups,
        event.pk,
        request.user.pk,
    )
    return redirect(progress.url(job))


@require_POST
@permission_required("events.change_event", fn=get_event)
def group_move(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = MoveForm(request.POST)
    municipality = None
    if form.is_valid():
        municipality = Municipality.objects.filter(pk=form.cleaned_data["municipality"]).first()
    if municipality is None:
        messages.error(request, _("Choose a municipality and the number of the group to move it to."))
        return redirect("events:groups", pk=pk)
    try:
        move = grouping.move_municipality(request.user, event, municipality, form.cleaned_data["group"])
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(municipality)s is now in group %(group)d. Total distance: %(total)s km (%(change)s km).")
            % {
                "municipality": municipality,
                "group": move.group,
                "total": _km(move.total),
                "change": _km(move.change, signed=True),
            },
        )
    return redirect("events:groups", pk=pk)


@never_cache
@require_GET
@permission_required("events.view_registrations", fn=get_event)
def groups_print(request, pk):
    """The groups on paper for the day: municipalities and their delegates. It lists people, so it is audited."""
    event = get_object_or_404(Event, pk=pk)
    record_read(event)
    return render(
        request,
        "events/groups_print.html",
        {
            "event": event,
            "overview": grouping.current_groups(event),
            "sessions": grouping.group_work_items(event),
        },
    )


urlpatterns = [
    path("<int:pk>/grupper/", groups, name="groups"),
    path("<int:pk>/grupper/flytt/", group_move, name="group_move"),
    path("<int:pk>/grupper/utskrift/", groups_print, name="groups_print"),
]
