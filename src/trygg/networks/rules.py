"""Who sees a network's contact people: KS staff and the network's own members; others see only who is a member.
A lecture request is seen by KS staff and the asking municipality's contacts; KS plans it."""

import rules

from trygg.core.roles import acts_for_municipality, is_ks_staff, is_municipal_contact


@rules.predicate
def is_member(user, network) -> bool:
    if network is None or not user.is_authenticated:
        return False
    members = network.members.all()
    return members.filter(municipality__in=user.municipalities.all()).exists() or (
        user.organisation_id is not None and members.filter(organisation_id=user.organisation_id).exists()
    )


rules.add_perm("networks.view_networks", rules.is_authenticated)
rules.add_perm("networks.view_contacts", is_ks_staff | is_member)
rules.add_perm("networks.manage", is_ks_staff)
rules.add_perm("networks.view_lectures", is_ks_staff | is_municipal_contact)
rules.add_perm("networks.request_lecture", is_municipal_contact)
rules.add_perm("networks.plan_lectures", is_ks_staff)
rules.add_perm("networks.view_lecture", is_ks_staff | (is_municipal_contact & acts_for_municipality))
