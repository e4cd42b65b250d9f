"""The national situation brief (web and PDF), the aggregate tables and the full export of a round.

The brief and the aggregates are suppressed for everyone (see ``exports.suppressed_picture``), so any logged-in
user may have them. The full export holds every report: KS advisers only, each download in the audit trail,
never cached.
"""

import base64

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygg import dbrouter
from trygg.core.audit import record_read
from trygg.core.documents import FORMATS
from trygg.core.downloads import download
from trygg.core.jobs import progress
from trygg.core.permissions import permission_required

from .. import exports, tasks
from ..models import Round
from .picture import get_mc_round, get_round


def _download(round: Round, content: bytes, name: str, extension: str, inline: bool = False) -> HttpResponse:
    """The file named after the round, e.g. "situasjonsnotat-2011.pdf"."""
    return download(content, [name, round.name], extension, inline)


def _image(svg: str) -> str:
    """An SVG as an image address: the map stays a picture (no links) and its own colours need no style-src."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@permission_required("mapping.view_picture", fn=get_mc_round)
def brief(request, round_pk):
    round = get_mc_round(request, round_pk)
    brief = exports.brief_data(round)
    context = {
        "round": round,
        "brief": brief,
        "map": _image(brief["map_svg"]),
        "legend": [{"label": entry["label"], "swatch": _image(entry["swatch"])} for entry in brief["map_legend"]],
        "formats": FORMATS,
        "can_export_full": request.user.has_perm("mapping.export_full", round),
    }
    return render(request, "mapping/brief.html", context)


@require_POST
@permission_required("mapping.view_picture", fn=get_mc_round)
def brief_pdf(request, round_pk):
    """The PDF takes seconds to typeset, so the worker makes it while the user watches its progress."""
    round = get_mc_round(request, round_pk)
    job = progress.start(
        request.user, _("Situation brief %(round)s (PDF)") % {"round": round.name}, tasks.brief_pdf, round.pk
    )
    return redirect(progress.url(job))


@permission_required("mapping.view_picture", fn=get_round)
def aggregates_export(request, round_pk, format):
    round = get_round(request, round_pk)
    if format not in FORMATS:
        raise Http404
    with dbrouter.reports():
        content = exports.aggregates(round, format)
    return _download(round, content, _("national-picture"), format)


@never_cache
@permission_required("mapping.export_full", fn=get_round)
def full_export(request, round_pk):
    round = get_round(request, round_pk)
    content = exports.full_export(round)
    record_read(round)
    return _download(round, content, _("situation-reports"), "xlsx")


urlpatterns = [
    path("runder/<int:round_pk>/notat/", brief, name="brief"),
    path("runder/<int:round_pk>/notat/pdf/", brief_pdf, name="brief_pdf"),
    path("runder/<int:round_pk>/tall.<str:format>", aggregates_export, name="aggregates_export"),
    path("runder/<int:round_pk>/alle-svar.xlsx", full_export, name="full_export"),
]
