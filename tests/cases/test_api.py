"""The cases API: a municipality asks for help and KS triages, with the pages' rules, and no internal note leaks."""

import json
import uuid

import pytest

from tests.cases.conftest import FNR, INTERNAL
from tests.conftest import logged_in_client, make_user
from trygg.cases import services
from trygg.cases.models import Case
from trygg.core.models import APIToken, AuditEntry, Municipality, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    """``api(role, method, path, body)``: a call with the role's bearer token."""
    tokens = {role: APIToken.issue(user, "test")[1] for role, user in users.items() if user is not None}

    def call(role, method, path, body=None):
        headers = {"authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
        client = logged_in_client(None)
        return getattr(client, method)(
            f"/api/cases{path}", json.dumps(body) if body is not None else None, "application/json", headers=headers
        )

    return call


def _request(**fields):
    return {
        "submission_key": str(uuid.uuid4()),
        "municipality": "4601",
        "title": "Vold mellom grupper",
        "description": "Slagsmål mellom to grupper ved ungdomsklubben.",
        "urgency": "acute",
        **fields,
    }


def test_a_retried_request_makes_one_case(api, users, mailoutbox, django_capture_on_commit_callbacks):
    body = _request()
    with django_capture_on_commit_callbacks(execute=True):
        first = api("municipal_contact", "post", "", body)
        again = api("municipal_contact", "post", "", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    case = Case.objects.get()
    assert case.requested_by == users["municipal_contact"] and case.municipality.number == "4601"
    assert len([m for m in mailoutbox if "admin" in m.to[0]]) == 1  # the leads were told once


def test_a_key_someone_else_used_is_a_conflict(api, users, municipalities):
    body = _request()
    assert api("municipal_contact", "post", "", body).status_code == 201
    second = make_user(Role.MUNICIPAL_CONTACT, username="bergen2")
    second.municipalities.set(Municipality.objects.filter(number="4601"))
    token = APIToken.issue(second, "test")[1]
    answer = logged_in_client(None).post(
        "/api/cases", json.dumps(body), "application/json", headers={"authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 409 and Case.objects.count() == 1


def test_asking_follows_the_pages_rules(api):
    assert api("anonymous", "post", "", _request()).status_code == 401
    for role in ("ks_admin", "ks_adviser", "partner"):
        assert api(role, "post", "", _request()).status_code == 403, role
    oslo = api("municipal_contact", "post", "", _request(municipality="0301"))
    assert oslo.status_code == 403
    assert api("municipal_contact", "post", "", _request(municipality="9999")).status_code == 404
    refused = api("municipal_contact", "post", "", _request(description=f"Gjelder {FNR}."))
    assert refused.status_code == 422 and FNR not in refused.content.decode()
    assert api("municipal_contact", "post", "", _request(title="   ")).status_code == 422
    assert not Case.objects.exists()


def test_ks_triages_over_the_api_and_the_municipality_never_sees_internal_notes(api, users, make_case):
    case = make_case()
    services.add_note(users["ks_admin"], case, INTERNAL, "internal")
    triage = {"category": "violence", "urgency": "acute", "assignee": users["ks_adviser"].username}
    assert api("municipal_contact", "post", f"/{case.pk}/triage", triage).status_code == 403
    assert api("partner", "post", f"/{case.pk}/triage", triage).status_code == 404
    answer = api("ks_admin", "post", f"/{case.pk}/triage", triage)
    assert answer.status_code == 200
    assert answer.json()["category"] == "violence" and answer.json()["assignee"] == users["ks_adviser"].username
    assert INTERNAL in json.dumps(answer.json(), ensure_ascii=False)
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.Status.OPEN, users["ks_adviser"])
    # An assignee without access, or no such user: refused, the case unchanged.
    for assignee, status in ((users["municipal_contact"].username, 409), ("finnes-ikke", 404)):
        refused = api("ks_admin", "post", f"/{case.pk}/triage", {**triage, "assignee": assignee})
        assert refused.status_code == status
    case.refresh_from_db()
    assert case.assignee == users["ks_adviser"]
    # Every answer the municipality gets: the list, the case, and a note it adds.
    answers = [
        api("municipal_contact", "get", ""),
        api("municipal_contact", "get", f"/{case.pk}"),
        api("municipal_contact", "post", f"/{case.pk}/notes", {"body": "Her er reguleringsplanen."}),
    ]
    for answer in answers:
        assert answer.status_code in (200, 201)
        text = json.dumps(answer.json(), ensure_ascii=False)
        assert INTERNAL not in text and users["ks_adviser"].username not in text
    assert answers[1].json()["assignee"] is None
    assert {n["visibility"] for n in answers[2].json()["notes"]} == {"shared"}
    assert AuditEntry.objects.filter(actor=users["municipal_contact"], content_type__model="case").exists()


def test_a_confidential_case_made_over_the_api_is_closed_to_other_ks_staff(api):
    made = api("municipal_contact", "post", "", _request(confidential=True))
    assert made.status_code == 201 and made.json()["confidential"] is True
    case_id = made.json()["id"]
    assert api("ks_adviser", "get", f"/{case_id}").status_code == 404
    assert api("ks_admin", "get", f"/{case_id}").status_code == 200


def test_the_case_list_is_paged_like_every_other_list(api, make_case):
    """Newest first, ``limit``/``offset`` honoured with the total in ``count``; a hostile offset is a JSON 422."""
    made = [make_case(title=f"Sak {n}") for n in range(3)]
    page = api("municipal_contact", "get", "?limit=2&offset=1")
    assert page.status_code == 200
    assert page.json()["count"] == 3
    assert [c["title"] for c in page.json()["items"]] == ["Sak 1", "Sak 0"]
    assert [c["id"] for c in api("municipal_contact", "get", "").json()["items"]] == [c.pk for c in reversed(made)]
    for query in ("?offset=99999999999999999999", "?limit=0", "?limit=1000000"):
        refused = api("municipal_contact", "get", query)
        assert refused.status_code == 422 and refused["Content-Type"].startswith("application/json"), query
