"""Layout, language, forms and errors as a visitor meets them."""

import polib
import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from trygg.core.models import Person

pytestmark = pytest.mark.django_db


def test_norwegian_by_default_with_landmarks_and_skip_link(client, municipalities):
    page = client.get("/")
    assert '<html lang="nb">' in page.text
    assert 'href="#main"' in page.text and '<main id="main"' in page.text
    assert "<nav" in page.text and "<footer" in page.text
    assert "Logg inn" in page.text


def test_norwegian_even_for_an_english_browser(client, municipalities):
    page = client.get("/kommuner/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="nb">' in page.text and "Kommuner" in page.text


def test_switch_to_english_and_back(client, municipalities):
    client.post("/i18n/setlang/", {"language": "en", "next": "/kommuner/"})
    english = client.get("/kommuner/")
    assert '<html lang="en">' in english.text and "Municipalities" in english.text
    client.post("/i18n/setlang/", {"language": "nb", "next": "/kommuner/"})
    assert "Kommuner" in client.get("/kommuner/").text


def test_norwegian_number_formats(client, municipalities):
    page = client.get("/kommuner/0301/")
    # 717 710 inhabitants is written with a (non-breaking) space as the thousands separator.
    assert "\xa0" in page.context["municipality"].population.__format__(",").replace(",", "\xa0")
    assert any(f"{n}\xa0" in page.text for n in range(100, 1000))


@pytest.mark.parametrize("app", ["core", "events", "mapping", "measures", "cases", "networks"])
def test_catalogue_is_complete_and_compiled(app):
    po_path = settings.BASE_DIR / app / "locale" / "nb" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:5]
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    stale = [e.msgid for e in po.translated_entries() if (e.msgctxt, e.msgid) not in mo]
    assert not stale, f"django.mo is older than django.po; run `make messages`: {stale[:5]}"


def test_friendly_404_in_norwegian(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.text


def test_server_error_page_is_friendly(client, municipalities, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("trygg.core.views.places.search_municipalities", broken)
    client.raise_request_exception = False
    response = client.get("/kommuner/")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.text


def test_form_errors_are_shown_and_nothing_is_saved(clients):
    response = clients["ks_adviser"].post("/personer/ny/", {"name": "", "email": "ikke-en-epost"})
    assert response.status_code == 200
    assert "Feltet er påkrevet" in response.text
    assert "gyldig e-postadresse" in response.text
    assert not Person.objects.exists()


def test_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_csrf_is_enforced_with_a_friendly_page(municipalities):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/konto/logg-inn/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.text


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300), county=st.text(max_size=5), page=st.text(max_size=5))
def test_search_never_fails_on_odd_input(client, municipalities, query, county, page):
    for url in ("/kommuner/", "/api/municipalities", "/api/organisations"):
        response = client.get(url, {"q": query, "county": county, "page": page})
        assert response.status_code in (200, 400, 401, 422), (url, query, county)


def test_nul_characters_in_an_api_body_get_a_clear_answer(client, municipalities):
    response = client.post("/api/events/1/registrations", '{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


def test_nul_characters_get_a_clear_answer(client, municipalities):
    response = client.get("/kommuner/", {"county": "\x00"})
    assert response.status_code == 400
    assert "Vi forstod ikke forespørselen" in response.text
