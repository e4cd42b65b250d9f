"""Case pages: ask for help, follow a case, and (KS) triage and work it. Thin: every rule is in services."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.permissions import permission_required
from trygg.library import services as library
from trygg.measures import catalogue

from . import context, learning, services, targets
from .forms import (
    CaseForm,
    CloseForm,
    ConfidentialForm,
    ExpertForm,
    LinkDocumentForm,
    LinkMeasureForm,
    NoteForm,
    StatusForm,
    TriageForm,
)
from .models import Case, ReplyTemplate, Urgency

SORTS = {
    # A closed case has no clock: last.
    "target": lambda row: row["clock"].left if row["clock"] else timedelta.max,
    "age": lambda row: row["case"].created_at,
    "urgency": lambda row: (Urgency.values.index(row["case"].urgency), row["case"].created_at),
}


def get_case(request, pk, **kwargs):
    return get_object_or_404(Case.objects.select_related("municipality", "assignee"), pk=pk)


@permission_required("cases.view_cases")
def index(request):
    """The user's cases; for KS the overview of open cases by age, urgency and time to target."""
    now = timezone.now()
    cases = services.visible_cases(request.user).prefetch_related("pauses")
    show_closed = request.GET.get("lukket") == "1"
    if not show_closed:
        cases = cases.exclude(status=Case.Status.CLOSED)
    rows = [{"case": case, "clock": targets.most_urgent(case, now)} for case in cases]
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "target"
    rows.sort(key=SORTS[sort])
    return render(
        request,
        "cases/index.html",
        {
            "rows": rows,
            "sort": sort,
            "show_closed": show_closed,
            "may_add": request.user.has_perm("cases.add_case"),
            "overview": request.user.has_perm("cases.view_overview"),
        },
    )


@permission_required("cases.add_case")
def create(request):
    municipalities = request.user.municipalities.order_by("name")
    form = CaseForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "description", "urgency", "involved", "done_so_far", "confidential")}
        try:
            case, created = services.submit(
                request.user, municipality=data["municipality"], submission_key=data["submission_key"], **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Your request has been sent to KS."))
            else:
                messages.info(request, _("This request had already been sent; here it is."))
            return redirect(case)
    if not municipalities.exists():
        messages.info(request, _("Your account does not act for any municipality yet. Ask KS to add you."))
    return render(request, "cases/form.html", {"form": form, "warnings": form.warnings()})


def _detail(request, case, note_form=None, triage_form=None, expert_form=None, **forms):
    user = request.user
    ks_side = user.has_perm("cases.view_internal", case)
    now = timezone.now()
    template = None
    chosen = request.GET.get("mal", "")
    if ks_side and note_form is None and chosen.isdigit() and len(chosen) <= 9:
        template = ReplyTemplate.objects.filter(pk=chosen).first()
    if note_form is None:
        initial = {"body": template.body, "visibility": "shared"} if template else None
        note_form = NoteForm(ks_side=ks_side, initial=initial)
    may_triage = user.has_perm("cases.triage", case)
    if may_triage and triage_form is None:
        triage_form = TriageForm(
            assignees=services.assignable(),
            initial={"category": case.category, "urgency": case.urgency, "assignee": case.assignee_id},
        )
    if may_triage and expert_form is None:
        expert_form = ExpertForm(candidates=services.expert_candidates(case))
    linked = list(case.linked_measures.select_related("measure"))
    if may_triage and not case.is_closed:
        # The selects need only names: whole measures and documents carry long texts.
        measures = catalogue.published().order_by("name").only("pk", "name")
        forms.setdefault("measure_form", LinkMeasureForm(measures=measures))
        documents = library.visible_documents(user).order_by("title").only("pk", "title")
        forms.setdefault("document_form", LinkDocumentForm(documents=documents))
        forms.setdefault("close_form", CloseForm(linked=linked))
    notes = [
        {"note": note, "text": services.describe(note), "author": services.author_label(note, user)}
        for note in services.timeline(case, user)
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "ks_side": ks_side,
            "notes": notes,
            "clocks": targets.running(case, now),
            # On a closed case the form shows only to say why a note was refused.
            "note_form": note_form if not case.is_closed or note_form.is_bound else None,
            "triage_form": triage_form if may_triage else None,
            "expert_form": expert_form if may_triage else None,
            "status_form": StatusForm(initial={"status": case.status}) if ks_side else None,
            "confidential_form": ConfidentialForm(initial={"confidential": case.confidential}) if may_triage else None,
            "experts": case.experts.all() if ks_side else None,
            "templates": ReplyTemplate.objects.all() if ks_side and not case.is_closed else None,
            "context": context.for_case(case, user),
            "linked_measures": linked,
            "linked_documents": learning.documents(case, user),
            **(forms if may_triage and not case.is_closed else {}),
        },
    )


