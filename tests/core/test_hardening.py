"""What a stranger or a careless client can send: forged hosts, a busy database, and caches that keep secrets."""

import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from trygg.core.views import places

pytestmark = pytest.mark.django_db


def every_path(resolver=None, prefix="") -> list[str]:
    """One concrete path for every URL pattern of the project (the admin's too), parameters filled in with 1."""
    paths = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + _concrete(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            paths += every_path(pattern, route)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + route)
    return paths


def _concrete(route: str) -> str:
    """A route or regex made into a path: ``<int:pk>`` and ``(?P<pk>...)`` become 1, anchors and escapes go."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    return re.sub(r"[\^$?]|\\", "", route)


PATHS = every_path()


def test_the_walk_reaches_every_app():
    for prefix in ("/api/", "/ung/", "/bibliotek/", "/saker/", "/nettverk/", "/ungdomsundersokelse/", "/admin/"):
        assert any(path.startswith(prefix) for path in PATHS), prefix


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_host_header_is_a_bad_request_on_every_path(municipalities, method):
    """Every URL pattern of every app, the API's included, and a path that does not exist."""
    forged = Client(HTTP_HOST="evil.example")
    for path in [*PATHS, "/finnes-ikke/", "/api/finnes-ikke"]:
        response = getattr(forged, method)(path)
        assert response.status_code == 400, (method, path, response.status_code)


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


def test_the_newer_apps_private_pages_and_api_answers_are_never_stored(users, clients, settings):
    """A case and its API answer, a youth survey's report and figures, a KS-only library document (page, file and
    API) and a network's contact people: each one no-store, as the issue asks for sensitive pages and answers."""
    import datetime as dt
    import uuid

    from django.utils import timezone

    from trygg.cases import services as cases
    from trygg.core.models import APIToken, Municipality
    from trygg.library import services as library
    from trygg.networks import services as networks
    from trygg.youth import demo as youth_demo
    from trygg.youth import services as youth

    bergen = Municipality.objects.get(name="Bergen")
    contact, admin = users["municipal_contact"], users["ks_admin"]
    case, _created = cases.submit(
        contact,
        municipality=bergen,
        submission_key=uuid.uuid4(),
        title="Uro",
        description="Uro ved klubben.",
        urgency="soon",
    )
    youth_demo.load_standard()
    today = timezone.localdate()
    survey = youth.order_survey(contact, bergen, today, today + dt.timedelta(days=9), "Nordnes skole; 9A; 9; 12")
    document = library.add_trusted(
        admin, {"title": "Internt notat", "kind": "report", "access": "ks"}, "notat.txt", b"Bare for KS."
    )
    network = networks.create_network(admin, "Nettverk mot MC-kriminalitet")
    networks.add_member(admin, network, municipality=bergen)
    pages = {
        "municipal_contact": [
            case.get_absolute_url(),
            f"/ungdomsundersokelse/{survey.pk}/",
            network.get_absolute_url(),
        ],
        "ks_admin": [f"/bibliotek/{document.pk}/", f"/bibliotek/{document.pk}/fil/", case.get_absolute_url()],
    }
    api = {
        "municipal_contact": ["/api/cases", f"/api/cases/{case.pk}", "/api/youth/surveys"],
        "ks_admin": [f"/api/library/documents/{document.pk}", "/api/library/documents", f"/api/cases/{case.pk}"],
    }
    for role, paths in pages.items():
        for path in paths:
            response = clients[role].get(path)
            assert response.status_code == 200, (role, path)
            assert "no-store" in response["Cache-Control"], (role, path)
    for role, paths in api.items():
        token = APIToken.issue(users[role], "cache")[1]
        for path in paths:
            response = Client().get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, (role, path)
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], (role, path)
