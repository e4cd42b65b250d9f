"""Writing the catalogue: create and edit a measure, and move it along the workflow draft → in review → published.

Views are thin: the form checks what belongs next to a field, ``catalogue.save_measure`` and
``catalogue.change_status`` judge the rest. A refused save re-renders everything the editor typed with the
service's messages; a conflict also shows what the stored version says now, so nothing is lost.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required

from .. import catalogue, indicators
from ..forms import ExperienceFormSet, MeasureForm, StatusForm, YouthIndicatorsForm, experience_initial
from ..models import Effect, Measure, Source

Status = Measure.Status

# The workflow's moves as buttons, and what is said once one is made.
MOVES = {
    (Status.DRAFT, Status.REVIEW): (gettext_lazy("Send to review"), gettext_lazy("The measure was sent to review.")),
    (Status.REVIEW, Status.DRAFT): (
        gettext_lazy("Send back to draft"),
        gettext_lazy("The measure is a draft again."),
    ),
    (Status.REVIEW, Status.PUBLISHED): (
        gettext_lazy("Publish"),
        gettext_lazy("The measure is published and visible to everyone."),
    ),
    (Status.PUBLISHED, Status.DRAFT): (
        gettext_lazy("Withdraw"),
        gettext_lazy("The measure was withdrawn: it is a draft again and no longer visible outside the editors."),
    ),
}


def get_measure(request, key, **kwargs):
    """The measure, if the user may know of it: drafts are a 404 to those who may not see them."""
    if not request.user.is_authenticated:
        return None
    return get_object_or_404(catalogue.visible_measures(request.user), key=key)


@permission_required("measures.change_measure")
def create(request):
    return _edit(request, None)


@permission_required("measures.change_measure", fn=get_measure)
def edit(request, key):
    return _edit(request, get_measure(request, key))


def _edit(request, measure: Measure | None):
    data = request.POST.copy() if request.method == "POST" else None
    form, experiences = _bound(data, measure)
    problems, differences, conflict = [], [], False
    if data is not None and all([form.is_valid(), experiences.is_valid()]):
        try:
            saved = catalogue.save_measure(
                request.user,
                measure,
                form.measure_data(),
                sources=form.cleaned_data["sources"],
                experiences=experiences.rows(),
                reason=form.cleaned_data["reason"],
                revision=form.cleaned_data["revision"],
            )
        except catalogue.MeasureConflict as error:
            stored = Measure.objects.get(pk=measure.pk)
            problems, conflict = error.messages, True
            differences = _differences(catalogue.snapshot(stored), _typed(form, experiences, stored.status))
            # A second save now replaces the stored version on purpose: the editor has seen what it says.
            data["revision"] = str(stored.revision)
            form, experiences = _bound(data, measure)
            form.is_valid()
            experiences.is_valid()
        except catalogue.MeasureError as error:
            problems = error.messages
        else:
            if measure is None:
                messages.success(request, _("The measure was saved as a draft."))
            else:
                messages.success(request, _("Your changes were saved."))
            return redirect(saved)
    return render(
        request,
        "measures/measure_form.html",
        {
            "measure": measure,
            "form": form,
            "experiences": experiences,
            "problems": problems,
            "differences": differences,
            "conflict": conflict,
            "references": Source.objects.values_list("reference", flat=True),
        },
    )


def _bound(data, measure: Measure | None):
    form = MeasureForm(data, measure=measure)
    initial = experience_initial(measure) if measure is not None else []
    return form, ExperienceFormSet(data, initial=initial, prefix="experiences")


def _typed(form: MeasureForm, experiences, status: str) -> dict:
    """What the editor typed, shaped like ``catalogue.snapshot`` so the two can be compared."""
    return {
        **form.measure_data(),
        "status": status,
        "sources": form.cleaned_data["sources"],
        "experiences": experiences.rows(),
    }


def _differences(stored: dict, typed: dict) -> list[tuple[str, str, str]]:
    """(label, stored now, typed) for each field where the editor's version differs from the stored one."""
    stored = {**stored, "sources": [{"reference": s["reference"], "url": s["url"]} for s in stored["sources"]]}
    for data in (stored, typed):
        for name, choices in catalogue.LIST_FIELDS.items():
            data[name] = [value for value in choices.values if value in (data.get(name) or [])]
    return [
        (change.label, _shown(change.field, change.before), _shown(change.field, change.after))
        for change in catalogue.changes(stored, typed)
    ]


