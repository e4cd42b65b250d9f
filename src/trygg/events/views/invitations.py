"""KS's invitation list: tiers, who is invited, where each invitation went and what came of it."""

import re

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trygg.core.forms import ContactForm
from trygg.core.permissions import permission_required
from trygg.core.services import add_contact, resolve_municipality, search_municipalities

from .. import invitations as service
from .. import services
from ..forms import CapacityForm, InviteForm, InviteSearchForm, MoveForm, PartnerInviteForm, TierForm, WithdrawForm
from ..models import Event, Invitation, InvitationTier
from .events import get_event

manage = permission_required("events.manage_registrations", fn=get_event)


def _invitation(pk, invitation_pk) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("event", "municipality", "organisation", "tier"),
        pk=invitation_pk,
        event_id=pk,
    )


def _offered(event, search):
    """The municipalities the search offers, each with its invitation if it already has one."""
    if not search.is_valid() or not (search.cleaned_data["q"] or search.cleaned_data["county"]):
        return []
    county = search.cleaned_data["county"]
    found = list(search_municipalities(search.cleaned_data["q"], county.number if county else "")[:400])
    invited = {i.municipality_id: i for i in event.invitations.filter(municipality__in=found).select_related("tier")}
    for municipality in found:
        municipality.invitation = invited.get(municipality.pk)
    return found


@manage
def invitations(request, pk):
    event = get_object_or_404(Event, pk=pk)
    search = InviteSearchForm(request.GET or None)
    offered = _offered(event, search)
    post = request.POST if request.method == "POST" else None
    forms = {
        "tier_form": TierForm(post if "add_tier" in request.POST else None, prefix="tier"),
        "invite_form": InviteForm(
            post if "invite" in request.POST else None,
            event=event,
            offered=offered if "invite" not in request.POST else _posted_choices(request),
            prefix="invite",
        ),
        "partner_form": PartnerInviteForm(
            post if "invite_partner" in request.POST else None,
            event=event,
            organisations=service.partner_organisations(),
            prefix="partner",
        ),
        "capacity_form": CapacityForm(
            post if "capacity" in request.POST else None, initial={"capacity": event.capacity}, prefix="cap"
        ),
    }
    if request.method == "POST":
        for name, handler in (
            ("add_tier", _add_tier),
            ("invite", _invite),
            ("invite_partner", _invite_partner),
            ("capacity", _capacity),
        ):
            if name in request.POST and handler(request, event, forms):
                return redirect(request.get_full_path())
    tiers = event.tiers.annotate(used=Count("invitations"))
    rows = service.invitation_rows(event)
    return render(
        request,
        "events/invitations.html",
        {
            "event": event,
            "rows": rows,
            "pending": sum(1 for row in rows if row.unreached),  # what "send" would send
            "confirmed_count": services.confirmed(event).count(),
            "search": search,
            "offered": offered,
            "tiers": [(tier, TierForm(instance=tier, prefix=f"tier{tier.pk}")) for tier in tiers],
            "move_form": MoveForm(event=event),
            "counties_with_search": search.is_valid() and search.cleaned_data["county"],
            **forms,
        },
    )


def _posted_choices(request):
    numbers = request.POST.getlist("invite-chosen")
    return list(search_municipalities().filter(number__in=numbers))


def _add_tier(request, event, forms) -> bool:
    form = forms["tier_form"]
    if not form.is_valid():
        return False
    tier = form.save(commit=False)
    tier.event, tier.order = event, event.tiers.count()
    tier.save()
    messages.success(request, _("The tier “%(name)s” was added.") % {"name": tier.name})
    return True


def _invite(request, event, forms) -> bool:
    """Invite the ticked municipalities, the named ones, a whole county, or the county capitals."""
    form = forms["invite_form"]
    if not form.is_valid():
        return False
    scope = request.POST.get("invite")
    if scope == "county":
        search = InviteSearchForm(request.GET)
        county = search.cleaned_data["county"] if search.is_valid() else None
        chosen = list(service.county_municipalities(county)) if county else []
    elif scope == "capitals":
        chosen = list(service.county_capitals())
    else:
        chosen = list(search_municipalities().filter(number__in=form.cleaned_data["chosen"]))
    unknown = []
    for name in filter(None, (part.strip() for part in re.split(r"[,\n;]", form.cleaned_data["municipalities"]))):
        municipality = resolve_municipality(name)
        if municipality is None:
            unknown.append(name)
        elif municipality not in chosen:
            chosen.append(municipality)
    if not chosen and not unknown:
        form.add_error(None, _("Tick the municipalities to invite, or type their names."))
        return False
    _report(request, service.invite(request.user, event, form.cleaned_data["tier"], municipalities=chosen))
    if unknown:
        form.add_error(
            "municipalities",
            _("We found no municipality called: %(names)s. Check the spelling.") % {"names": ", ".join(unknown)},
        )
        return False
    return True


