"""Who may see and run youth surveys: KS staff all; a municipal contact their municipality's. Pupils need no rule:
they hold a one-time code. Raw answers go only to the researcher a KS grant names (``research.py``)."""

import rules

from trygg.core.roles import acts_for_municipality, is_ks_staff, is_municipal_contact

rules.add_perm("youth.view_surveys", is_ks_staff | is_municipal_contact)
rules.add_perm("youth.order_survey", is_ks_staff | is_municipal_contact)
rules.add_perm("youth.view_survey", is_ks_staff | acts_for_municipality)
rules.add_perm("youth.approve_survey", is_ks_staff)
rules.add_perm("youth.close_survey", is_ks_staff | acts_for_municipality)
rules.add_perm("youth.view_overview", is_ks_staff)


@rules.predicate
def holds_grant(user) -> bool:
    return user.is_authenticated and user.youth_grants.exists()


@rules.predicate
def is_grantee(user, grant) -> bool:
    return user.is_authenticated and grant is not None and grant.user_id == user.pk


# Raw answer sets: KS grants access; only the researcher it names downloads, never KS or anyone else.
rules.add_perm("youth.grant_research", is_ks_staff)
rules.add_perm("youth.view_grants", is_ks_staff | holds_grant)
rules.add_perm("youth.download_answers", is_grantee)

# A survey's own questions: written by its municipality's contacts or KS while the survey awaits approval.
rules.add_perm("youth.write_own_questions", is_ks_staff | acts_for_municipality)
