"""Who may do what with events.

Drafts are KS staff's own; once planned, an event and its programme are public. Registrations are personal data:
KS staff and partners with the events area see them all, a municipal contact sees their own municipalities'.
Partners see names, roles and delegations; contact details and needs only where KS has granted them.
"""

import rules
from django.utils import timezone

from trygg.core.models import Area
from trygg.core.roles import acts_for_municipality, is_ks_staff, partner_with_area

from .models import Event

events_partner = partner_with_area(Area.EVENTS)


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.status != Event.Status.DRAFT


@rules.predicate
def registration_is_open(user, invitation) -> bool:
    """Open, and before the registration deadline (after it only KS registers)."""
    if invitation is None or invitation.event.status != Event.Status.REGISTRATION_OPEN:
        return False
    deadline = invitation.event.registration_deadline
    return deadline is None or timezone.now() < deadline


@rules.predicate
def contact_for_invited_municipality(user, invitation) -> bool:
    if invitation is None or not invitation.municipality_id:
        return False
    return acts_for_municipality(user, invitation)


@rules.predicate
def member_of_invited_organisation(user, invitation) -> bool:
    """Someone of an invited partner organisation (e.g. the police district's contact) registers its delegates."""
    return (
        user.is_authenticated
        and invitation is not None
        and invitation.organisation_id is not None
        and user.organisation_id == invitation.organisation_id
    )


@rules.predicate
def granted_personal_data(user, event) -> bool:
    """KS has granted this partner the event's contact details and needs, for a stated purpose."""
    return event is not None and event.personal_data_grants.filter(user_id=user.pk).exists()


rules.add_perm("events.view_event", is_published | is_ks_staff | events_partner)
rules.add_perm("events.add_event", is_ks_staff)
rules.add_perm("events.change_event", is_ks_staff)
rules.add_perm("events.view_registrations", is_ks_staff | events_partner)
rules.add_perm("events.manage_registrations", is_ks_staff)
# obj: an Invitation. KS registers on anyone's behalf at any time; a contact only while registration is open.
invited = contact_for_invited_municipality | member_of_invited_organisation
rules.add_perm("events.view_delegation", is_ks_staff | events_partner | invited)
rules.add_perm("events.register_delegates", is_ks_staff | (invited & registration_is_open))
# obj: an Event. Delegates' e-mail, phone, dietary and accessibility needs: KS, or a partner KS has granted them.
rules.add_perm("events.view_personal_data", is_ks_staff | (events_partner & granted_personal_data))