def _report(request, result):
    if result.invited:
        messages.success(
            request, _("Invited: %(names)s.") % {"names": ", ".join(str(i.invitee) for i in result.invited)}
        )
    if result.already:
        messages.info(
            request,
            _("Already invited in this tier: %(names)s.")
            % {"names": ", ".join(str(i.invitee) for i in result.already)},
        )
    for invitation in result.other_tier:
        messages.warning(
            request,
            _("%(invitee)s is already invited in the tier “%(tier)s” and was not moved. Use “Move” in the list.")
            % {"invitee": invitation.invitee, "tier": invitation.tier},
        )


def _invite_partner(request, event, forms) -> bool:
    form = forms["partner_form"]
    if not form.is_valid():
        return False
    organisation = form.cleaned_data["organisation"]
    result = service.invite(request.user, event, form.cleaned_data["tier"], organisations=[organisation])
    if result.invited and form.cleaned_data["quota"] is not None:
        services.set_quota(request.user, result.invited[0], form.cleaned_data["quota"])
    _report(request, result)
    return True


def _capacity(request, event, forms) -> bool:
    form = forms["capacity_form"]
    if not form.is_valid():
        return False
    try:
        services.set_capacity(request.user, event, form.cleaned_data["capacity"])
    except services.EventError as error:
        form.add_error("capacity", error.message)
        return False
    messages.success(request, _("The venue capacity was saved."))
    return True


def _report_sent(request, result):
    if result.sent:
        messages.success(
            request,
            ngettext(
                "The invitation was sent to %(count)d contact.",
                "The invitation was sent to %(count)d contacts.",
                result.sent,
            )
            % {"count": result.sent},
        )
    if result.bounced:
        messages.error(
            request,
            ngettext(
                "%(count)d e-mail could not be delivered: see the list.",
                "%(count)d e-mails could not be delivered: see the list.",
                result.bounced,
            )
            % {"count": result.bounced},
        )
    if result.without_contact:
        messages.warning(
            request,
            _("No contact to send to: %(names)s. Add a contact in the list.")
            % {"names": ", ".join(str(i.invitee) for i in result.without_contact)},
        )
    if not (result.sent or result.bounced or result.without_contact):
        messages.info(request, _("Every contact has already been sent the invitation."))


@require_POST
@manage
def send_invitations(request, pk):
    """Send every invitation to the contacts it has not yet reached."""
    event = get_object_or_404(Event, pk=pk)
    invitations = event.invitations.select_related("event", "municipality", "organisation", "tier")
    _report_sent(request, service.send(request.user, invitations, request.build_absolute_uri("/")))
    return redirect("events:invitations", pk=pk)


@require_POST
@manage
def invitation_send(request, pk, invitation_pk):
    """Send one invitation: to the contacts not yet reached, or with a new link to all of them."""
    invitation = _invitation(pk, invitation_pk)
    again = request.POST.get("renew") == "1"
    if again:
        service.renew_link(request.user, invitation)
    _report_sent(request, service.send(request.user, [invitation], request.build_absolute_uri("/"), again=again))
    return redirect("events:invitations", pk=pk)


@require_POST
@manage
def invitation_revoke(request, pk, invitation_pk):
    invitation = _invitation(pk, invitation_pk)
    service.revoke_link(request.user, invitation)
    messages.success(request, _("The link for %(invitee)s no longer works.") % {"invitee": invitation.invitee})
    return redirect("events:invitations", pk=pk)


