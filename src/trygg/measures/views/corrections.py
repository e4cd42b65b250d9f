"""Proposed corrections and the sources behind the catalogue: where editors review what the starter files propose,
and where KS staff record that a source has been checked against the original.

Views are thin: ``corrections`` and ``citations`` decide; a refused decision comes back with the service's message.
"""

from django.contrib import messages
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required

from .. import citations, corrections
from ..models import Proposal, Source


@permission_required("measures.view_drafts")
def proposal_list(request):
    decided = Proposal.objects.exclude(status=Proposal.Status.OPEN).select_related("measure", "chapter", "decided_by")
    context = {"open": corrections.open_proposals(), "decided": decided[:30]}
    return render(request, "measures/proposals.html", context)


@permission_required("measures.view_drafts")
def proposal_detail(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("measure", "chapter", "decided_by"), pk=pk)
    target = proposal.measure or proposal.chapter
    context = {
        "proposal": proposal,
        "target": target,
        "differences": corrections.differences(proposal) if proposal.status == Proposal.Status.OPEN else [],
        "can_decide": request.user.has_perm("measures.publish_measure"),
    }
    return render(request, "measures/proposal.html", context)


@require_POST
@permission_required("measures.publish_measure")
def proposal_decide(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            revision = int(request.POST.get("revision", ""))
            corrections.accept(request.user, proposal, revision=revision)
            messages.success(request, _("The correction is saved as a new version."))
        else:
            corrections.reject(request.user, proposal)
            messages.success(request, _("The correction was rejected; nothing was changed."))
    except ValueError:
        messages.error(request, _("The form was incomplete. Look at the proposal again."))
    except corrections.ProposalError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("measures:proposal", pk=proposal.pk)


@permission_required("measures.view_drafts")
def source_list(request):
    unchecked_first = F("checked_at").asc(nulls_first=True)  # the same on SQLite and PostgreSQL
    sources = Source.objects.prefetch_related("measures").order_by(unchecked_first, "reference")
    rows = [{"source": source, "c": citations.shown(citations.record(source))} for source in sources]
    context = {
        "rows": [row for row in rows if row["source"].measures.all()],
        # Kept because older editions cite them (the review replaced several), but no measure relies on them now.
        "retired": [row for row in rows if not row["source"].measures.all()],
        "can_check": request.user.has_perm("measures.publish_measure"),
    }
    return render(request, "measures/sources.html", context)


@require_POST
@permission_required("measures.publish_measure")
def source_check(request, pk):
    source = get_object_or_404(Source, pk=pk)
    citations.mark_checked(source, request.user.get_full_name() or request.user.get_username())
    messages.success(request, _("The source is marked as checked against the original."))
    return redirect(reverse("measures:sources") + f"#kilde-{source.pk}")


urlpatterns = [
    path("rettelser/", proposal_list, name="proposals"),
    path("rettelser/<int:pk>/", proposal_detail, name="proposal"),
    path("rettelser/<int:pk>/avgjor/", proposal_decide, name="proposal_decide"),
    path("kilder/", source_list, name="sources"),
    path("kilder/<int:pk>/kontrollert/", source_check, name="source_check"),
]
