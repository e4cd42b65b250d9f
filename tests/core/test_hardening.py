"""What a stranger or a careless client can send: forged hosts, a busy database, and caches that keep secrets."""

import pytest
from django.db import OperationalError
from django.test import Client

from trygg.core.views import places

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/kommuner/", "/konto/logg-inn/", "/api/events/", "/finnes-ikke/"])
def test_a_forged_host_header_is_a_bad_request_not_a_server_error(municipalities, path):
    response = Client(HTTP_HOST="evil.example").get(path)
    assert response.status_code == 400


def test_pages_for_a_logged_in_user_are_never_stored(clients):
    for role in ("municipal_contact", "ks_admin", "partner"):
        response = clients[role].get("/oversikt/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "no-store" in clients["ks_admin"].get("/revisjonsspor/")["Cache-Control"]


def test_api_answers_are_never_stored_public_pages_may_be(clients):
    assert "no-store" in clients["anonymous"].get("/api/events/")["Cache-Control"]
    assert "no-store" in clients["municipal_contact"].get("/api/events/")["Cache-Control"]
    assert "no-store" not in clients["anonymous"].get("/kommuner/").get("Cache-Control", "")


def test_a_database_busy_for_too_long_is_answered_try_again(clients, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(places, "get_object_or_404", locked)
    page = clients["municipal_contact"].get("/kommuner/0301/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "Prøv igjen" in page.text or "prøv igjen" in page.text
