"""The date poll: KS staff's page, its small POST actions, and the speakers' answer page behind a personal link."""

import re

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.core.services import add_contact

from .. import poll
from ..forms_poll import AnswerForm, CandidateForm, ParticipantForm
from ..models import CandidateDate, Event, PollParticipant
from ..services import EventError

# new_token() gives URL-safe characters; anything else is no link of ours (and a NUL would upset PostgreSQL).
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

manage_poll = permission_required(
    "events.change_event", fn=lambda request, pk, **kwargs: get_object_or_404(Event, pk=pk)
)


def answer_link(request, participant: PollParticipant) -> str:
    return request.build_absolute_uri(reverse("events:poll_answer", args=[participant.token]))


def _render_page(request, event, candidate_form=None, participant_form=None):
    results = poll.results(event)
    return render(
        request,
        "events/poll.html",
        {
            "event": event,
            "results": results,
            "participants": [(row.participant, answer_link(request, row.participant)) for row in results.rows],
            "candidate_form": CandidateForm(prefix="candidate") if candidate_form is None else candidate_form,
            "participant_form": (
                ParticipantForm(prefix="participant", event=event) if participant_form is None else participant_form
            ),
        },
    )


def _add_candidate(request, event):
    form = CandidateForm(request.POST, prefix="candidate")
    if form.is_valid():
        try:
            candidate = poll.add_candidate(request.user, event, **form.cleaned_data)
        except EventError as error:
            form.add_error("date", error.message)
        else:
            messages.success(request, _("%(date)s was added.") % {"date": poll.long_date(candidate.date)})
            return redirect("events:poll", pk=event.pk)
    return _render_page(request, event, candidate_form=form)


def _add_participant(request, event):
    form = ParticipantForm(request.POST, prefix="participant", event=event)
    if form.is_valid():
        data = form.cleaned_data
        person = data["person"] or add_contact(
            request.user, organisation=data["new_organisation"], name=data["new_name"], email=data["new_email"]
        )
        try:
            participant = poll.add_participant(request.user, event, person)
        except EventError as error:
            form.add_error("person", error.message)
        else:
            messages.success(request, _("%(name)s was added to the poll.") % {"name": participant.person})
            return redirect("events:poll", pk=event.pk)
    return _render_page(request, event, participant_form=form)


@manage_poll
def poll_page(request, pk):
    """Candidate dates, participants with their links, and the answers; POST adds a date or a participant."""
    event = get_object_or_404(Event, pk=pk)
    adders = {"candidate": _add_candidate, "participant": _add_participant}
    if request.method == "POST" and request.POST.get("form") in adders:
        return adders[request.POST["form"]](request, event)
    return _render_page(request, event)


@require_POST
@manage_poll
def poll_remove_candidate(request, pk, candidate_pk):
    candidate = get_object_or_404(CandidateDate, pk=candidate_pk, event_id=pk)
    poll.remove_candidate(request.user, candidate)
    messages.success(request, _("%(date)s was removed.") % {"date": poll.long_date(candidate.date)})
    return redirect("events:poll", pk=pk)


@require_POST
@manage_poll
def poll_remove_participant(request, pk, participant_pk):
    participant = get_object_or_404(PollParticipant.objects.select_related("person"), pk=participant_pk, event_id=pk)
    poll.remove_participant(request.user, participant)
    messages.success(request, _("%(name)s was removed from the poll.") % {"name": participant.person})
    return redirect("events:poll", pk=pk)


@require_POST
@manage_poll
def poll_send(request, pk, participant_pk):
    participant = get_object_or_404(
        PollParticipant.objects.select_related("person", "event"), pk=participant_pk, event_id=pk
    )
    try:
        poll.send_link(request.user, participant, answer_link(request, participant))
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The personal link was sent to %(name)s.") % {"name": participant.person})
    return redirect("events:poll", pk=pk)


@require_POST
@manage_poll
def poll_choose(request, pk, candidate_pk):
    candidate = get_object_or_404(CandidateDate.objects.select_related("event"), pk=candidate_pk, event_id=pk)
    try:
        poll.choose_date(request.user, candidate)
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The date is decided: the event starts %(date)s, and the programme was moved with it.")
            % {"date": poll.long_date(candidate.date)},
        )
    return redirect("events:poll", pk=pk)


@never_cache
def poll_answer(request, token):
    """A speaker's own page, reached by the personal link alone: no login, nobody else's answers."""
    participant = (
        PollParticipant.objects.select_related("event", "person").filter(token=token).first()
        if TOKEN.fullmatch(token)
        else None
    )
    if participant is None:
        return render(request, "events/poll_unknown_link.html", status=404)
    decided = poll.decided_date(participant.event)
    form = None if decided else AnswerForm(request.POST or None, participant=participant)
    if form is not None and form.is_bound and form.is_valid():
        try:
            poll.record_answers(participant, form.answers())
        except EventError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you! Your answers are saved."))
            return redirect(request.path)
    context = {"participant": participant, "event": participant.event, "decided": decided, "form": form}
    return render(request, "events/poll_answer.html", context)


urlpatterns = [
    path("<int:pk>/datoavstemning/", poll_page, name="poll"),
    path(
        "<int:pk>/datoavstemning/datoer/<int:candidate_pk>/fjern/",
        poll_remove_candidate,
        name="poll_remove_candidate",
    ),
    path("<int:pk>/datoavstemning/datoer/<int:candidate_pk>/velg/", poll_choose, name="poll_choose"),
    path(
        "<int:pk>/datoavstemning/deltakere/<int:participant_pk>/fjern/",
        poll_remove_participant,
        name="poll_remove_participant",
    ),
    path("<int:pk>/datoavstemning/deltakere/<int:participant_pk>/send/", poll_send, name="poll_send"),
    path("svar/<str:token>/", poll_answer, name="poll_answer"),
]
