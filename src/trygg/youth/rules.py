"""Who may see and run youth surveys: KS staff all; a municipal contact their municipality's. Pupils need no rule:
they hold a one-time code. Raw answers are never shown here (researchers will get them only by a KS grant)."""

import rules

from trygg.core.roles import acts_for_municipality, is_ks_staff, is_municipal_contact

rules.add_perm("youth.view_surveys", is_ks_staff | is_municipal_contact)
rules.add_perm("youth.order_survey", is_ks_staff | is_municipal_contact)
rules.add_perm("youth.view_survey", is_ks_staff | acts_for_municipality)
rules.add_perm("youth.approve_survey", is_ks_staff)
rules.add_perm("youth.close_survey", is_ks_staff | acts_for_municipality)
rules.add_perm("youth.view_overview", is_ks_staff)
