"""The municipality's page is where its contacts and KS start: each app's panel, only for those who may see it.

Through HTTP on the demo data: Bergen's situation report and its status, its advice and plan, its delegation to the
Copenhagen trip. Bergen's contact and KS see them; Oslo's contact, a partner without the areas and the public see
only the reference data, which sits below the panels behind a disclosure.
"""

import re

import pytest
from django.urls import reverse

from tests.conftest import logged_in_client, make_user
from trygg.core import demo as core_demo
from trygg.core.audit import acting_as
from trygg.core.models import Area, Municipality, Role, User
from trygg.events import demo as events_demo
from trygg.events.models import Event
from trygg.mapping import demo as mapping_demo
from trygg.mapping.demo import ROUND_NAME
from trygg.mapping.models import Report, Round
from trygg.measures.models import Plan

pytestmark = pytest.mark.django_db

PANELS = ("Situasjonsrapport", "Råd og planer", "Delegasjoner til arrangementer")


@pytest.fixture
def demo(municipalities):
    """The demo's users, trip and round (the catalogue and its editions are left out: slow, and not needed here)."""
    with acting_as(None, "test"):
        core_demo.load(), events_demo.load(), mapping_demo.load()
    bergen = Municipality.objects.get(number="4601")
    return {
        "trip": Event.objects.get(kind=Event.Kind.STUDY_TRIP),
        "round": Round.objects.get(name=ROUND_NAME),
        "plan": Plan.objects.create(municipality=bergen, title="Bergens handlingsplan (fiktiv)"),
        "report": Report.objects.get(round__name=ROUND_NAME, municipalities=bergen),
    }


def contact_for(name: str) -> User:
    user = make_user(Role.MUNICIPAL_CONTACT, username=f"kontakt_{name.lower()}")
    user.municipalities.set(Municipality.objects.filter(name=name))
    return user


def main_of(response) -> str:
    """The page's own content, without the menu."""
    assert response.status_code == 200
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def bergen_as(user) -> str:
    return main_of(logged_in_client(user).get("/kommuner/4601/"))


def test_bergens_contact_starts_from_bergens_page(demo):
    page = bergen_as(User.objects.get(username="kontakt"))
    for heading in PANELS:
        assert f">{heading}</h2>" in page
    assert ROUND_NAME in page and "✓ Besvart" in page
    assert f'href="{demo["report"].get_absolute_url()}"' in page
    assert reverse("measures:advice_for", args=["4601"]) in page and demo["plan"].title in page
    assert f'href="{reverse("events:delegation", args=[demo["trip"].pk, "4601"])}"' in page
    assert "Kontaktpersoner" not in page  # the register of contacts is KS's
    # The reference data comes last, folded away: the panels are what the contact came for.
    assert page.index("Delegasjoner til arrangementer") < page.index("Om kommunen")
    assert "<details>\n    <summary>Fylke, politidistrikt" in page


def test_ks_sees_every_panel_and_the_contacts(demo, users):
    page = bergen_as(users["ks_adviser"])
    for heading in (*PANELS, "Kontaktpersoner"):
        assert f">{heading}</h2>" in page
    assert demo["plan"].title in page


@pytest.mark.parametrize("who", ["oslo", "anonymous", "partner_without_areas"])
def test_others_see_only_what_is_public(demo, who):
    user = {
        "oslo": lambda: contact_for("Oslo"),
        "anonymous": lambda: None,
        "partner_without_areas": lambda: make_user(Role.PARTNER, partner_areas=[]),
    }[who]()
    page = bergen_as(user)
    for private in (*PANELS, ROUND_NAME, demo["plan"].title, "Kontaktpersoner", "/arrangementer/"):
        assert private not in page, private
    assert "<details open>" in page and "Nabokommuner" in page and "Askøy" in page
    if user is not None:  # and what the page does not link to stays closed to them
        client = logged_in_client(user)
        assert client.get(demo["report"].get_absolute_url()).status_code in (403, 404)
        assert client.get(demo["plan"].get_absolute_url()).status_code in (403, 404)


def test_oslos_contact_sees_oslos_own_panels(demo):
    page = main_of(logged_in_client(contact_for("Oslo")).get("/kommuner/0301/"))
    for heading in PANELS:
        assert f">{heading}</h2>" in page
    assert "Bergen" not in re.sub(r"<details.*?</details>", "", page, flags=re.S)


def test_a_partner_sees_the_areas_ks_granted(demo):
    page = bergen_as(make_user(Role.PARTNER, partner_areas=[Area.EVENTS]))
    assert ">Delegasjoner til arrangementer</h2>" in page
    assert ">Situasjonsrapport</h2>" not in page and ">Råd og planer</h2>" not in page


def test_a_contact_starts_the_report_from_the_municipalitys_page(demo):
    hamar = Municipality.objects.get(name="Hamar")
    client = logged_in_client(contact_for("Hamar"))
    page = client.get(hamar.get_absolute_url()).content.decode()
    assert "Ikke påbegynt" in page
    form = re.search(r'<form method="post" action="([^"]+)">.*?name="(\w+)" value="(\d+)".*?</form>', page, re.S)
    assert form and "Begynn på rapporten" in form.group(0)
    response = client.post(form.group(1), {form.group(2): form.group(3)})
    report = Report.objects.get(round=demo["round"], municipalities=hamar)
    assert response.status_code == 302 and response["Location"] == reverse("mapping:report_edit", args=[report.pk])
    assert "Utkast" in client.get(hamar.get_absolute_url()).content.decode()


def test_the_rounds_page_starts_a_report_too(demo):
    """The button beside each of the contact's municipalities on the rounds page sends what the view reads."""
    client = logged_in_client(contact_for("Ringsaker"))
    page = client.get(reverse("mapping:index")).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)">.*?name="(\w+)" value="(\d+)".*?</form>', page, re.S)
    response = client.post(form.group(1), {form.group(2): form.group(3)})
    assert response.status_code == 302 and "/endre/" in response["Location"]
