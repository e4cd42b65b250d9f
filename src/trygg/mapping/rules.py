"""Who may see and change situation reports.

Reports are sensitive ("Unntatt offentlighet"): a municipality sees and edits its own; KS staff and partners
granted the mapping area see all; everyone logged in sees the national aggregates, where small groups are
suppressed. Every read of a report is recorded in the audit trail by the views that show it.
"""

import rules
from django.utils import timezone

from trygg.core.models import Area
from trygg.core.roles import acts_for_municipality, is_ks_staff, is_municipal_contact, partner_with_area

from .models import Round

mapping_partner = partner_with_area(Area.MAPPING)


@rules.predicate
def contact_for_report(user, report) -> bool:
    if report is None or not user.is_authenticated:
        return False
    return report.municipalities.filter(pk__in=user.municipalities.values("pk")).exists()


@rules.predicate
def round_is_open(user, report) -> bool:
    return (
        report is not None
        and report.round.status == Round.Status.OPEN
        and report.round.opens_at <= timezone.now() <= report.round.deadline
    )


@rules.predicate
def contact_for_municipality(user, municipality) -> bool:
    """Without a municipality: a contact of some municipality; with one: a contact of that one."""
    return is_municipal_contact(user) and (municipality is None or acts_for_municipality(user, municipality))


rules.add_perm("mapping.view_round", rules.is_authenticated)
# obj: a Municipality. Its rounds, report status and latest report, as on the municipality's page.
rules.add_perm("mapping.view_municipality", is_ks_staff | mapping_partner | acts_for_municipality)
rules.add_perm("mapping.start_report", is_ks_staff | contact_for_municipality)
rules.add_perm("mapping.manage_rounds", is_ks_staff)
rules.add_perm("mapping.view_report", is_ks_staff | mapping_partner | contact_for_report)
rules.add_perm("mapping.change_report", is_ks_staff | (contact_for_report & round_is_open))
rules.add_perm("mapping.view_picture", rules.is_authenticated)
# Municipality-level figures and the full export: only those who may read every report.
rules.add_perm("mapping.view_full_picture", is_ks_staff | mapping_partner)
rules.add_perm("mapping.export_full", is_ks_staff)