@require_POST
@manage
def invitation_move(request, pk, invitation_pk):
    invitation = _invitation(pk, invitation_pk)
    form = MoveForm(request.POST, event=invitation.event)
    if not form.is_valid():
        messages.error(request, _("Choose a tier."))
        return redirect("events:invitations", pk=pk)
    try:
        promoted = service.move(request.user, invitation, form.cleaned_data["tier"])
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(invitee)s is now in the tier “%(tier)s”.") % {"invitee": invitation.invitee, "tier": invitation.tier},
        )
        for registration in promoted:
            messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": registration.name})
    return redirect("events:invitations", pk=pk)


@manage
def invitation_withdraw(request, pk, invitation_pk):
    """Ask first; then withdraw the invitation, cancel its registrations and tell those registered."""
    invitation = _invitation(pk, invitation_pk)
    active = invitation.event.registrations.filter(services.delegation_filter(invitation)).exclude(status="cancelled")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cancelled = service.withdraw(request.user, invitation, form.cleaned_data["message"])
        messages.success(
            request,
            ngettext(
                "The invitation of %(invitee)s was withdrawn; %(count)d registration was cancelled.",
                "The invitation of %(invitee)s was withdrawn; %(count)d registrations were cancelled.",
                len(cancelled),
            )
            % {"invitee": invitation.invitee, "count": len(cancelled)},
        )
        return redirect("events:invitations", pk=pk)
    return render(
        request,
        "events/invitation_withdraw.html",
        {"event": invitation.event, "invitation": invitation, "active": active, "form": form},
    )


@manage
def invitation_contact(request, pk, invitation_pk):
    """Add a contact to an invited municipality or organisation, on a page of its own: a form in every row made the
    invitation list slow with many invitations."""
    invitation = _invitation(pk, invitation_pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = add_contact(
            request.user,
            municipality=invitation.municipality,
            organisation=invitation.organisation,
            **form.cleaned_data,
        )
        messages.success(
            request,
            _("%(name)s was added as a contact for %(invitee)s. Send the invitation to reach them.")
            % {"name": person.name, "invitee": invitation.invitee},
        )
        return redirect("events:invitations", pk=pk)
    return render(
        request, "events/invitation_contact.html", {"event": invitation.event, "invitation": invitation, "form": form}
    )


def _tier(request, pk, tier_pk, **kwargs):
    return get_object_or_404(InvitationTier, pk=tier_pk, event_id=pk)


@require_POST
@permission_required("events.manage_registrations", fn=_tier)
def tier_update(request, pk, tier_pk):
    tier = _tier(request, pk, tier_pk)
    form = TierForm(request.POST, instance=InvitationTier.objects.get(pk=tier.pk), prefix=f"tier{tier.pk}")
    if not form.is_valid():
        messages.error(request, _("A tier needs a name and a quota of at least 1."))
        return redirect("events:invitations", pk=pk)
    try:
        service.update_tier(request.user, tier, form.cleaned_data["name"], form.cleaned_data["quota"])
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The tier “%(name)s” was saved.") % {"name": tier.name})
    return redirect("events:invitations", pk=pk)


@require_POST
@permission_required("events.manage_registrations", fn=_tier)
def tier_delete(request, pk, tier_pk):
    tier = _tier(request, pk, tier_pk)
    try:
        service.delete_tier(request.user, tier)
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The tier “%(name)s” was deleted.") % {"name": tier.name})
    return redirect("events:invitations", pk=pk)


urlpatterns = [
    path("<int:pk>/invitasjoner/", invitations, name="invitations"),
    path("<int:pk>/invitasjoner/send/", send_invitations, name="send_invitations"),
    path("<int:pk>/invitasjoner/<int:invitation_pk>/send/", invitation_send, name="invitation_send"),
    path("<int:pk>/invitasjoner/<int:invitation_pk>/stopp-lenke/", invitation_revoke, name="invitation_revoke"),
    path("<int:pk>/invitasjoner/<int:invitation_pk>/flytt/", invitation_move, name="invitation_move"),
    path("<int:pk>/invitasjoner/<int:invitation_pk>/trekk/", invitation_withdraw, name="invitation_withdraw"),
    path("<int:pk>/invitasjoner/<int:invitation_pk>/kontakt/", invitation_contact, name="invitation_contact"),
    path("<int:pk>/nivaer/<int:tier_pk>/", tier_update, name="tier_update"),
    path("<int:pk>/nivaer/<int:tier_pk>/slett/", tier_delete, name="tier_delete"),
]