@permission_required("cases.view_case", fn=get_case)
def detail(request, pk):
    case = get_case(request, pk)
    record_read(case)
    return _detail(request, case)


def _refused(request, case, error: ValidationError, form_name: str, form):
    """A refusal the user can act on: shown at the form, with nothing they typed lost."""
    for field, errors in (error.error_dict if hasattr(error, "error_dict") else {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, errors)
    return _detail(request, case, **{form_name: form})


@require_POST
@permission_required("cases.add_note", fn=get_case)
def add_note(request, pk):
    case = get_case(request, pk)
    ks_side = request.user.has_perm("cases.view_internal", case)
    form = NoteForm(request.POST, ks_side=ks_side)
    if form.is_valid():
        try:
            services.add_note(
                request.user, case, form.cleaned_data["body"], form.cleaned_data.get("visibility", "shared")
            )
        except ValidationError as error:
            return _refused(request, case, error, "note_form", form)
        messages.success(request, _("The note was added."))
        return redirect(case)
    return _detail(request, case, note_form=form)


@require_POST
@permission_required("cases.triage", fn=get_case)
def triage(request, pk):
    case = get_case(request, pk)
    form = TriageForm(request.POST, assignees=services.assignable())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.triage(
                request.user, case, category=data["category"], urgency=data["urgency"], assignee=data["assignee"]
            )
        except ValidationError as error:
            return _refused(request, case, error, "triage_form", form)
        messages.success(request, _("The case was triaged."))
        return redirect(case)
    return _detail(request, case, triage_form=form)


@require_POST
@permission_required("cases.triage", fn=get_case)
def add_expert(request, pk):
    case = get_case(request, pk)
    form = ExpertForm(request.POST, candidates=services.expert_candidates(case))
    if form.is_valid():
        try:
            services.add_expert(request.user, case, form.cleaned_data["expert"])
        except ValidationError as error:
            return _refused(request, case, error, "expert_form", form)
        messages.success(request, _("The expert was drawn in."))
        return redirect(case)
    return _detail(request, case, expert_form=form)


@require_POST
@permission_required("cases.view_internal", fn=get_case)
def change_status(request, pk):
    case = get_case(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_status(request.user, case, form.cleaned_data["status"])
        messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect(case)


@require_POST
@permission_required("cases.triage", fn=get_case)
def change_confidential(request, pk):
    form = ConfidentialForm(request.POST)
    confidential = form.is_valid() and form.cleaned_data["confidential"]
    case = services.set_confidential(request.user, get_case(request, pk), confidential)
    if case.confidential:
        messages.success(request, _("The case is now confidential."))
    else:
        messages.success(request, _("The case is now open to KS staff."))
    if not request.user.has_perm("cases.view_case", case):
        return redirect("cases:index")  # confidential now, and this user is neither assigned nor drawn in
    return redirect(case)


@require_POST
@permission_required("cases.triage", fn=get_case)
def link_measure(request, pk):
    case = get_case(request, pk)
    form = LinkMeasureForm(request.POST, measures=catalogue.published())
    if form.is_valid():
        try:
            learning.link_measure(request.user, case, form.cleaned_data["measure"])
        except ValidationError as error:
            return _refused(request, case, error, "measure_form", form)
        messages.success(request, _("The measure was linked to the case."))
        return redirect(case)
    return _detail(request, case, measure_form=form)


@require_POST
@permission_required("cases.triage", fn=get_case)
def link_document(request, pk):
    case = get_case(request, pk)
    form = LinkDocumentForm(request.POST, documents=library.visible_documents(request.user))
    if form.is_valid():
        try:
            learning.link_document(request.user, case, form.cleaned_data["document"])
        except ValidationError as error:
            return _refused(request, case, error, "document_form", form)
        messages.success(request, _("The document was linked to the case."))
        return redirect(case)
    return _detail(request, case, document_form=form)


@require_POST
@permission_required("cases.triage", fn=get_case)
def close(request, pk):
    """Close the case with what KS learnt (tags, how each measure went)."""
    case = get_case(request, pk)
    if case.is_closed:
        messages.info(request, _("The case is already closed."))
        return redirect(case)
    form = CloseForm(request.POST, linked=case.linked_measures.select_related("measure"))
    if form.is_valid():
        try:
            learning.close(request.user, case, learning.parse_tags(form.cleaned_data["tags"]), form.outcomes())
        except ValidationError as error:
            return _refused(request, case, error, "close_form", form)
        messages.success(request, _("The case was closed, with what KS learnt."))
        return redirect(case)
    return _detail(request, case, close_form=form)
