"""The event itself: list, overview with programme, create and edit, status, support team."""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required

from .. import services
from ..forms import EventForm, StatusForm, SupportMemberForm
from ..models import Event, Invitation, SupportMember


def get_event(request, pk, **kwargs):
    return get_object_or_404(Event, pk=pk)


def event_list(request):
    events = Event.objects.prefetch_related("organisers")
    if not request.user.has_perm("events.view_registrations"):
        events = events.exclude(status=Event.Status.DRAFT)
    kind = request.GET.get("kind", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    return render(
        request,
        "events/event_list.html",
        {"events": events, "kinds": Event.Kind.choices, "kind": kind},
    )


@permission_required("events.view_event", fn=get_event)
def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("follows"), pk=pk)
    user = request.user
    context = {
        "event": event,
        "days": services.timetable(event),
        "support_team": event.support_team.select_related("person", "organisation"),
        "can_change": user.has_perm("events.change_event", event),
        "can_see_registrations": user.has_perm("events.view_registrations", event),
        # Other apps' parts of the event (the mapping round it requires, the group work on measures).
        "panels": [
            panel
            for config in apps.get_app_configs()
            if hasattr(config, "event_panel") and (panel := config.event_panel(user, event))
        ],
    }
    if context["can_change"]:
        context["warnings"] = services.programme_warnings(event)
        context["status_form"] = StatusForm(initial={"status": event.status})
    if context["can_see_registrations"]:
        context["delegations"] = services.delegations(event)
        context["confirmed_count"] = services.confirmed(event).count()
    elif user.is_authenticated:
        context["my_invitations"] = Invitation.objects.filter(
            event=event, municipality__in=user.municipalities.all()
        ).select_related("municipality", "tier")
    return render(request, "events/event_detail.html", context)


@permission_required("events.add_event")
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.created_by = request.user
        event.save()
        form.save_m2m()
        messages.success(request, _("The event was created as a draft. Add the programme and invitations."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@permission_required("events.change_event", fn=get_event)
def event_update(request, pk):
    event = get_object_or_404(Event, pk=pk)
    capacity_before = event.capacity
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        capacity = form.cleaned_data["capacity"]
        try:
            # Capacity is guarded by the registration lock: below the confirmed count is refused.
            services.set_capacity(request.user, event, capacity) if capacity != capacity_before else None
        except services.EventError as error:
            form.add_error("capacity", error.message)
        else:
            form.save()
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_POST
@permission_required("events.change_event", fn=get_event)
def event_status(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        event.status = form.cleaned_data["status"]
        event.save(update_fields=["status", "updated_at"])
        messages.success(request, _("Status changed to “%(status)s”.") % {"status": event.get_status_display()})
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(event)


@permission_required("events.change_event", fn=get_event)
def support_team(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = SupportMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.event = event
        member.order = event.support_team.count()
        member.save()
        messages.success(request, _("Added to the support team."))
        return redirect("events:support_team", pk=event.pk)
    members = event.support_team.select_related("person", "organisation")
    return render(request, "events/support_team.html", {"event": event, "form": form, "members": members})


@require_POST
@permission_required("events.change_event", fn=get_event)
def support_member_delete(request, pk, member_pk):
    get_object_or_404(SupportMember, pk=member_pk, event_id=pk).delete()
    messages.success(request, _("Removed from the support team."))
    return redirect("events:support_team", pk=pk)


urlpatterns = [
    path("", event_list, name="list"),
    path("ny/", event_create, name="create"),
    path("<int:pk>/", event_detail, name="detail"),
    path("<int:pk>/endre/", event_update, name="update"),
    path("<int:pk>/status/", event_status, name="status"),
    path("<int:pk>/stotteteam/", support_team, name="support_team"),
    path("<int:pk>/stotteteam/<int:member_pk>/fjern/", support_member_delete, name="support_member_delete"),
]