def _shown(name: str, value) -> str:
    """One field's value as text for the conflict table: labels rather than codes, one source or row a line."""
    if value in (None, "", []):
        return _("(empty)")
    if name in catalogue.LIST_FIELDS:
        return ", ".join(str(catalogue.LIST_FIELDS[name](v).label) for v in value)
    if name in catalogue.CHOICE_FIELDS:
        return str(catalogue.CHOICE_FIELDS[name](value).label)
    if name == "effect":
        return f"{value}. {Effect(value).label}"
    if name == "status":
        return str(Status(value).label)
    if name == "sources":
        return "\n".join(f"{s['reference']} | {s['url']}" if s.get("url") else s["reference"] for s in value)
    if name == "experiences":
        return "\n".join(
            ", ".join(part for part in (e["country"], e["place"], e["period"]) if part)
            + f": {e['outcome']}"
            + (f" ({e['source']})" if e.get("source") else "")
            for e in value
        )
    return str(value)


def status_context(user, measure: Measure) -> dict:
    """The context ``measures/_status_form.html`` needs, for the measure page to merge into its own.

    ``transitions`` are the moves this user may make from the measure's status; ``publisher_only`` the labels of
    the moves only KS staff may make, so the page can say who can.
    """
    transitions, publisher_only = [], []
    if user.has_perm("measures.change_measure", measure):
        may_publish = user.has_perm("measures.publish_measure")
        for (old, new), needs_publisher in catalogue.TRANSITIONS.items():
            if old != measure.status:
                continue
            label = MOVES[(old, new)][0]
            if needs_publisher and not may_publish:
                publisher_only.append(label)
            else:
                transitions.append((new.value, label, needs_publisher))
    show_problems = (transitions or publisher_only) and measure.status != Status.PUBLISHED
    return {
        "measure": measure,
        "transitions": transitions,
        "publisher_only": publisher_only,
        "publish_problems": catalogue.publish_problems(measure) if show_problems else [],
    }


@require_POST
@permission_required("measures.change_measure", fn=get_measure)
def change_status(request, key):
    measure = get_measure(request, key)
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(measure)
    new = form.cleaned_data["status"]
    old = measure.status
    try:
        catalogue.change_status(
            request.user, measure, new, reason=form.cleaned_data["reason"], revision=form.cleaned_data["revision"]
        )
    except catalogue.MeasureError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, MOVES[(old, new)][1])
    return redirect(measure)


@permission_required("measures.publish_measure", fn=get_measure)
def youth_indicators(request, key):
    """KS tags the measure with the youth-survey indicators it may help with (``indicators``)."""
    measure = get_measure(request, key)
    form = YouthIndicatorsForm(request.POST or None, initial={"indicators": measure.youth_indicators})
    if request.method == "POST" and form.is_valid():
        try:
            indicators.set_indicators(request.user, measure, form.cleaned_data["indicators"])
        except indicators.IndicatorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure's youth survey indicators are saved."))
            return redirect(measure)
    context = {"measure": measure, "form": form}
    return render(request, "measures/youth_indicators.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("ny/", create, name="create"),
    path("<slug:key>/ungdomsindikatorer/", youth_indicators, name="youth_indicators"),
    path("<slug:key>/endre/", edit, name="edit"),
    path("<slug:key>/status/", change_status, name="status"),
]
