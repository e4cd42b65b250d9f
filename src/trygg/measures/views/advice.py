"""Advice for a municipality, "what if" questions, and the plans saved from the advice.

The advice reads the municipality's latest situation report, which is exempt from public disclosure, so it follows
the report's readers and every page that shows it records the read. A profile sent with the request (GET for a
"what if", carried along in the plan form's POST) replaces the report's answers.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.downloads import download
from trygg.core.models import Municipality
from trygg.core.permissions import permission_required
from trygg.mapping import situation as mapping_situation

from .. import advice as services
from .. import plans
from ..forms_advice import PlanForm, ProfileForm
from ..models import Plan


def get_municipality(request, number, **kwargs):
    return get_object_or_404(Municipality, number=number)


def get_plan(request, pk, **kwargs):
    return get_object_or_404(Plan.objects.select_related("municipality"), pk=pk)


@permission_required("measures.advice_from_profile")
def advice_start(request):
    """Choose a municipality (one's own, or any for those who read every report), or answer the short profile."""
    user = request.user
    number = request.GET.get("municipality")
    if number:
        municipality = Municipality.objects.filter(number=number).first()
        if municipality and user.has_perm("measures.view_advice", municipality):
            return redirect("measures:advice_for", number=municipality.number)
        messages.error(request, _("Choose a municipality from the list."))
    form = ProfileForm(request.GET if ProfileForm.submitted(request.GET) else None)
    result = None
    if form.is_bound and form.is_valid():
        result = services.advise(services.situation_from_profile(form.cleaned_data))
    choose_any = user.has_perm("mapping.view_full_picture")
    return render(
        request,
        "measures/advice_start.html",
        {
            "form": form,
            "advice": result,
            "own": user.municipalities.order_by("name"),
            "all_municipalities": Municipality.objects.order_by("name").only("number", "name") if choose_any else None,
        },
    )


def _situation(municipality: Municipality, data):
    """(latest report, profile form, situation): a valid profile in ``data`` replaces the report's answers.

    The report is read either way (its answers prefill the form), so the read is recorded here.
    """
    report = mapping_situation.latest_report(municipality)
    base = services.situation_from_report(report) if report else None
    if report:
        record_read(report)
    what_if = ProfileForm.submitted(data)
    form = ProfileForm(data if what_if else None, initial=base.as_initial() if base else None)
    if what_if and form.is_valid():
        return report, form, services.situation_from_profile(form.cleaned_data, municipality, base)
    return report, form, base


def _advice_page(request, municipality: Municipality, data, plan_form: PlanForm | None = None):
    """The advice page; ``plan_form`` is a plan form sent back with its errors."""
    report, form, situation = _situation(municipality, data)
    what_if = form.is_bound and form.is_valid()
    result = services.advise(situation) if situation else None
    user = request.user
    may_plan = result is not None and bool(result.proposals) and user.has_perm("measures.add_plan", municipality)
    if may_plan and plan_form is None:
        title = _("Measures for %(municipality)s, %(date)s") % {
            "municipality": municipality.name,
            "date": formats.date_format(timezone.localdate()),
        }
        plan_form = PlanForm(proposals=result.proposals, initial={"title": title})
    context = {
        "municipality": municipality,
        "report": report,
        "may_view_report": report is not None and user.has_perm("mapping.view_report", report),
        "form": form,
        "what_if": what_if,
        "advice": result,
        "peers": services.peers(municipality, user, situation),
        "plan_form": plan_form if may_plan else None,
        # The profile behind a "what if" travels with the plan form, so the saved plan is the advice shown.
        "carried": [(name, value) for name in ProfileForm.names() for value in data.getlist(name)] if what_if else [],
    }
    return render(request, "measures/advice.html", context)


@permission_required("measures.view_advice", fn=get_municipality)
def advice_for(request, number):
    return _advice_page(request, get_municipality(request, number), request.GET)


@require_POST
@permission_required("measures.add_plan", fn=get_municipality)
def plan_save(request, number):
    """Save the ticked proposals as a plan; the advice is computed again here, never taken from the form."""
    municipality = get_municipality(request, number)
    _report, profile, situation = _situation(municipality, request.POST)
    if situation is None or (profile.is_bound and not profile.is_valid()):
        messages.error(request, _("The answers the advice was based on could not be read. Show the advice again."))
        return redirect("measures:advice_for", number=municipality.number)
    form = PlanForm(request.POST, proposals=services.advise(situation).proposals)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = plans.save_plan(
                request.user, municipality, situation, data["measures"], data["title"], data["notes"]
            )
        except plans.PlanError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return _advice_page(request, municipality, request.POST, plan_form=form)


@permission_required("measures.advice_from_profile")
def plan_list(request):
    visible = plans.visible_plans(request.user).annotate(measure_count=Count("items"))
    return render(request, "measures/plans.html", {"plans": visible})


@permission_required("measures.view_plan", fn=get_plan)
def plan_detail(request, pk):
    plan = get_plan(request, pk)
    record_read(plan)
    return render(
        request,
        "measures/plan.html",
        {"plan": plan, "items": plans.items(plan), "summary": plan.situation.get("summary", [])},
    )


@permission_required("measures.view_plan", fn=get_plan)
def plan_pdf(request, pk):
    plan = get_plan(request, pk)
    record_read(plan)
    content = plans.plan_pdf(plan, site_url=request.build_absolute_uri("/"))
    return download(content, [_("plan"), plan.municipality.name, str(plan.pk)], "pdf", inline=True)


urlpatterns = [
    path("rad/", advice_start, name="advice"),
    path("rad/<str:number>/", advice_for, name="advice_for"),
    path("rad/<str:number>/plan/", plan_save, name="plan_save"),
    path("planer/", plan_list, name="plans"),
    path("planer/<int:pk>/", plan_detail, name="plan"),
    path("planer/<int:pk>/pdf/", plan_pdf, name="plan_pdf"),
]
