"""Background work of situation reports: the national situation brief as PDF, read from the replica if any."""

from django.utils.translation import gettext as _

from trygg import dbrouter
from trygg.core.downloads import filename
from trygg.core.jobs.policy import Permanent
from trygg.core.jobs.progress import job_task

from . import exports
from .models import Round


@job_task
def brief_pdf(progress, round_pk: int) -> None:
    round = Round.objects.filter(pk=round_pk).first()
    if round is None:
        raise Permanent(f"No round {round_pk}")
    with dbrouter.reports():
        content = exports.brief_pdf(round, progress.update)
    progress.finish_file(filename([_("situation-brief"), round.name], "pdf"), content)
