"""Background work of the youth survey: a municipality's report as PDF, while the user watches its progress."""

from django.utils.translation import gettext as _

from trygg import dbrouter
from trygg.core.downloads import filename
from trygg.core.jobs.policy import Permanent
from trygg.core.jobs.progress import job_task

from . import exports
from .models import Survey


@job_task
def report_pdf(progress, survey_pk: int) -> None:
    survey = Survey.objects.select_related("municipality__county").filter(pk=survey_pk).first()
    if survey is None or survey.status != Survey.Status.CLOSED:
        raise Permanent(f"No published youth survey {survey_pk}")
    with dbrouter.reports():
        content = exports.report_pdf(survey, progress.update)
    progress.finish_file(filename([_("youth-survey"), survey.municipality.name, str(survey.year)], "pdf"), content)
