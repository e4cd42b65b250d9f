"""Invitations: who is invited in which tier, their personal links, and which e-mails reached whom.

Each invitation has one personal link, as pretix's vouchers and Indico's registration invitations: signed, so it
cannot be guessed or altered; dead after the registration deadline; and revocable. Whoever holds it registers that
municipality's (or partner organisation's) delegation within its quota, without a login.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from trygg.core.models import County, Municipality, Organisation
from trygg.core.services import Contact, contacts_by_place

from . import emails
from .models import Event, Invitation, InvitationDelivery, InvitationTier, Registration
from .services import EventError, _lock_capacity, confirmed, delegation_filter, delegations, promote_waiting
from .tokens import new_token

log = logging.getLogger(__name__)
_signer = signing.Signer(salt="trygg.events.invitation")


class LinkError(EventError):
    """The link is no longer valid (withdrawn, expired); the message says why, for the person holding it."""


# The personal link ----------------------------------------------------------------------------------------


def link_token(invitation: Invitation) -> str:
    return _signer.sign(f"{invitation.pk}.{invitation.link_key}")


def invitation_link(invitation: Invitation, site_url: str) -> str:
    return site_url.rstrip("/") + reverse("events:invitation_link", args=[link_token(invitation)])


def link_expires(event: Event) -> dt.datetime | None:
    """The registration deadline; without one, the start of the event's first day."""
    if event.registration_deadline:
        return event.registration_deadline
    if event.start_date:
        return timezone.make_aware(dt.datetime.combine(event.start_date, dt.time.min))
    return None


def registration_closed(event: Event, now: dt.datetime | None = None) -> bool:
    """After the deadline only KS staff register (see ``services.register``)."""
    expires = link_expires(event)
    return expires is not None and (now or timezone.now()) >= expires


def invitation_from_link(token: str) -> Invitation | None:
    """The invitation a link points to, or None for a link that is not ours (forged, mistyped, or renewed)."""
    try:
        pk, key = _signer.unsign(token).split(".", 1)
    except (signing.BadSignature, ValueError):
        return None
    invitation = (
        Invitation.objects.select_related("event", "municipality", "organisation", "tier").filter(pk=pk).first()
    )
    if invitation is None or not constant_time_compare(invitation.link_key, key):
        return None
    return invitation


def check_link(invitation: Invitation) -> None:
    """Refuse a revoked or expired link, saying so; otherwise note that the link was used ("opened")."""
    if invitation.event.status == Event.Status.CANCELLED:
        raise LinkError(_("The event is cancelled."))
    if invitation.link_revoked_at:
        raise LinkError(_("This invitation link has been withdrawn. Contact KS if you still wish to take part."))
    if registration_closed(invitation.event):
        raise LinkError(
            _("The registration deadline (%(deadline)s) has passed. Contact KS if you still wish to take part.")
            % {"deadline": timezone.localtime(link_expires(invitation.event)).strftime("%d.%m.%Y %H:%M")}
        )
    Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())


def revoke_link(actor, invitation: Invitation) -> None:
    invitation.link_revoked_at = timezone.now()
    invitation.save(update_fields=["link_revoked_at"])


def renew_link(actor, invitation: Invitation) -> None:
    """A new link replaces the old one, which stops working; it must be sent again."""
    invitation.link_key = new_token()
    invitation.link_revoked_at = None
    invitation.save(update_fields=["link_key", "link_revoked_at"])


# Who is invited -------------------------------------------------------------------------------------------


@dataclass
class InviteResult:
    invited: list[Invitation] = field(default_factory=list)
    already: list[Invitation] = field(default_factory=list)
    other_tier: list[Invitation] = field(default_factory=list)


