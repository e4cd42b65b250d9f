"""Editing the programme: timed items with speakers, with overlap and gap warnings."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.core.services import add_contact

from .. import services
from ..forms import ProgrammeItemForm
from ..models import Event, ProgrammeItem, Speaker
from .events import get_event


def _save_item(form, event) -> ProgrammeItem:
    """Save the item and replace its speakers with the chosen people and, if given, one placeholder."""
    with transaction.atomic():
        item = form.save(commit=False)
        item.event = event
        item.save()
        item.speakers.all().delete()
        for order, person in enumerate(form.cleaned_data["speaker_people"]):
            Speaker.objects.create(item=item, person=person, order=order)
        order = len(form.cleaned_data["speaker_people"])
        if form.cleaned_data["new_speaker"]:
            person = add_contact(
                None,
                organisation=form.cleaned_data["new_speaker_organisation"],
                name=form.cleaned_data["new_speaker"],
                email="",
            )
            Speaker.objects.create(item=item, person=person, order=order)
            order += 1
        if form.cleaned_data["speaker_placeholder"]:
            Speaker.objects.create(
                item=item,
                placeholder=form.cleaned_data["speaker_placeholder"],
                organisation=form.cleaned_data["placeholder_organisation"],
                order=order,
            )
        if form.cleaned_data["alternative_person"]:
            Speaker.objects.create(
                item=item,
                person=form.cleaned_data["alternative_person"],
                alternative_to=form.cleaned_data["alternative_to"],
                order=order + 1,
            )
    return item


def _initial_speakers(item: ProgrammeItem) -> dict:
    """The form's view of the speakers, so that saving the item unchanged keeps every one of them."""
    placeholder = item.speakers.filter(person__isnull=True).first()
    alternative = item.speakers.filter(alternative_to__isnull=False).first()
    return {
        "speaker_people": [s.person for s in item.speakers.filter(person__isnull=False, alternative_to__isnull=True)],
        "speaker_placeholder": placeholder.placeholder if placeholder else "",
        "placeholder_organisation": placeholder.organisation if placeholder else None,
        "alternative_person": alternative.person if alternative else None,
        "alternative_to": alternative.alternative_to if alternative else None,
    }


@permission_required("events.change_event", fn=get_event)
def programme(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = ProgrammeItemForm(request.POST or None, instance=ProgrammeItem(event=event))
    if request.method == "POST" and form.is_valid():
        item = _save_item(form, event)
        messages.success(request, _("“%(title)s” was added to the programme.") % {"title": item.title})
        return redirect("events:programme", pk=event.pk)
    return render(
        request,
        "events/programme.html",
        {
            "event": event,
            "form": form,
            "days": services.timetable(event),
            "warnings": services.programme_warnings(event),
        },
    )


@permission_required("events.change_event", fn=get_event)
def programme_item_update(request, pk, item_pk):
    event = get_object_or_404(Event, pk=pk)
    item = get_object_or_404(ProgrammeItem, pk=item_pk, event=event)
    form = ProgrammeItemForm(request.POST or None, instance=item, initial=_initial_speakers(item))
    if request.method == "POST" and form.is_valid():
        _save_item(form, event)
        messages.success(request, _("“%(title)s” was saved.") % {"title": item.title})
        return redirect("events:programme", pk=event.pk)
    return render(request, "events/programme_item_form.html", {"event": event, "item": item, "form": form})


@require_POST
@permission_required("events.change_event", fn=get_event)
def programme_item_delete(request, pk, item_pk):
    item = get_object_or_404(ProgrammeItem, pk=item_pk, event_id=pk)
    item.delete()
    messages.success(request, _("“%(title)s” was removed from the programme.") % {"title": item.title})
    return redirect("events:programme", pk=pk)


urlpatterns = [
    path("<int:pk>/program/", programme, name="programme"),
    path("<int:pk>/program/<int:item_pk>/endre/", programme_item_update, name="programme_item_update"),
    path("<int:pk>/program/<int:item_pk>/slett/", programme_item_delete, name="programme_item_delete"),
]
