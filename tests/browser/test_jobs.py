"""Background jobs in a real browser: the progress bar polls by itself under the strict CSP until the result is
there, and the page passes axe-core; asking for the situation brief's PDF leads to its download."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in
from tests.mapping import conftest as mapping
from trygg.core.models import Job

questionnaire, make_round = mapping.questionnaire, mapping.make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_updates_itself_until_the_result_is_there(page, live_server, users):
    owner = users["municipal_contact"]
    job = Job.objects.create(owner=owner, title="Situation brief (PDF)", task_path="x", language="en", percent=40)
    log_in(page, owner)
    in_english(page, live_server)
    page.goto(f"/jobber/{job.pk}/")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "40")
    expect(page.get_by_role("link", name="refresh")).to_be_visible()
    assert_accessible(page)

    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, percent=100, result_url="/", result_name="brief.pdf")
    Job.objects.filter(pk=job.pk).update(result_file="jobs/brief.pdf")
    expect(page.get_by_role("link", name="Download brief.pdf")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "100")
    assert_accessible(page)


def test_asking_for_the_brief_pdf_leads_to_its_download(page, live_server, users, make_round):
    round = make_round()
    log_in(page, users["partner"])
    in_english(page, live_server)
    page.goto(f"/kartlegging/runder/{round.pk}/notat/")
    page.get_by_role("button", name="Make the PDF").click()
    page.wait_for_url("**/jobber/**")
    link = page.get_by_role("link", name="Download situation-brief-2011.pdf")
    expect(link).to_be_visible()
    assert_accessible(page)
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
