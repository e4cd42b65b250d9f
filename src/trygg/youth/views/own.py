"""A survey's own questions: the list with the form to add one, editing one, moving and removing. Written while
the survey awaits approval; read-only after."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.questionnaires.models import translated

from .. import own
from ..forms import OwnQuestionForm
from ..services import SurveyError
from .surveys import get_survey


def _url(survey) -> str:
    return reverse("youth:own_questions", args=[survey.pk])


def _save(request, survey, form, number=None):
    """Save a valid form; the form with the message when a rule refuses it (what was typed stays)."""
    if not form.is_valid():
        return None
    try:
        entry = form.entry()
        own.save(request.user, survey, entry, number)
    except SurveyError as error:
        form.add_error(None, error.message)
        return None
    for warning in own.warnings(entry):
        messages.warning(request, warning)
    messages.success(request, _("The question is saved."))
    return redirect(_url(survey))


def _shown(entry: dict) -> dict:
    return {
        "text": translated(entry["text"]),
        "kind": own.kind_label(entry["kind"]),
        "options": [translated(option["label"]) for option in entry.get("options", [])],
        "minimum": entry.get("minimum"),
        "maximum": entry.get("maximum"),
        "languages": sorted(entry["text"], key=own.LANGUAGES.index),
    }


@permission_required("youth.view_survey", fn=get_survey)
def questions(request, pk):
    survey = get_survey(request, pk)
    writable = own.may_write(request.user, survey)
    form = OwnQuestionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("youth.write_own_questions", survey):
            raise PermissionDenied
        if response := _save(request, survey, form):
            return response
    entries = own.definitions(survey)
    context = {
        "survey": survey,
        "entries": [_shown(entry) for entry in entries],
        "writable": writable,
        "form": form if (writable and len(entries) < own.MAX_QUESTIONS) or form.errors else None,
        "max": own.MAX_QUESTIONS,
    }
    return render(request, "youth/own_questions.html", context, status=400 if form.errors else 200)


@permission_required("youth.write_own_questions", fn=get_survey)
def question(request, pk, number):
    survey = get_survey(request, pk)
    entries = own.definitions(survey)
    if not 1 <= number <= len(entries):
        raise Http404
    form = OwnQuestionForm(request.POST or None, initial=OwnQuestionForm.initial_from(entries[number - 1]))
    if request.method == "POST" and (response := _save(request, survey, form, number)):
        return response
    context = {"survey": survey, "form": form, "number": number, "writable": own.may_write(request.user, survey)}
    return render(request, "youth/own_question.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("youth.write_own_questions", fn=get_survey)
def change(request, pk, number):
    """Move a question up or down, or remove it (the button pressed says which)."""
    survey = get_survey(request, pk)
    action = request.POST.get("action")
    try:
        if action == "remove":
            own.remove(request.user, survey, number)
            messages.success(request, _("The question is removed."))
        elif action in ("up", "down"):
            own.move(request.user, survey, number, -1 if action == "up" else 1)
        else:
            messages.error(request, _("Choose move up, move down or remove."))
    except SurveyError as error:
        messages.error(request, error.message)
    return redirect(_url(survey))


urlpatterns = [
    path("ungdomsundersokelse/<int:pk>/egne-sporsmal/", questions, name="own_questions"),
    path("ungdomsundersokelse/<int:pk>/egne-sporsmal/<int:number>/", question, name="own_question"),
    path("ungdomsundersokelse/<int:pk>/egne-sporsmal/<int:number>/endre/", change, name="own_question_change"),
]
