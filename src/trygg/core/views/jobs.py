"""A job's progress for the user who started it: a page that works without JavaScript (with a refresh link), an
htmx partial that polls itself until the job is done, and the result file. Anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from ..jobs.models import Job

POLL_SECONDS = 1
STOP_POLLING = 286  # htmx stops polling on this status and still swaps the content


def get_own_job(request, pk) -> Job:
    return get_object_or_404(Job, pk=pk, owner=request.user)


@never_cache
@login_required
def job(request, pk):
    """The job's page; once done, a result that is a page (not a file) is where the user goes."""
    job = get_own_job(request, pk)
    if _goes_to_page(job):
        messages.success(request, job.message)
        return redirect(job.result_url)
    return render(request, "core/job.html", {"job": job, "poll_seconds": POLL_SECONDS})


@never_cache
@login_required
def job_status(request, pk):
    """The progress partial polled by htmx; done, it stops the polling and, for a page result, goes there."""
    job = get_own_job(request, pk)
    response = render(request, "core/_job_progress.html", {"job": job})
    if job.finished:
        response.status_code = STOP_POLLING if request.htmx else 200
        if request.htmx and _goes_to_page(job):
            messages.success(request, job.message)
            response["HX-Redirect"] = job.result_url
    return response


def _goes_to_page(job: Job) -> bool:
    """A job whose result is a page (the groups made) sends the user there, with the job's message."""
    return job.state == Job.State.DONE and bool(job.result_url) and not job.result_file


@never_cache
@login_required
def job_file(request, pk):
    job = get_own_job(request, pk)
    if job.state != Job.State.DONE or not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), filename=job.result_name)
