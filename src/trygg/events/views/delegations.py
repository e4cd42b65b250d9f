"""Invitations with quotas, each municipality's delegation, the participant list and the waiting list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.permissions import permission_required

from .. import emails, services
from ..forms import (
    GuestRegistrationForm,
    LinkedInviteForm,
    PersonalDataGrantForm,
    QuotaForm,
    RegistrationForm,
)
from ..models import Event, Invitation, PersonalDataGrant, Registration
from .events import get_event


def get_invitation(request, pk, number=None, organisation_pk=None, **kwargs):
    """A municipality's invitation (by number) or a partner organisation's (by pk)."""
    place = {"municipality__number": number} if number else {"organisation_id": organisation_pk}
    return get_object_or_404(
        Invitation.objects.select_related("event", "municipality", "organisation", "tier"), event_id=pk, **place
    )


def get_registration_invitation(request, pk, registration_pk, **kwargs):
    """The invitation a registration counts against; KS-only guests (no municipality) need KS rights."""
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    place = {"organisation_id": registration.partner_id} if registration.partner_id else {}
    place = place or {"municipality_id": registration.municipality_id}
    invitation = Invitation.objects.select_related("event").filter(event_id=pk, **place).first()
    return invitation or Invitation(event=registration.event)


@permission_required("events.view_delegation", fn=get_invitation)
def delegation(request, pk, number=None, organisation_pk=None):
    invitation = get_invitation(request, pk, number, organisation_pk)
    event = invitation.event
    can_register = request.user.has_perm("events.register_delegates", invitation)
    form = RegistrationForm(request.POST or None, event=event) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            try:
                registration = services.register(
                    request.user, event, invitation.municipality, form.cleaned_data, partner=invitation.organisation
                )
            except services.EventError as error:
                form.add_error(None, error.message)
            else:
                report_registration(request, registration)
                return redirect(invitation)
    delegates = event.registrations.filter(services.delegation_filter(invitation))
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
            "deadline_passed": services.registration_deadline_passed(event),
            # A partner needs KS's grant; the municipality's own contacts see their own delegates' details.
            "personal": request.user.has_perm("events.view_personal_data", event)
            or not request.user.has_perm("events.view_registrations", event),
        },
    )


def report_registration(request, registration):
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
def delegation_quota(request, pk, number=None, organisation_pk=None):
    invitation = get_invitation(request, pk, number, organisation_pk)
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
    return redirect(invitation)


def edit_registration(request, registration: Registration, back: str, link: bool = False):
    """The one edit form of a registration, whoever opens it: KS, the municipality's contact, the invitation link.

    The form edits a copy, so that the service compares the saved registration with the new values for the audit.
    """
    event = registration.event
    form = RegistrationForm(request.POST or None, instance=Registration.objects.get(pk=registration.pk), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_registration(request.user, registration, form.cleaned_data)
        except services.EventError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("The registration was saved."))
            return redirect(back)
    context = {"event": event, "registration": registration, "form": form, "back": back, "link": link}
    return render(request, "events/registration_form.html", context)


def cancel_registration(request, registration: Registration, back: str):
    """Ask first; then cancel, keep the registration as cancelled, and tell the person.

    Who moved up from the waiting list may belong to another delegation: only those who see every registration
    are told their names.
    """
    if request.method != "POST" or registration.status == Registration.Status.CANCELLED:
        context = {"event": registration.event, "registration": registration, "back": back}
        return render(request, "events/registration_cancel.html", context)
    promoted = services.cancel(request.user, registration)
    messages.success(request, _("%(name)s is no longer registered.") % {"name": registration.name})
    if request.user.has_perm("events.view_registrations", registration.event):
        for waiting in promoted:
            messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": waiting.name})
    return redirect(back)


@permission_required("events.register_delegates", fn=get_registration_invitation)
def registration_update(request, pk, registration_pk):
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    return edit_registration(request, registration, _back(registration))


@permission_required("events.register_delegates", fn=get_registration_invitation)
def registration_cancel(request, pk, registration_pk):
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    return cancel_registration(request, registration, _back(registration))


def _back(registration) -> str:
    """Back to the delegation the registration belongs to, or to the participant list for guests."""
    place = {"organisation_id": registration.partner_id} if registration.partner_id else {}
    place = place or {"municipality_id": registration.municipality_id}
    invitation = registration.event.invitations.filter(**place).select_related("municipality").first()
    if invitation and (registration.municipality_id or registration.partner_id):
        return invitation.get_absolute_url()
    return reverse("events:participants", args=[registration.event_id])


@permission_required("events.view_registrations", fn=get_event)
def participants(request, pk):
    event = get_object_or_404(Event, pk=pk)
    can_manage = request.user.has_perm("events.manage_registrations", event)
    form = GuestRegistrationForm(request.POST or None, event=event) if can_manage else None
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(request.user, event, data["municipality"], data)
        except services.EventError as error:
            form.add_error(None, error.message)
        else:
            report_registration(request, registration)
            return redirect("events:participants", pk=pk)
    registrations = event.registrations.select_related("municipality", "partner")
    personal = request.user.has_perm("events.view_personal_data", event)
    if personal:
        record_read(event)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "personal": personal,
            "confirmed": registrations.filter(status=Registration.Status.CONFIRMED).order_by(
                "municipality__name", "partner__name", "name"
            ),
            "waiting": registrations.filter(status=Registration.Status.WAITLISTED),
            "cancelled": registrations.filter(status=Registration.Status.CANCELLED).order_by("-cancelled_at"),
            "form": form,
            "linked_form": LinkedInviteForm(event=event) if can_manage and event.linked_events.exists() else None,
            "grants": event.personal_data_grants.select_related("user__organisation") if can_manage else None,
            "grant_form": PersonalDataGrantForm() if can_manage else None,
        },
    )


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def personal_data_grant(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = PersonalDataGrantForm(request.POST)
    if form.is_valid():
        grant = services.grant_personal_data(
            request.user, event, form.cleaned_data["user"], form.cleaned_data["purpose"]
        )
        messages.success(
            request,
            _("%(partner)s may now see the delegates' contact details and needs.") % {"partner": grant.user},
        )
    else:
        messages.error(request, _("Choose a partner and state the purpose."))
    return redirect("events:participants", pk=pk)


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def personal_data_revoke(request, pk, grant_pk):
    grant = get_object_or_404(PersonalDataGrant, pk=grant_pk, event_id=pk)
    services.revoke_personal_data(request.user, grant)
    messages.success(request, _("%(partner)s no longer sees personal data.") % {"partner": grant.user})
    return redirect("events:participants", pk=pk)


@permission_required("events.manage_registrations", fn=get_event)
def send_reminders(request, pk):
    """Ask first; then remind every confirmed delegate, with the programme attached."""
    event = get_object_or_404(Event, pk=pk)
    if request.method != "POST":
        count = services.confirmed(event).count()
        return render(request, "events/reminder_confirm.html", {"event": event, "count": count})
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
    path("<int:pk>/kommuner/<str:number>/", delegation, name="delegation"),
    path("<int:pk>/kommuner/<str:number>/kvote/", delegation_quota, name="delegation_quota"),
    path("<int:pk>/partnere/<int:organisation_pk>/", delegation, name="partner_delegation"),
    path("<int:pk>/partnere/<int:organisation_pk>/kvote/", delegation_quota, name="partner_delegation_quota"),
    path("<int:pk>/pameldinger/<int:registration_pk>/endre/", registration_update, name="registration_update"),
    path("<int:pk>/pameldinger/<int:registration_pk>/avmeld/", registration_cancel, name="registration_cancel"),
    path("<int:pk>/deltakere/", participants, name="participants"),
    path("<int:pk>/deltakere/lenket/", invite_linked, name="invite_linked"),
    path("<int:pk>/deltakere/paminnelse/", send_reminders, name="send_reminders"),
    path("<int:pk>/deltakere/personopplysninger/", personal_data_grant, name="personal_data_grant"),
    path(
        "<int:pk>/deltakere/personopplysninger/<int:grant_pk>/trekk/",
        personal_data_revoke,
        name="personal_data_revoke",
    ),
]
