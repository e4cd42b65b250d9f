"""Researchers' access to raw anonymous answer sets: KS grants and revokes it; the researcher it names downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.downloads import download, filename
from trygg.core.permissions import permission_required

from .. import research
from ..forms import GrantForm
from ..models import ResearchGrant
from ..services import SurveyError


def get_grant(request, pk, **kwargs):
    return get_object_or_404(ResearchGrant.objects.select_related("user"), pk=pk)


@permission_required("youth.view_grants")
def grants(request):
    rows = [(grant, research.is_active(grant)) for grant in research.grants_for(request.user)]
    context = {"rows": rows, "can_grant": request.user.has_perm("youth.grant_research")}
    return render(request, "youth/grants.html", context)


@permission_required("youth.grant_research")
def grant_new(request):
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            research.grant(
                request.user, data["user"], data["purpose"], data["until"], list(data["surveys"]), data["year"],
                data["level"],
            )  # fmt: skip
        except SurveyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Access granted. The researcher finds it under “Research access”."))
            return redirect("youth:grants")
    return render(request, "youth/grant_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@permission_required("youth.grant_research")
def grant_revoke(request, pk):
    research.revoke(request.user, get_grant(request, pk))
    messages.success(request, _("Access revoked: no more downloads."))
    return redirect("youth:grants")


@permission_required("youth.download_answers", fn=get_grant)
def grant_export(request, pk, kind):
    """The answer sets in the grant's scope; each download is in the audit trail with the grant and its purpose."""
    grant = get_grant(request, pk)
    if grant.user_id != request.user.pk:  # a KS administrator passes every permission check; the grant names one
        raise PermissionDenied
    if kind not in ("csv", "xlsx"):
        raise Http404
    if not research.is_active(grant):
        message = _("This access was revoked.") if grant.revoked_on else _("This access has expired.")
        return render(request, "youth/grant_refused.html", {"grant": grant, "message": message}, status=403)
    name = [_("youth-survey-answers"), str(grant.pk)]
    if kind == "xlsx":
        try:
            content = research.xlsx(grant)
        except SurveyError as error:
            messages.error(request, error.message)
            return redirect("youth:grants")
        record_read(grant)
        return download(content, name, "xlsx")
    record_read(grant)
    response = StreamingHttpResponse(research.csv_chunks(grant), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename(name, "csv"))
    return response


urlpatterns = [
    path("ungdomsundersokelse/forskning/", grants, name="grants"),
    path("ungdomsundersokelse/forskning/ny/", grant_new, name="grant_new"),
    path("ungdomsundersokelse/forskning/<int:pk>/trekk-tilbake/", grant_revoke, name="grant_revoke"),
    path("ungdomsundersokelse/forskning/<int:pk>/svar.<str:kind>", grant_export, name="grant_export"),
]
