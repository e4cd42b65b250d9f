"""The library in a real browser: a KS adviser uploads a PDF and watches the worker read it; a municipal user
searches in Norwegian, gets suggestions as they type, and opens a hit at its page. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, submit, use_session_of
from tests.library.conftest import pdf
from trygg.core.models import Job
from trygg.library import index, services, tasks
from trygg.library.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_adviser_uploads_and_watches_the_text_being_read(page, live_server, users, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a worker of our own
    use_session_of(page, live_server, users["ks_adviser"])
    page.goto("/bibliotek/")
    page.get_by_role("link", name="Last opp et dokument").click()
    assert_accessible(page)
    report = tmp_path / "ungdom.pdf"
    report.write_bytes(pdf(["Ungdom i kommunen", "Forebygging av rus blant ungdommene"]))
    page.get_by_label("Fil", exact=True).set_input_files(report)
    page.get_by_label("Tittel").fill("Ungdom og rus i kommunen")
    page.get_by_label("Forfattere").fill("Nordmann, Kari")
    page.get_by_label("Type").select_option(label="Forskningsrapport")
    page.get_by_label("Tilgang").select_option(label="Alle kommuner")
    submit(page.get_by_role("button", name="Last opp og les"))
    expect(page).to_have_url(re.compile(r"/jobber/"))
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    assert_accessible(page)

    job = Job.objects.get()
    document = Document.objects.get()
    tasks.read.call(str(job.pk), document.pk)  # the worker reads the file; the page polls and goes to the result
    expect(page).to_have_url(re.compile(rf"/bibliotek/{document.pk}/$"), timeout=10_000)
    expect(page.get_by_text("Teksten på 2 sider er lest")).to_be_visible()
    expect(page.get_by_role("heading", name="Ungdom og rus i kommunen")).to_be_visible()
    assert_accessible(page)


def test_a_municipal_user_searches_and_opens_a_hit_at_its_page(page, live_server, users):
    admin = users["ks_admin"]
    data = {"title": "Trygge kommuner", "kind": "guide", "access": "municipalities", "year": 2019}
    pages = "Om veilederen.\fKriminalitetsforebygging i skolen.\fRekruttering til kriminelle miljøer."
    services.add_trusted(admin, data, "veileder.txt", pages.encode())
    services.add_trusted(admin, {**data, "title": "Om rus", "kind": "report"}, "rus.txt", b"Rus og ungdom.")
    index.rebuild()
    use_session_of(page, live_server, users["municipal_contact"])
    page.goto("/bibliotek/")
    assert_accessible(page)
    search = page.get_by_role("searchbox", name="Søk")
    search.press_sequentially("trygge komm")
    expect(page.locator("#suggestions").get_by_role("link", name="Trygge kommuner")).to_be_visible()
    search.fill("forebygging")
    submit(page.get_by_role("button", name="Søk", exact=True))
    expect(page.get_by_role("heading", name="1 dokument")).to_be_visible()
    expect(page.locator("mark", has_text="Kriminalitetsforebygging")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Åpne på side 2").click()
    expect(page).to_have_url(re.compile(r"/tekst/#side-2$"))
    expect(page.locator("#side-2")).to_contain_text("Kriminalitetsforebygging i skolen")
    expect(page.locator("section.text-page:target")).to_have_id("side-2")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til «Trygge kommuner»").click()
    expect(page.get_by_role("heading", name="Lignende dokumenter")).to_be_visible()
    assert_accessible(page)
