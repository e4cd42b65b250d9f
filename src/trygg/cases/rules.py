"""Who may see and work a case.

The asking municipality's contacts see its cases (status and shared notes); the KS side — KS staff, and the experts
drawn in — sees internal notes too. A confidential case is closed to KS staff who are neither its assignee nor
drawn in, except the KS administrators who triage incoming cases.
"""

import rules

from trygg.core.roles import acts_for_municipality, is_ks_admin, is_ks_staff, is_municipal_contact


@rules.predicate
def is_assignee(user, case) -> bool:
    return case is not None and user.is_authenticated and case.assignee_id == user.pk


@rules.predicate
def is_expert(user, case) -> bool:
    return case is not None and user.is_authenticated and case.experts.filter(pk=user.pk).exists()


@rules.predicate
def is_open_to_ks(user, case) -> bool:
    return case is not None and not case.confidential


ks_side = is_ks_admin | (is_ks_staff & is_open_to_ks) | is_assignee | is_expert
asking_municipality = is_municipal_contact & acts_for_municipality

rules.add_perm("cases.view_cases", rules.is_authenticated)
rules.add_perm("cases.add_case", is_municipal_contact)
rules.add_perm("cases.view_overview", is_ks_staff)
rules.add_perm("cases.view_case", ks_side | asking_municipality)
rules.add_perm("cases.view_internal", ks_side)
rules.add_perm("cases.add_note", ks_side | asking_municipality)
rules.add_perm("cases.triage", is_ks_staff & ks_side)
