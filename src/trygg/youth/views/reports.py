"""A survey's code sheets, the parents' sheet and its published report (web and Excel). Reports exist once the
survey is closed."""

from django.apps import apps
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.downloads import download
from trygg.core.jobs import progress
from trygg.core.permissions import permission_required

from .. import exports, reports, services, tasks
from ..chart import data_uri, indicator_chart, trend_chart
from ..models import Survey
from .surveys import get_survey


@permission_required("youth.view_survey", fn=get_survey)
def codes_pdf(request, pk):
    """The codes to cut out; each download is in the audit trail (a sheet of codes lets anyone answer)."""
    survey = get_survey(request, pk)
    if survey.status != Survey.Status.APPROVED:
        raise Http404
    record_read(survey)
    content = exports.codes_pdf(survey, request.build_absolute_uri(reverse("youth:start")))
    return download(content, [_("codes"), survey.municipality.name, str(survey.year)], "pdf", inline=True)


# The sheet's languages: bokmål first; more follow when the site speaks them (settings.LANGUAGES).
PARENT_LANGUAGES = ("nb", "en")


@permission_required("youth.view_survey", fn=get_survey)
def parents_pdf(request, pk):
    """The information sheet for parents of under-18s, from the day of the order: it goes home before the survey."""
    survey = get_survey(request, pk)
    language = request.GET.get("lang") if request.GET.get("lang") in PARENT_LANGUAGES else PARENT_LANGUAGES[0]
    content = exports.parents_pdf(survey, request.build_absolute_uri(reverse("youth:start")), language)
    with translation.override(language):
        name = [_("information-for-parents"), survey.municipality.name, str(survey.year)]
    return download(content, name, "pdf", inline=True)


@permission_required("youth.view_survey", fn=get_survey)
def report(request, pk):
    survey = get_survey(request, pk)
    context = {"survey": survey, "published": survey.status == Survey.Status.CLOSED, "min": reports.min_answers()}
    if context["published"]:
        levels = reports.report(survey)
        names = (survey.municipality.name, survey.municipality.county.name, _("Norway"))
        for level in levels:
            level["chart"] = data_uri(indicator_chart(level["indicators"]))
            for indicator in level["indicators"]:
                indicator["trend_chart"] = data_uri(trend_chart(indicator["trend"], names))
        context["levels"] = levels
        context["rate"] = services.response_rate(survey)
        context["own_questions"] = reports.own_questions(survey)
        context["weak"] = services.weak_indicators(survey, request.user, levels)
        # Other apps' help for the weak indicators (the measures catalogue), asked through their AppConfig: youth
        # imports none of them.
        context["panels"] = [
            panel
            for config in apps.get_app_configs()
            if hasattr(config, "youth_report_panel")
            and (panel := config.youth_report_panel(request.user, survey, context["weak"]))
        ]
    return render(request, "youth/report.html", context)


@require_POST
@permission_required("youth.view_survey", fn=get_survey)
def report_pdf(request, pk):
    """Typesetting takes seconds, so the worker makes the PDF while the user watches its progress."""
    survey = get_survey(request, pk)
    if survey.status != Survey.Status.CLOSED:
        raise Http404
    job = progress.start(
        request.user, _("Youth survey %(survey)s (PDF)") % {"survey": survey}, tasks.report_pdf, survey.pk
    )
    return redirect(progress.url(job))


@permission_required("youth.view_survey", fn=get_survey)
def report_export(request, pk):
    survey = get_survey(request, pk)
    if survey.status != Survey.Status.CLOSED:
        raise Http404
    return download(
        exports.report_xlsx(survey), [_("youth-survey"), survey.municipality.name, str(survey.year)], "xlsx"
    )


urlpatterns = [
    path("ungdomsundersokelse/<int:pk>/koder.pdf", codes_pdf, name="codes_pdf"),
    path("ungdomsundersokelse/<int:pk>/foreldre.pdf", parents_pdf, name="parents_pdf"),
    path("ungdomsundersokelse/<int:pk>/rapport/", report, name="report"),
    path("ungdomsundersokelse/<int:pk>/rapport.xlsx", report_export, name="report_export"),
    path("ungdomsundersokelse/<int:pk>/rapport/pdf/", report_pdf, name="report_pdf"),
]
