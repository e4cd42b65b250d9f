"""The layout and forms through HTTP: home page, menu groups, login reasons, two-factor page, widgets, dashboards."""

import re

import pytest
from django.test import Client

from tests.conftest import make_user
from trygg.core.models import Area, Organisation, Role

pytestmark = pytest.mark.django_db


def test_home_page_cards_are_links_to_parts_that_exist(client, municipalities):
    html = client.get("/").content.decode()
    cards = re.findall(r'<li class="card">\s*<h3><a href="([^"]+)">([^<]+)</a></h3>', html)
    assert [title for _url, title in cards] == ["Arrangementer", "Situasjonsrapporter", "Tiltak", "Veileder", "Råd",
                                                "Ungdomsundersøkelse", "Svar på ungdomsundersøkelsen",
                                                "Bistand i vanskelige saker", "Bibliotek", "Kommuner"]  # fmt: skip
    for url, _title in cards:
        assert client.get(url, follow=True).status_code == 200
    # Pages that need a login say so, and the search leads to the register.
    assert 'href="/konto/logg-inn/?next=/kartlegging/"' in html
    assert 'action="/kommuner/"' in html


def test_anonymous_visitor_sent_to_log_in_is_told_why(client, municipalities):
    response = client.get("/tiltak/rad/4601/", follow=True)
    assert "Logg inn for å se råd." in response.content.decode()
    assert "Logg inn for å se situasjonsrapporter." in client.get("/kartlegging/", follow=True).content.decode()
    assert "Logg inn for å se" not in client.get("/konto/logg-inn/").content.decode()


def test_two_factor_page_shows_no_menu_and_no_name(municipalities):
    user = make_user(Role.KS_ADMIN, first_name="Kari", last_name="Nordmann")
    client = Client()
    client.force_login(user)
    html = client.get("/konto/tofaktor/").content.decode()
    assert "Hovedmeny" not in html
    assert "Kari Nordmann" not in html
    assert "Logg ut" in html


def test_menu_groups_the_registers_for_staff_only(clients):
    admin = clients["ks_admin"].get("/oversikt/").content.decode()
    group = re.search(r"<details data-nav-group>\s*<summary>Registre</summary>(.*?)</details>", admin, re.S)
    assert group, "the administrator's registers are one group"
    assert re.findall(r">([^<]+)</a>", group.group(1)) == ["Organisasjoner", "Personer", "Revisjonsspor"]
    # A contact sees one of the three, as a plain link: no group of one.
    contact = clients["municipal_contact"].get("/oversikt/").content.decode()
    assert "<summary>Registre</summary>" not in contact
    assert '<a href="/organisasjoner/">Organisasjoner</a>' in contact


def test_forms_say_choose_and_name_countries(clients):
    html = clients["ks_admin"].get("/organisasjoner/ny/").content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Velg …</option>' in html
    assert '<option value="NO" selected>Norge</option>' in html
    assert "Landkode" not in html
    assert re.search(r'<select name="municipality"[^>]*data-searchable', html)


def test_a_country_is_saved_by_its_code(clients):
    response = clients["ks_admin"].post(
        "/organisasjoner/ny/", {"name": "Det kriminalpreventive råd", "kind": "other", "country": "DK"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Det kriminalpreventive råd").country == "DK"
    response = clients["ks_admin"].post("/organisasjoner/ny/", {"name": "X", "kind": "other", "country": "XX"})
    assert "Velg et gyldig valg" in response.content.decode()


def test_municipality_lists_come_with_every_municipality_to_search(clients, municipalities):
    html = clients["ks_admin"].get("/kartlegging/runder/ny/").content.decode()
    assert re.search(r'<textarea name="municipalities"[^>]*data-municipalities="id_municipalities-options"', html)
    options = re.search(r'<script id="id_municipalities-options" type="application/json">(.*?)</script>', html, re.S)
    assert options and '"Bergen (4601)"' in options.group(1)
    assert options.group(1).count('"value"') == municipalities.count()


def test_partner_dashboard_promises_only_what_the_partner_may_do(municipalities):
    editor = make_user(Role.PARTNER, username="editor", partner_areas=[Area.MEASURES])
    reader = make_user(Role.PARTNER, username="reader", partner_areas=[Area.MAPPING])
    for user, proposes in ((editor, True), (reader, False)):
        client = Client()
        client.force_login(user)
        html = client.get("/oversikt/").content.decode()
        assert ("Foreslå et tiltak" in html) is proposes
        assert "KS har gitt deg tilgang til disse delene av Trygg" in html
        assert "lesetilgang" not in html
