"""The event itself: list, overview with programme, create and edit, status, support team."""

from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trygg.core.models import SupportMember
from trygg.core.permissions import permission_required

from .. import services
from ..forms import CancelEventForm, EventForm, StatusForm, SupportMemberForm
from ..models import Event, Invitation


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
        "support_team": event.support_members(),
        "can_change": user.has_perm("events.change_event", event),
        "can_see_registrations": user.has_perm("events.view_registrations", event),
        "deadline_passed": services.registration_deadline_passed(event),
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
        event = services.create_event(request.user, **form.cleaned_data)
        messages.success(request, _("The event was created as a draft. Add the programme and invitations."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@permission_required("events.change_event", fn=get_event)
def event_update(request, pk):
    """Edit the event. New dates move the programme: the page first shows what moves and who is told."""
    event = get_object_or_404(Event, pk=pk)
    capacity_before, dates_before = event.capacity, (event.start_date, event.end_date)
    form = EventForm(request.POST or None, instance=event)
    plan = None
    if request.method == "POST" and form.is_valid():
        plan = services.plan_reschedule(event, *dates_before)
        if plan and plan.outside:
            form.add_error(None, services.outside_message(plan))
        elif plan is None or request.POST.get("confirm_dates") == _dates_key(event):
            # Confirmed for exactly these dates; other new dates are shown again first.
            return _save_event(request, form, capacity_before, dates_before)
    context = {"form": form, "event": event, "reschedule": plan, "dates_key": _dates_key(event)}
    return render(request, "events/event_form.html", context)


def _dates_key(event) -> str:
    return f"{event.start_date}:{event.end_date}"


def _save_event(request, form, capacity_before, dates_before):
    event = form.instance
    capacity = form.cleaned_data["capacity"]
    try:
        with transaction.atomic():
            # Capacity is guarded by the registration lock: below the confirmed count is refused.
            if capacity != capacity_before:
                services.set_capacity(request.user, event, capacity)
            form.save()
            plan = services.reschedule(request.user, event, *dates_before)
    except services.EventError as error:
        form.add_error("capacity" if capacity != capacity_before else None, error.message)
        return render(request, "events/event_form.html", {"form": form, "event": event})
    messages.success(request, _("The event was saved."))
    if plan:
        messages.info(
            request,
            ngettext(
                "The programme moved with the new dates; %(count)d registered person was told.",
                "The programme moved with the new dates; %(count)d registered people were told.",
                plan.registered,
            )
            % {"count": plan.registered},
        )
    return redirect(event)


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
def event_cancel(request, pk):
    """Ask first; then cancel the event and tell everyone registered. The event and its history stay."""
    event = get_object_or_404(Event, pk=pk)
    form = CancelEventForm(request.POST or None)
    if event.status == Event.Status.CANCELLED:
        messages.info(request, _("The event is already cancelled."))
        return redirect(event)
    if request.method == "POST" and form.is_valid():
        told = services.cancel_event(request.user, event, form.cleaned_data["message"])
        messages.success(
            request,
            ngettext(
                "The event is cancelled; %(count)d registered person was told.",
                "The event is cancelled; %(count)d registered people were told.",
                told,
            )
            % {"count": told},
        )
        return redirect(event)
    registered = event.registrations.exclude(status="cancelled").count()
    return render(request, "events/event_cancel.html", {"event": event, "form": form, "registered": registered})


@permission_required("events.change_event", fn=get_event)
def event_delete(request, pk):
    """Ask first; then delete a draft. Anything past a draft is cancelled instead, so that its history stays."""
    event = get_object_or_404(Event, pk=pk)
    if event.status != Event.Status.DRAFT:
        messages.error(request, _("Only a draft can be deleted. Cancel the event instead."))
        return redirect(event)
    if request.method == "POST":
        title = event.title
        services.delete_draft(request.user, event)
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": title})
        return redirect("events:list")
    return render(request, "events/event_delete.html", {"event": event})


@permission_required("events.change_event", fn=get_event)
def support_team(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = SupportMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.team = services.support_team_of(event)
        member.order = member.team.members.count()
        member.save()
        messages.success(request, _("Added to the support team."))
        return redirect("events:support_team", pk=event.pk)
    members = event.support_members()
    return render(request, "events/support_team.html", {"event": event, "form": form, "members": members})


@require_POST
@permission_required("events.change_event", fn=get_event)
def support_member_delete(request, pk, member_pk):
    get_object_or_404(SupportMember, pk=member_pk, team__event__pk=pk).delete()
    messages.success(request, _("Removed from the support team."))
    return redirect("events:support_team", pk=pk)


urlpatterns = [
    path("", event_list, name="list"),
    path("ny/", event_create, name="create"),
    path("<int:pk>/", event_detail, name="detail"),
    path("<int:pk>/endre/", event_update, name="update"),
    path("<int:pk>/status/", event_status, name="status"),
    path("<int:pk>/avlys/", event_cancel, name="cancel"),
    path("<int:pk>/slett/", event_delete, name="delete"),
    path("<int:pk>/stotteteam/", support_team, name="support_team"),
    path("<int:pk>/stotteteam/<int:member_pk>/fjern/", support_member_delete, name="support_member_delete"),
]
