"""The personal invitation link: its holder registers the delegation, sees and changes it, and may get a login.

No login is needed; the signed link is the right. Every page under it checks the link first (withdrawn, expired).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trygg.core.services import contacts_of, invite_to_trygg

from .. import invitations as service
from .. import services
from ..forms import LinkLoginForm, RegistrationForm
from ..models import Invitation
from .delegations import cancel_registration, edit_registration, report_registration


def _open(request, token):
    """The invitation behind a valid link, or the page that explains why the link does not work."""
    invitation = service.invitation_from_link(token)
    if invitation is None:
        return None, render(request, "events/invitation_link_invalid.html", status=404)
    try:
        service.check_link(invitation)
    except service.LinkError as error:
        return None, render(
            request,
            "events/invitation_link_invalid.html",
            {"event": invitation.event, "reason": error.message},
            status=410,
        )
    return invitation, None


def _delegates(invitation: Invitation):
    return invitation.event.registrations.filter(services.delegation_filter(invitation))


def _here(token: str) -> str:
    return reverse("events:invitation_link", args=[token])


@never_cache
def invitation_link(request, token):
    invitation, refusal = _open(request, token)
    if refusal:
        return refusal
    event = invitation.event
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                request.user, event, invitation.municipality, form.cleaned_data, partner=invitation.organisation
            )
        except services.EventError as error:
            form.add_error(None, error.message)
        else:
            report_registration(request, registration)
            return redirect(_here(token))
    summary = next(d for d in services.delegations(event) if d.invitation.pk == invitation.pk)
    return render(
        request,
        "events/invitation_link.html",
        {
            "event": event,
            "invitation": invitation,
            "token": token,
            "summary": summary,
            "delegates": _delegates(invitation),
            "form": form,
            "open": event.status == event.Status.REGISTRATION_OPEN,
            "expires": service.link_expires(event),
            "login_form": LinkLoginForm() if invitation.municipality_id else None,
            "desired": event.get_desired_composition_display(),
        },
    )


@never_cache
def invitation_link_edit(request, token, registration_pk):
    invitation, refusal = _open(request, token)
    if refusal:
        return refusal
    registration = get_object_or_404(_delegates(invitation).exclude(status="cancelled"), pk=registration_pk)
    return edit_registration(request, registration, _here(token), link=True)


@never_cache
def invitation_link_cancel(request, token, registration_pk):
    invitation, refusal = _open(request, token)
    if refusal:
        return refusal
    return cancel_registration(request, get_object_or_404(_delegates(invitation), pk=registration_pk), _here(token))


@never_cache
def invitation_link_login(request, token):
    """A login for one of the municipality's contacts: the set-password link goes to their own address."""
    invitation, refusal = _open(request, token)
    if refusal:
        return refusal
    form = LinkLoginForm(request.POST or None)
    if request.method != "POST" or invitation.municipality is None:
        return redirect(_here(token))
    if form.is_valid():
        email = form.cleaned_data["email"].lower()
        contact = next((c for c in contacts_of(municipality=invitation.municipality) if c.email == email), None)
        if contact is None or (contact.person is None and not contact.has_login):
            messages.error(
                request,
                _("%(email)s is not one of the contacts KS has for %(municipality)s. Ask KS to add you.")
                % {"email": email, "municipality": invitation.municipality},
            )
        elif contact.has_login:
            messages.info(request, _("You already have a login: log in with %(email)s.") % {"email": email})
        else:
            invite_to_trygg(None, contact.person, request.build_absolute_uri("/"))
            messages.success(request, _("We have sent a link to choose your password to %(email)s.") % {"email": email})
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect(_here(token))


urlpatterns = [
    path("invitasjon/<str:token>/", invitation_link, name="invitation_link"),
    path("invitasjon/<str:token>/<int:registration_pk>/", invitation_link_edit, name="invitation_link_edit"),
    path("invitasjon/<str:token>/<int:registration_pk>/avmeld/", invitation_link_cancel, name="invitation_link_cancel"),
    path("invitasjon/<str:token>/konto/", invitation_link_login, name="invitation_link_login"),
]
