"""A second, ordinary event walked in the browser from creation to invoice basis: the Bergen conference.

A KS adviser creates it, sets up tiers, invites municipalities and a partner organisation, adds a missing contact
right in the invitation list and sends; a contact without a login registers through the personal link; the
invoice basis shows the delegates. axe-core checks every page on the way.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, search, submit
from trygg.core.models import Organisation
from trygg.events.models import Event, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s]+/arrangementer/invitasjon/[^\s]+/")


def test_adviser_runs_the_bergen_conference_from_creation_to_invoice_basis(page, browser, live_server, users):
    Organisation.objects.create(name="Kripos", kind=Organisation.Kind.NATIONAL_POLICE)
    start = timezone.localdate() + dt.timedelta(days=60)
    log_in(page, users["ks_adviser"])

    page.goto("/arrangementer/ny/")
    page.locator("#id_title").fill("Regional konferanse: Trygghet i det offentlige rom")
    page.locator("#id_kind").select_option("conference")
    page.locator("#id_city").fill("Bergen")
    page.locator("#id_venue").fill("Grieghallen")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill((start + dt.timedelta(days=1)).isoformat())
    page.locator("#id_registration_deadline").fill(f"{(start - dt.timedelta(days=14)).isoformat()}T12:00")
    page.locator("#id_price_per_person").fill("1850")
    page.locator("#id_includes_overnight").uncheck()
    page.locator("#id_package_includes").fill("Lunsj begge dager\nKaffe")
    page.locator("#id_package_excludes").fill("Middag")
    assert_accessible(page)
    submit(page.locator("main").get_by_role("button", name="Lagre"))
    event = Event.objects.get(title="Regional konferanse: Trygghet i det offentlige rom")
    page.locator("#id_status").select_option("registration_open")
    submit(page.get_by_role("button", name="Endre status"))
    assert_accessible(page)

    page.goto(f"/arrangementer/{event.pk}/invitasjoner/")
    for name, quota in (("Fylkeshovedstad", "4"), ("Andre kommuner i Vestland", "2"), ("Partnere", "1")):
        page.locator("#id_tier-name").fill(name)
        page.locator("#id_tier-quota").fill(quota)
        submit(page.get_by_role("button", name="Legg til invitasjonsgruppe"))
    capital, others, partners = event.tiers.order_by("order")

    # The searchable list: Vestland's municipalities, ticking Bergen into the capital tier.
    page.locator("#id_county").select_option("46")
    submit(page.get_by_role("button", name="Søk", exact=True))
    page.locator("#id_invite-tier").select_option(str(capital.pk))
    page.get_by_label("Bergen").check()
    submit(page.get_by_role("button", name="Inviter de avkryssede"))
    expect(page.locator(".offered")).to_contain_text("Bergen – invitert (Fylkeshovedstad)")
    page.locator("#id_invite-tier").select_option(str(others.pk))
    search(page, "id_invite-municipalities", "Voss", "Voss (4621)")
    search(page, "id_invite-municipalities", "Askøy", "Askøy (4627)")
    page.keyboard.press("Escape")
    submit(page.get_by_role("button", name="Inviter de navngitte"))
    page.locator("#id_partner-tier").select_option(str(partners.pk))
    page.locator("#id_partner-organisation").select_option(label="Kripos")
    submit(page.get_by_role("button", name="Inviter organisasjonen"))
    assert_accessible(page)

    # Voss has no contact: the list says so, and one is added right there.
    voss = event.invitations.get(municipality__name="Voss")
    row = page.locator(f"#invitation-{voss.pk}")
    expect(row).to_contain_text("Ingen kontakt å sende til")
    submit(row.get_by_role("link", name=re.compile("Legg til en kontaktperson")))
    expect(page.get_by_role("heading", name="En ny kontaktperson for Voss")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Navn").fill("Vidar Voss")
    page.get_by_label("E-post").fill("vidar@voss.kommune.invalid")
    submit(page.get_by_role("button", name="Legg til kontaktperson"))
    submit(page.get_by_role("button", name=re.compile("Send invitasjonene")))
    expect(page.get_by_role("status").first).to_contain_text("Invitasjonen er sendt til")
    expect(page.locator(f"#invitation-{voss.pk}")).to_contain_text("vidar@voss.kommune.invalid")
    assert_accessible(page)

    # The contact, without a login, opens the link from the e-mail and registers Voss's delegation.
    message = next(m for m in mail.outbox if m.to == ["vidar@voss.kommune.invalid"])
    link = LINK.search(message.body).group(0)
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.console_errors = []
    visitor.on("console", lambda message: message.type == "error" and visitor.console_errors.append(message.text))
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=2).first).to_contain_text("Delegasjon fra Voss")
    expect(visitor.locator("main")).to_contain_text("Påmeldingsfrist")
    assert visitor.locator("#id_overnight").count() == 0  # no overnight stay in the package
    assert_accessible(visitor)
    visitor.get_by_label("Navn", exact=True).fill("Vilde Voss (fiktiv)")
    visitor.get_by_label("Rolle").select_option("slt_coordinator")
    visitor.get_by_label("E-post").fill("vilde@voss.kommune.invalid")
    submit(visitor.get_by_role("button", name="Meld på"))
    expect(visitor.get_by_role("table")).to_contain_text("Vilde Voss (fiktiv)")
    assert_accessible(visitor)
    visitor.context.close()
    assert Registration.objects.get(email="vilde@voss.kommune.invalid").status == "confirmed"

    # The adviser sees the link opened and someone registered, and the invoice basis.
    page.goto(f"/arrangementer/{event.pk}/invitasjoner/")
    expect(page.locator(f"#invitation-{voss.pk}")).to_contain_text("Åpnet")
    expect(page.locator(f"#invitation-{voss.pk}")).to_contain_text("Har meldt på")
    page.goto(f"/arrangementer/{event.pk}/budsjett/")
    expect(page.locator("main")).to_contain_text("Voss")
    expect(page.locator("main")).to_contain_text("1\xa0850")
    assert_accessible(page)
