"""Surveys for KS and the municipality: the list, ordering, one survey with its classes, approval and closing."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required

from .. import own, services
from ..forms import OrderForm
from ..models import SchoolClass, Survey


def get_survey(request, pk, **kwargs):
    return get_object_or_404(Survey.objects.select_related("municipality__county"), pk=pk)


@permission_required("youth.view_surveys")
def index(request):
    surveys = services.surveys_for(request.user)
    rates = [(survey, services.Rate(survey.invited, survey.answered)) for survey in services.with_rates(surveys)[:200]]
    return render(request, "youth/index.html", {"rates": rates})


@permission_required("youth.order_survey")
def order(request):
    form = OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.order_survey(
                request.user, data["municipality"], data["starts_on"], data["ends_on"], data["classes"], data["themes"]
            )
        except services.SurveyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey is ordered. KS approves it, and then the codes are ready."))
            return redirect(survey)
    return render(request, "youth/order.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("youth.view_survey", fn=get_survey)
def survey(request, pk):
    survey = get_survey(request, pk)
    classes = SchoolClass.objects.filter(school__survey=survey).select_related("school").order_by("school__name")
    context = {
        "survey": survey,
        "classes": classes,
        "rate": services.response_rate(survey),
        "running": services.is_running(survey),
        "can_approve": request.user.has_perm("youth.approve_survey", survey),
        "can_close": request.user.has_perm("youth.close_survey", survey),
        "own_count": own.count(survey),
    }
    return render(request, "youth/survey.html", context)


def _act(request, pk, action, done: str):
    survey = get_survey(request, pk)
    try:
        action(request.user, survey)
    except services.SurveyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(survey)


@require_POST
@permission_required("youth.approve_survey", fn=get_survey)
def approve(request, pk):
    return _act(request, pk, services.approve_survey, _("Approved: the codes are ready to print."))


@require_POST
@permission_required("youth.close_survey", fn=get_survey)
def close(request, pk):
    return _act(request, pk, services.close_survey, _("Closed: the results are published."))


urlpatterns = [
    path("ungdomsundersokelse/", index, name="index"),
    path("ungdomsundersokelse/bestill/", order, name="order"),
    path("ungdomsundersokelse/<int:pk>/", survey, name="survey"),
    path("ungdomsundersokelse/<int:pk>/godkjenn/", approve, name="approve"),
    path("ungdomsundersokelse/<int:pk>/avslutt/", close, name="close"),
]
