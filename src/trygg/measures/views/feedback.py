"""The group-work form at an event: each discussion group records how well measures carry over, and sees what the
other groups said. Who may record for which group is ``feedback.may_record``'s to judge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.events.grouping import current_groups
from trygg.events.models import Event

from .. import feedback
from ..catalogue import MeasureError
from ..forms_feedback import GroupVerdictForm


def _group_label(group) -> str:
    members = ", ".join(member.municipality.name for member in group.members)
    return _("Group %(number)d: %(members)s") % {"number": group.number, "members": members}


@login_required
@require_http_methods(["GET", "POST"])
def group_verdicts(request, event_pk):
    """GET: the form (for those who may record) and what the groups said; POST: record one group's verdict."""
    user = request.user
    event = get_object_or_404(Event, pk=event_pk)
    if not user.has_perm("events.view_event", event):
        raise Http404
    overview = current_groups(event)
    if not feedback.may_view(user, event, overview):
        raise PermissionDenied
    mine = feedback.recordable_groups(user, event, overview)
    if request.method == "POST" and not mine:
        raise PermissionDenied
    choices = [(group.number, _group_label(group)) for group in overview.groups if group.number in mine]
    if len(choices) > 1:
        choices.insert(0, ("", _("— choose the group —")))
    url = reverse("measures:group_verdicts", args=[event.pk])
    status = 200
    if request.method == "POST":
        form = GroupVerdictForm(request.POST, groups=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                verdict = feedback.record(
                    user, event, data["group"], data["measure"], data["transferability"], data["reasons"]
                )
            except PermissionDenied:
                form.add_error("group", _("You may record only for the group your municipality sits in."))
                status = 403
            except MeasureError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Group %(group)d's assessment of “%(measure)s” was saved.")
                    % {"group": verdict.group, "measure": verdict.measure.name},
                )
                return redirect(f"{url}?group={verdict.group}")
    else:
        chosen = request.GET.get("group", "")
        initial = {"group": int(chosen)} if chosen.isdigit() and int(chosen) in mine else {}
        form = GroupVerdictForm(initial=initial, groups=choices)
    members = {group.number: _group_label(group) for group in overview.groups}
    results = feedback.at_event(user, event)
    for entry in results:
        for verdict in entry.verdicts:
            verdict.label = members.get(verdict.group) or _("Group %(number)d") % {"number": verdict.group}
    return render(
        request,
        "measures/group_verdicts.html",
        {"event": event, "form": form if mine else None, "has_groups": bool(overview.groups), "results": results},
        status=status,
    )


urlpatterns = [
    path("arrangement/<int:event_pk>/gruppevurderinger/", group_verdicts, name="group_verdicts"),
]
