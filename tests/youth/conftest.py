import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.core.models import Municipality
from trygg.youth import demo, services


@pytest.fixture
def standard(db):
    demo.load_standard()


@pytest.fixture
def running(standard, users):
    """Bergen's survey, approved and open today: one class in grade 9 with 12 pupils."""
    admin = users["ks_admin"]
    today = timezone.localdate()
    survey = services.order_survey(
        users["municipal_contact"],
        Municipality.objects.get(name="Bergen"),
        today,
        today + dt.timedelta(days=30),
        "Nordnes skole; 9A; 9; 12",
        themes=["vold"],
    )
    return services.approve_survey(admin, survey)


def codes(survey) -> list[str]:
    return list(services.AccessCode.objects.filter(school_class__school__survey=survey).values_list("code", flat=True))


def report_pdf_words(client, survey, tmp_path, capture_on_commit) -> str:
    """The survey's report PDF as ``client`` orders and downloads it (a background job), its words joined by spaces."""
    with capture_on_commit(execute=True):
        queued = client.post(reverse("youth:report_pdf", args=[survey.pk]))
    job = client.get(queued["Location"]).context["job"]
    assert job.state == "done", job.message
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(job.result_url).getvalue())
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
