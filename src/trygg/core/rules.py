"""Who may do what in core."""

import rules

from .roles import is_ks_admin, is_ks_staff

rules.add_perm("core.view_person", is_ks_staff)
rules.add_perm("core.add_person", is_ks_staff)
rules.add_perm("core.change_person", is_ks_staff)
rules.add_perm("core.invite_person", is_ks_staff)
rules.add_perm("core.view_organisation", rules.is_authenticated)
rules.add_perm("core.add_organisation", is_ks_staff)
rules.add_perm("core.change_organisation", is_ks_staff)
rules.add_perm("core.view_auditentry", is_ks_admin)
rules.add_perm("core.manage_api_tokens", rules.is_authenticated)
