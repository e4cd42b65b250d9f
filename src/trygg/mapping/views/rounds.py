"""Rounds: the list each user sees, one round's response rates and status, and KS' opening, closing and reminders."""

import re

from django import forms
from django.apps import apps
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.core.services import resolve_municipality
from trygg.core.widgets import DateTimeInput, MunicipalitiesInput

from .. import answers as definition_answers
from .. import rounds
from ..models import Questionnaire, Round


def get_round(request, pk, **kwargs):
    """The round, if the user may know of it: a contact gets a 404 for rounds not asking their municipalities."""
    if not request.user.is_authenticated:
        return None
    return get_object_or_404(rounds.rounds_for(request.user), pk=pk)


class RoundForm(forms.Form):
    SCOPES = [
        ("all", gettext_lazy("All municipalities")),
        ("chosen", gettext_lazy("Chosen municipalities")),
        ("event", gettext_lazy("The municipalities invited to an event")),
    ]

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, help_text=gettext_lazy("For example “2011”."))
    questionnaire = forms.ModelChoiceField(
        label=gettext_lazy("MC questions"),
        queryset=Questionnaire.objects.all(),
        required=False,
        empty_label=gettext_lazy("None: only the questionnaire definition below"),
        help_text=gettext_lazy("The deck's dialogue questions on MC crime."),
    )
    definition = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire definition"),
        queryset=rounds.round_definitions(),
        required=False,
        empty_label=gettext_lazy("None"),
        help_text=gettext_lazy(
            "Its questions are asked after the MC questions, or alone for a round on another topic. A version is "
            "frozen once a round uses it. Import a new definition under Questionnaire definitions."
        ),
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("Deadline"),
        widget=DateTimeInput,
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Who is asked"), choices=SCOPES, initial="all", widget=forms.RadioSelect
    )
    municipalities = forms.CharField(
        label=gettext_lazy("Chosen municipalities"),
        required=False,
        widget=MunicipalitiesInput,
        help_text=gettext_lazy("Names or numbers, separated by commas or lines. Former names (e.g. from 2011) work."),
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"),
        required=False,
        queryset=None,
        help_text=gettext_lazy("Its invited municipalities must answer before it takes place."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event_model = apps.get_model("events", "Event")
        self.fields["event"].queryset = event_model.objects.filter(invitations__isnull=False).distinct()
        self.fields["questionnaire"].initial = Questionnaire.objects.order_by("-version").first()

    def clean(self):
        data = super().clean()
        if not data.get("questionnaire") and not data.get("definition") and "definition" not in self.errors:
            self.add_error("definition", _("Choose the MC questions, a questionnaire definition, or both."))
        scope = data.get("scope")
        data["chosen"] = None
        if scope == "chosen":
            names = [n.strip() for n in re.split(r"[,\n]", data.get("municipalities", "")) if n.strip()]
            if not names:
                self.add_error("municipalities", _("Name at least one municipality."))
            chosen, unknown = [], []
            for name in names:
                municipality = resolve_municipality(name)
                if municipality:
                    chosen.append(municipality)
                else:
                    unknown.append(name)
            if unknown:
                self.add_error("municipalities", _("Unknown municipality: %(names)s") % {"names": ", ".join(unknown)})
            data["chosen"] = chosen
        if scope == "event" and not data.get("event"):
            self.add_error("event", _("Choose the event whose invited municipalities are asked."))
        return data


@permission_required("mapping.view_round")
def index(request):
    user = request.user
    visible = rounds.rounds_for(user).select_related("questionnaire", "event")
    full = user.has_perm("mapping.view_full_picture")
    entries = []
    for round in visible:
        entry = {"round": round}
        if full:
            entry["rates"] = rounds.response_rates(round)
        else:
            entry["statuses"] = rounds.municipality_statuses(round, user.municipalities.all())
        entries.append(entry)
    return render(
        request,
        "mapping/index.html",
        {"entries": entries, "full": full, "can_manage": user.has_perm("mapping.manage_rounds"), "now": timezone.now()},
    )


@permission_required("mapping.view_round", fn=get_round)
def round_detail(request, pk):
    user = request.user
    round = get_round(request, pk)
    full = user.has_perm("mapping.view_full_picture")
    context = {
        "round": round,
        "full": full,
        "can_manage": user.has_perm("mapping.manage_rounds"),
        "is_open": round.status == Round.Status.OPEN and timezone.now() <= round.deadline,
    }
    context["summary"] = definition_answers.summary(round, user.has_perm("mapping.view_full_picture"))
    if full:
        context["rates"] = rounds.response_rates(round)
        context["statuses"] = rounds.municipality_statuses(round)
    else:
        context["statuses"] = rounds.municipality_statuses(round, user.municipalities.all())
    return render(request, "mapping/round.html", context)


@permission_required("mapping.manage_rounds")
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = rounds.open_round(
                request.user,
                data["name"],
                data["questionnaire"],
                data["deadline"],
                municipalities=data["chosen"],
                event=data["event"] if data["scope"] == "event" else None,
                definition=data["definition"],
            )
        except rounds.RoundError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The round “%(name)s” is open; %(count)d municipality is asked.",
                    "The round “%(name)s” is open; %(count)d municipalities are asked.",
                    round.municipalities.count(),
                )
                % {"name": round.name, "count": round.municipalities.count()},
            )
            return redirect(round)
    return render(request, "mapping/round_form.html", {"form": form})


@require_POST
@permission_required("mapping.manage_rounds", fn=get_round)
def round_close(request, pk):
    round = get_round(request, pk)
    try:
        rounds.close_round(request.user, round)
    except rounds.RoundError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The round “%(name)s” is closed.") % {"name": round.name})
    return redirect(round)


@require_POST
@permission_required("mapping.manage_rounds", fn=get_round)
def round_remind(request, pk):
    round = get_round(request, pk)
    try:
        count = rounds.send_reminders(request.user, round)
    except rounds.RoundError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d reminder was sent.", "%(count)d reminders were sent.", count) % {"count": count},
        )
    return redirect(round)


urlpatterns = [
    path("", index, name="index"),
    path("runder/ny/", round_create, name="round_create"),
    path("runder/<int:pk>/", round_detail, name="round"),
    path("runder/<int:pk>/lukk/", round_close, name="round_close"),
    path("runder/<int:pk>/paminn/", round_remind, name="round_remind"),
]
