"""Invitations with quotas, each municipality's delegation, the participant list and the waiting list."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.core.services import resolve_municipality

from .. import emails, services
from ..forms import (
    CapacityForm,
    GuestRegistrationForm,
    InviteForm,
    LinkedInviteForm,
    QuotaForm,
    RegistrationForm,
    TierForm,
)
from ..models import Event, Invitation, Registration
from .events import get_event


def get_invitation(request, pk, number, **kwargs):
    return get_object_or_404(
        Invitation.objects.select_related("event", "municipality", "tier"),
        event_id=pk,
        municipality__number=number,
    )


def get_registration_invitation(request, pk, registration_pk, **kwargs):
    """The invitation a registration counts against; KS-only guests (no municipality) need KS rights."""
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    invitation = Invitation.objects.filter(event_id=pk, municipality_id=registration.municipality_id).first()
    return invitation or Invitation(event=registration.event)


@permission_required("events.manage_registrations", fn=get_event)
def invitations(request, pk):
    event = get_object_or_404(Event, pk=pk)
    tier_form = TierForm(request.POST if "add_tier" in request.POST else None, prefix="tier")
    invite_form = InviteForm(request.POST if "invite" in request.POST else None, event=event, prefix="invite")
    capacity_form = CapacityForm(
        request.POST if "capacity" in request.POST else None,
        initial={"capacity": event.capacity},
        prefix="cap",
    )
    if request.method == "POST":
        if "add_tier" in request.POST and tier_form.is_valid():
            tier = tier_form.save(commit=False)
            tier.event, tier.order = event, event.tiers.count()
            tier.save()
            messages.success(request, _("The tier “%(name)s” was added.") % {"name": tier.name})
            return redirect("events:invitations", pk=pk)
        if "invite" in request.POST and invite_form.is_valid():
            _invite(request, event, invite_form)
            if not invite_form.errors:
                return redirect("events:invitations", pk=pk)
        if "capacity" in request.POST and capacity_form.is_valid():
            try:
                services.set_capacity(request.user, event, capacity_form.cleaned_data["capacity"])
            except services.EventError as error:
                capacity_form.add_error("capacity", error.message)
            else:
                messages.success(request, _("The venue capacity was saved."))
                return redirect("events:invitations", pk=pk)
    return render(
        request,
        "events/invitations.html",
        {
            "event": event,
            "delegations": services.delegations(event),
            "confirmed_count": services.confirmed(event).count(),
            "tier_form": tier_form,
            "invite_form": invite_form,
            "capacity_form": capacity_form,
            "tiers": event.tiers.all(),
        },
    )


def _invite(request, event, form):
    """Invite each named municipality; unknown names are reported on the form, known ones are invited."""
    unknown, invited = [], []
    for name in filter(None, (part.strip() for part in re.split(r"[,\n;]", form.cleaned_data["municipalities"]))):
        municipality = resolve_municipality(name)
        if municipality is None:
            unknown.append(name)
            continue
        _invitation, created = Invitation.objects.get_or_create(
            event=event, municipality=municipality, defaults={"tier": form.cleaned_data["tier"]}
        )
        if created:
            invited.append(municipality.name)
    if invited:
        messages.success(request, _("Invited: %(names)s.") % {"names": ", ".join(invited)})
    if unknown:
        form.add_error(
            "municipalities",
            _("We found no municipality called: %(names)s. Check the spelling.") % {"names": ", ".join(unknown)},
        )


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def send_invitations(request, pk):
    event = get_object_or_404(Event, pk=pk)
    pending = event.invitations.filter(invited_at__isnull=True).select_related("municipality", "tier")
    written = 0
    for invitation in pending:
        written += emails.send_invitation(invitation)
        invitation.invited_at = timezone.now()
        invitation.save(update_fields=["invited_at"])
    messages.success(
        request,
        ngettext(
            "Invitations sent to %(count)d municipal contact.",
            "Invitations sent to %(count)d municipal contacts.",
            written,
        )
        % {"count": written},
    )
    return redirect("events:invitations", pk=pk)


@permission_required("events.view_delegation", fn=get_invitation)
def delegation(request, pk, number):
    invitation = get_invitation(request, pk, number)
    event = invitation.event
    can_register = request.user.has_perm("events.register_delegates", invitation)
    form = RegistrationForm(request.POST or None) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            try:
                registration = services.register(request.user, event, invitation.municipality, form.cleaned_data)
            except services.EventError as error:
                form.add_error(None, error.message)
            else:
                _report_registration(request, registration)
                return redirect("events:delegation", pk=pk, number=number)
    delegates = event.registrations.filter(municipality=invitation.municipality).exclude(status="cancelled")
    summary = next(d for d in services.delegations(event) if d.invitation.pk == invitation.pk)
    quota_form = QuotaForm(instance=invitation) if request.user.has_perm("events.manage_registrations") else None
    return render(
        request,
        "events/delegation.html",
        {
            "event": event,
            "invitation": invitation,
            "summary": summary,
            "delegates": delegates,
            "form": form,
            "quota_form": quota_form,
            "can_register": can_register,
            "desired": event.get_desired_composition_display(),
        },
    )


def _report_registration(request, registration):
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("%(name)s is registered. A confirmation was sent.") % {"name": registration.name})
    else:
        messages.warning(
            request,
            _("The quota or the venue is full: %(name)s is on the waiting list and moves up automatically.")
            % {"name": registration.name},
        )


@require_POST
@permission_required("events.manage_registrations", fn=get_invitation)
def delegation_quota(request, pk, number):
    invitation = get_invitation(request, pk, number)
    form = QuotaForm(request.POST, instance=Invitation.objects.get(pk=invitation.pk))
    if form.is_valid():
        try:
            promoted = services.set_quota(request.user, invitation, form.cleaned_data["quota_override"])
        except services.EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The quota was saved."))
            for registration in promoted:
                messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": registration.name})
    else:
        messages.error(request, _("The quota must be a whole number of at least 0."))
    return redirect("events:delegation", pk=pk, number=number)


@permission_required("events.register_delegates", fn=get_registration_invitation)
def registration_update(request, pk, registration_pk):
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    form = RegistrationForm(request.POST or None, instance=Registration.objects.get(pk=registration.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_registration(request.user, registration, form.cleaned_data)
        except services.EventError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("The registration was saved."))
            return redirect(_back(registration))
    return render(
        request,
        "events/registration_form.html",
        {"event": registration.event, "registration": registration, "form": form},
    )


@require_POST
@permission_required("events.register_delegates", fn=get_registration_invitation)
def registration_cancel(request, pk, registration_pk):
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    promoted = services.cancel(request.user, registration)
    messages.success(request, _("%(name)s is no longer registered.") % {"name": registration.name})
    for waiting in promoted:
        messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": waiting.name})
    return redirect(_back(registration))


def _back(registration) -> str:
    """Back to the delegation the registration belongs to, or to the participant list for guests."""
    invited = registration.event.invitations.filter(municipality_id=registration.municipality_id)
    if registration.municipality_id and invited.exists():
        return reverse("events:delegation", args=[registration.event_id, registration.municipality.number])
    return reverse("events:participants", args=[registration.event_id])


@permission_required("events.view_registrations", fn=get_event)
def participants(request, pk):
    event = get_object_or_404(Event, pk=pk)
    can_manage = request.user.has_perm("events.manage_registrations", event)
    form = GuestRegistrationForm(request.POST or None) if can_manage else None
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(request.user, event, data["municipality"], data)
        except services.EventError as error:
            form.add_error(None, error.message)
        else:
            _report_registration(request, registration)
            return redirect("events:participants", pk=pk)
    registrations = event.registrations.select_related("municipality")
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "confirmed": registrations.filter(status=Registration.Status.CONFIRMED).order_by(
                "municipality__name", "name"
            ),
            "waiting": registrations.filter(status=Registration.Status.WAITLISTED),
            "form": form,
            "linked_form": LinkedInviteForm(event=event) if can_manage and event.linked_events.exists() else None,
        },
    )


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def send_reminders(request, pk):
    """Remind every confirmed delegate, with the programme attached."""
    event = get_object_or_404(Event, pk=pk)
    delegates = list(services.confirmed(event))
    for registration in delegates:
        emails.send_reminder(registration)
    messages.success(
        request,
        ngettext(
            "A reminder was sent to %(count)d delegate.", "A reminder was sent to %(count)d delegates.", len(delegates)
        )
        % {"count": len(delegates)},
    )
    return redirect("events:participants", pk=pk)


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def invite_linked(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = LinkedInviteForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose a linked event and a role."))
        return redirect("events:participants", pk=pk)
    try:
        created = services.invite_to_linked_event(
            request.user, event, form.cleaned_data["linked"], form.cleaned_data["role"]
        )
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d delegate was registered for “%(event)s”.",
                "%(count)d delegates were registered for “%(event)s”.",
                len(created),
            )
            % {"count": len(created), "event": form.cleaned_data["linked"]},
        )
    return redirect("events:participants", pk=pk)


urlpatterns = [
    path("<int:pk>/invitasjoner/", invitations, name="invitations"),
    path("<int:pk>/invitasjoner/send/", send_invitations, name="send_invitations"),
    path("<int:pk>/kommuner/<str:number>/", delegation, name="delegation"),
    path("<int:pk>/kommuner/<str:number>/kvote/", delegation_quota, name="delegation_quota"),
    path("<int:pk>/pameldinger/<int:registration_pk>/endre/", registration_update, name="registration_update"),
    path("<int:pk>/pameldinger/<int:registration_pk>/avmeld/", registration_cancel, name="registration_cancel"),
    path("<int:pk>/deltakere/", participants, name="participants"),
    path("<int:pk>/deltakere/lenket/", invite_linked, name="invite_linked"),
    path("<int:pk>/deltakere/paminnelse/", send_reminders, name="send_reminders"),
]