def invite(actor, event: Event, tier: InvitationTier, municipalities=(), organisations=()) -> InviteResult:
    """Invite places into ``tier``. Those already invited stay where they are and are reported, never ignored:
    moving one to another tier is ``move`` (its quota may change)."""
    if tier.event_id != event.pk:
        raise EventError(_("The tier belongs to another event."))
    result = InviteResult()
    existing = {
        (i.municipality_id, i.organisation_id): i
        for i in event.invitations.select_related("municipality", "organisation", "tier")
    }
    places = [(m, None) for m in municipalities] + [(None, o) for o in organisations]
    with transaction.atomic():
        for municipality, organisation in places:
            key = (municipality.pk if municipality else None, organisation.pk if organisation else None)
            if key in existing:
                found = existing[key]
                (result.already if found.tier_id == tier.pk else result.other_tier).append(found)
                continue
            existing[key] = Invitation.objects.create(
                event=event, municipality=municipality, organisation=organisation, tier=tier
            )
            result.invited.append(existing[key])
    return result


def county_municipalities(county: County):
    return Municipality.objects.filter(county=county)


def county_capitals():
    return Municipality.objects.filter(pk__in=County.objects.values("capital")).distinct()


def _check_quota(invitation: Invitation, quota: int) -> None:
    taken = confirmed(invitation.event).filter(delegation_filter(invitation)).count()
    if quota < taken:
        raise EventError(
            _("%(invitee)s already has %(count)d confirmed delegates; the quota cannot be lower.")
            % {"invitee": invitation.invitee, "count": taken}
        )


def move(actor, invitation: Invitation, tier: InvitationTier) -> list[Registration]:
    """Move an invitation to another tier of the same event; its own quota, if any, stays."""
    if tier.event_id != invitation.event_id:
        raise EventError(_("The tier belongs to another event."))
    with transaction.atomic():
        _lock_capacity(invitation.event, invitation)
        quota = invitation.quota_override if invitation.quota_override is not None else tier.quota
        _check_quota(invitation, quota)
        invitation.tier = tier
        invitation.save(update_fields=["tier"])
        return promote_waiting(invitation.event)


def withdraw(actor, invitation: Invitation, message: str) -> list[Registration]:
    """Withdraw an invitation: its delegates' registrations are cancelled (kept as cancelled) and each is told why.

    Returns the cancelled registrations; places they free go to others on the waiting list.
    """
    event = invitation.event
    with transaction.atomic():
        _lock_capacity(event, None)
        active = list(
            event.registrations.filter(delegation_filter(invitation)).exclude(status=Registration.Status.CANCELLED)
        )
        now = timezone.now()
        for registration in active:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        invitee = str(invitation.invitee)
        invitation.delete()
        promote_waiting(event)
        for registration in active:
            transaction.on_commit(lambda r=registration: emails.send_invitation_withdrawn(r, invitee, message))
    return active


def update_tier(actor, tier: InvitationTier, name: str, quota: int) -> list[Registration]:
    """Rename a tier or change its quota; never below what a municipality in it has confirmed."""
    with transaction.atomic():
        _lock_capacity(tier.event, None)
        for invitation in tier.invitations.filter(quota_override__isnull=True):
            _check_quota(invitation, quota)
        tier.name, tier.quota = name, quota
        tier.save(update_fields=["name", "quota"])
        return promote_waiting(tier.event)


def delete_tier(actor, tier: InvitationTier) -> None:
    if tier.invitations.exists():
        raise EventError(_("The tier “%(name)s” still has invitations: move or withdraw them first.") % {"name": tier})
    tier.delete()


# Sending --------------------------------------------------------------------------------------------------


def contacts_for(invitations) -> dict[int, list[Contact]]:
    """Each invitation's contacts, in two queries for the whole list."""
    invitations = list(invitations)
    found = contacts_by_place(
        [i.municipality for i in invitations if i.municipality_id],
        [i.organisation for i in invitations if i.organisation_id],
    )
    return {
        i.pk: found.get(
            ("municipality", i.municipality_id) if i.municipality_id else ("organisation", i.organisation_id), []
        )
        for i in invitations
    }


