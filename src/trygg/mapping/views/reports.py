"""Filling in a situation report: start, read, edit a draft, submit, reopen. Every page that shows one audits the read.

Saving, submitting and reopening are open to those who answer for the report (KS staff and the municipality's
contacts) even after the deadline, so a late click gets the service's clear message — and keeps the typed
answers — instead of a bare 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.models import Municipality
from trygg.core.permissions import permission_required

from .. import answers as definition_answers
from .. import reports as services
from ..forms import GroupFormSet, MeasureFormSet, ReportForm, group_initial, measure_initial
from ..models import CrimeKind, Partner, Report, Round
from ..rules import contact_for_report


def get_report(request, pk, **kwargs):
    return get_object_or_404(Report.objects.select_related("round__questionnaire", "round__definition"), pk=pk)


def _require_answerer(user, report) -> None:
    """The report's own people may try to change it; the service then judges the deadline and the status."""
    if not (user.has_perm("mapping.change_report", report) or contact_for_report(user, report)):
        raise PermissionDenied


@require_POST
@permission_required("mapping.view_round")
def report_start(request, round_pk):
    """Start the report of one municipality, or of several the contact answers for together as a region."""
    round = get_object_or_404(Round, pk=round_pk)
    chosen = list(Municipality.objects.filter(number__in=request.POST.getlist("municipality")))
    user = request.user
    if not (user.has_perm("mapping.start_report") and all(user.has_perm("mapping.start_report", m) for m in chosen)):
        raise PermissionDenied
    try:
        report = services.start_report(user, round, chosen)
    except services.ReportError as error:
        messages.error(request, error.message)
        return redirect("mapping:index")
    return redirect("mapping:report_edit", pk=report.pk)


@permission_required("mapping.view_report", fn=get_report)
def report(request, pk):
    report = get_report(request, pk)
    record_read(report)
    return render(
        request,
        "mapping/report.html",
        {
            "report": report,
            "is_open": services.is_open(report.round),
            "may_change": request.user.has_perm("mapping.change_report", report),
            "groups": report.groups.select_related("group"),
            "measures": services.taken_measures(report),
            "crime_kinds": _labels(CrimeKind, report.crime_kinds),
            "partners": _labels(Partner, report.partners),
            "answers": definition_answers.rows(report),
            "warnings": services.warnings(report),
        },
    )


def _labels(choices, values) -> list[str]:
    return [choices(value).label for value in values if value in choices.values]


@permission_required("mapping.view_report", fn=get_report)
def report_edit(request, pk):
    report = get_report(request, pk)
    _require_answerer(request.user, report)
    record_read(report)
    if request.method != "POST":
        try:
            services.require_editable(report)
        except services.ReportError as error:
            messages.error(request, error.message)
            return redirect(report)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, report=report)
    mc = report.round.asks_mc  # the groups and measures rows belong to the deck's MC questions
    groups = GroupFormSet(data, initial=group_initial(report), prefix="groups") if mc else None
    measures = MeasureFormSet(data, initial=measure_initial(report), prefix="measures") if mc else None
    conflict, status = False, 200
    if data is not None and all([form.is_valid(), not mc or groups.is_valid(), not mc or measures.is_valid()]):
        answers = form.report_data()
        try:
            saved = services.save_report(
                request.user,
                report,
                answers,
                [row for row in (f.row() for f in groups) if row] if mc else [],
                [row for row in (f.row() for f in measures) if row] if mc else [],
                form.cleaned_data["revision"],
            )
        except services.ReportConflict as error:
            form.add_error(None, error.message)
            conflict, status = True, 409
        except services.ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft was saved. Submit it when it is complete."))
            unasked = definition_answers.not_saved(report.round, answers["answers"], saved.answers)
            if unasked:
                messages.warning(
                    request,
                    _("Not saved, as your other answers do not ask it: %(questions)s")
                    % {"questions": ", ".join(f"“{question}”" for question in unasked)},
                )
            return redirect(report)
    return render(
        request,
        "mapping/report_form.html",
        {"report": report, "form": form, "groups": groups, "measures": measures, "conflict": conflict},
        status=status,
    )


@require_POST
@permission_required("mapping.view_report", fn=get_report)
def report_submit(request, pk):
    report = get_report(request, pk)
    _require_answerer(request.user, report)
    try:
        services.submit(request.user, report)
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was submitted. Thank you! You can reopen it until the deadline."))
    return redirect(report)


@require_POST
@permission_required("mapping.view_report", fn=get_report)
def report_reopen(request, pk):
    report = get_report(request, pk)
    _require_answerer(request.user, report)
    try:
        services.reopen(request.user, report)
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is a draft again. Submit it again before the deadline."))
    return redirect(report)


urlpatterns = [
    path("runder/<int:round_pk>/start/", report_start, name="report_start"),
    path("rapporter/<int:pk>/", report, name="report"),
    path("rapporter/<int:pk>/endre/", report_edit, name="report_edit"),
    path("rapporter/<int:pk>/send/", report_submit, name="report_submit"),
    path("rapporter/<int:pk>/gjenapne/", report_reopen, name="report_reopen"),
]
