"""A municipality asks for help through the form: one case per form, no identity numbers, its own municipality."""

import re

import pytest
from django.urls import reverse

from tests.cases.conftest import FNR
from tests.conftest import IDENTITY_NUMBER_DISGUISES, INVISIBLE_NAMES, INVISIBLE_REFUSAL, SCREENING_REFUSAL
from trygg.cases.models import Case
from trygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form_data(client, **changes):
    page = client.get(reverse("cases:create")).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    municipality = re.search(r'<option value="(\d+)"', page).group(1)
    return {
        "submission_key": key,
        "municipality": municipality,
        "title": "Vold mellom grupper",
        "description": "Slagsmål ved ungdomsklubben to helger på rad.",
        "urgency": "acute",
        "involved": "SLT-koordinator, ungdomsklubben",
        "done_so_far": "Møte med politiet.",
        **changes,
    }


def test_a_double_click_submits_one_case(clients, users, mailoutbox, django_capture_on_commit_callbacks):
    client = clients["municipal_contact"]
    data = _form_data(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("cases:create"), data)
        second = client.post(reverse("cases:create"), data)
    case = Case.objects.get()
    assert first.url == second.url == case.get_absolute_url()
    assert case.requested_by == users["municipal_contact"] and case.status == Case.Status.NEW
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Vold mellom grupper" in page and "Mottatt" in page
    # KS's administrators (the triage desk) hear of it once.
    assert [m.to for m in mailoutbox] == [[users["ks_admin"].email]]
    assert AuditEntry.objects.filter(content_type__model="case", object_pk=str(case.pk)).exists()


def test_the_form_warns_against_private_persons_and_refuses_an_identity_number(clients):
    client = clients["municipal_contact"]
    page = client.get(reverse("cases:create")).content.decode()
    assert "Ikke skriv navn" in page
    data = _form_data(client, description=f"Gutten med fødselsnummer {FNR} rekrutteres.")
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "fødselsnummer eller D-nummer" in body and "uten å nevne private personer" in body
    assert "rekrutteres" in body  # what was typed is kept
    assert not Case.objects.exists()


def test_a_contact_asks_only_for_their_own_municipality(clients, users):
    client = clients["municipal_contact"]
    data = _form_data(client, municipality="1")  # Oslo's id is not among the choices
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200 and not Case.objects.exists()
    assert clients["partner"].get(reverse("cases:create")).status_code == 403
    assert clients["ks_adviser"].get(reverse("cases:create")).status_code == 403


@pytest.mark.parametrize("field", ["title", "description", "involved", "done_so_far"])
def test_every_text_of_the_request_refuses_an_identity_number_however_it_is_written(clients, field):
    client = clients["municipal_contact"]
    for disguise in IDENTITY_NUMBER_DISGUISES:
        response = client.post(reverse("cases:create"), _form_data(client, **{field: f"Gjelder {disguise}"}))
        assert response.status_code == 200 and SCREENING_REFUSAL in response.content.decode(), (field, disguise)
    assert not Case.objects.exists()


def test_a_title_of_invisible_characters_is_refused_and_text_is_stored_in_nfc(clients):
    client = clients["municipal_contact"]
    for title in INVISIBLE_NAMES:
        response = client.post(reverse("cases:create"), _form_data(client, title=title))
        assert response.status_code == 200 and not Case.objects.exists(), repr(title)
        assert "title" in response.context["form"].errors, repr(title)
        if title.strip():  # what Python's strip leaves (zero-width characters) meets the rule of visible characters
            assert INVISIBLE_REFUSAL in response.content.decode(), repr(title)
    client.post(reverse("cases:create"), _form_data(client, title="Uro i Ba\u030arum", involved="A\u030asane"))
    case = Case.objects.get()
    assert (case.title, case.involved) == ("Uro i Bårum", "Åsane")
