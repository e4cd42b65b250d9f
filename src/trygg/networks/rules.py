"""Who sees a network's contact people: KS staff and the network's own members; others see only who is a member."""

import rules

from trygg.core.roles import is_ks_staff


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
