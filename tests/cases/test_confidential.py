"""KS changes a case's confidentiality: access follows at once, and the change is in the audit trail."""

import pytest
from django.urls import reverse

from trygg.cases.models import Case
from trygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _flag(client, case, confidential: bool):
    return client.post(
        reverse("cases:change_confidential", args=[case.pk]), {"confidential": "on"} if confidential else {}
    )


def test_making_a_case_confidential_closes_it_to_other_ks_staff(users, clients, make_case):
    case = make_case()
    adviser, admin, contact = clients["ks_adviser"], clients["ks_admin"], clients["municipal_contact"]
    assert adviser.get(case.get_absolute_url()).status_code == 200
    assert _flag(contact, case, True).status_code == 403
    assert _flag(admin, case, True).status_code == 302
    case.refresh_from_db()
    assert case.confidential
    assert adviser.get(case.get_absolute_url()).status_code == 403
    assert contact.get(case.get_absolute_url()).status_code == 200
    assert admin.get(case.get_absolute_url()).status_code == 200
    # The audit trail names who changed it, from what to what; the timeline (KS side) says it too.
    entry = (
        AuditEntry.objects.get_for_object(case)
        .filter(action=AuditEntry.Action.UPDATE, changes__icontains="confidential")
        .get()
    )
    assert entry.actor == users["ks_admin"]
    assert entry.changes_dict["confidential"] == [False, True]
    assert "Gjort fortrolig." in admin.get(case.get_absolute_url()).content.decode()
    assert "Gjort fortrolig." not in contact.get(case.get_absolute_url()).content.decode()
    # Opened again: the adviser sees it again.
    assert _flag(admin, case, False).status_code == 302
    assert adviser.get(case.get_absolute_url()).status_code == 200


def test_an_assignee_who_makes_it_confidential_keeps_access_and_an_outsider_is_sent_to_the_list(
    users, clients, make_case
):
    case = make_case()
    case.assignee = users["ks_adviser"]
    case.save()
    assert _flag(clients["ks_adviser"], case, True)["Location"] == case.get_absolute_url()
    other = make_case()
    response = _flag(clients["ks_adviser"], other, True)
    assert response.status_code == 302 and response["Location"] == reverse("cases:index")
    assert Case.objects.get(pk=other.pk).confidential
    assert clients["ks_adviser"].get(other.get_absolute_url()).status_code == 403