@dataclass
class SendResult:
    sent: int = 0
    bounced: int = 0
    without_contact: list[Invitation] = field(default_factory=list)


def send(actor, invitations, site_url: str, again: bool = False) -> SendResult:
    """E-mail each invitation's link to every contact not yet reached (``again``: to all of them).

    Each address gets its own e-mail, so one bad address bounces alone. A delivery starts as "being sent" when the
    message is queued; the worker's report then makes it "sent" or "bounced" (``delivery_sent``, ``delivery_failed``).
    An invitation counts as sent once a message to one of its contacts is on its way.
    """
    invitations = list(invitations)
    result = SendResult()
    contacts = contacts_for(invitations)
    for invitation in invitations:
        reached = set(invitation.deliveries.filter(status__in=ON_ITS_WAY).values_list("email", flat=True))
        recipients = [c for c in contacts[invitation.pk] if again or c.email not in reached]
        if not contacts[invitation.pk]:
            result.without_contact.append(invitation)
        link = invitation_link(invitation, site_url)
        for contact in recipients:
            status, error, mail = InvitationDelivery.Status.QUEUED, "", None
            try:
                mail = emails.send_invitation(invitation, contact, link, link_expires(invitation.event))
            except Exception as failure:
                log.warning("Invitation to %s could not be queued: %s", contact.email, failure)
                status, error = InvitationDelivery.Status.BOUNCED, str(failure)[:300]
            InvitationDelivery.objects.create(
                invitation=invitation, name=contact.name, email=contact.email, status=status, error=error, mail=mail
            )
            if status == InvitationDelivery.Status.QUEUED:
                result.sent += 1
                if invitation.invited_at is None:
                    invitation.invited_at = timezone.now()
                    invitation.save(update_fields=["invited_at"])
            else:
                result.bounced += 1
    return result


ON_ITS_WAY = (InvitationDelivery.Status.QUEUED, InvitationDelivery.Status.SENT)


def delivery_sent(sender, mail_id, **kwargs) -> None:
    InvitationDelivery.objects.filter(mail_id=mail_id).update(status=InvitationDelivery.Status.SENT)


def delivery_failed(sender, mail_id, error="", **kwargs) -> None:
    """The message could not be delivered: an invitation none of whose messages is on its way was not sent."""
    deliveries = InvitationDelivery.objects.filter(mail_id=mail_id)
    invitation_ids = list(deliveries.values_list("invitation_id", flat=True))
    deliveries.update(status=InvitationDelivery.Status.BOUNCED, error=str(error)[:300])
    Invitation.objects.filter(pk__in=invitation_ids).exclude(deliveries__status__in=ON_ITS_WAY).update(invited_at=None)


# The invitation list --------------------------------------------------------------------------------------


@dataclass
class InvitationRow:
    """One line of the invitation list: the delegation, where the invitation went, and what came of it."""

    delegation: object
    contacts: list[Contact]
    deliveries: list[InvitationDelivery]

    @property
    def invitation(self) -> Invitation:
        return self.delegation.invitation

    @property
    def unreached(self) -> list[Contact]:
        sent = {d.email for d in self.deliveries if d.status in ON_ITS_WAY}
        return [c for c in self.contacts if c.email not in sent]

    @property
    def registered(self) -> int:
        return self.delegation.confirmed + self.delegation.waitlisted


def invitation_rows(event: Event) -> list[InvitationRow]:
    rows = delegations(event)
    contacts = contacts_for([row.invitation for row in rows])
    deliveries = {}
    for delivery in InvitationDelivery.objects.filter(invitation__event=event):
        deliveries.setdefault(delivery.invitation_id, []).append(delivery)
    return [InvitationRow(row, contacts[row.invitation.pk], deliveries.get(row.invitation.pk, [])) for row in rows]


def partner_organisations():
    """Organisations that can be invited with their own quota: anyone but municipalities and KS itself."""
    return Organisation.objects.exclude(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.KS])
