"""The event's economy for KS: package income from confirmed delegates against costs, and the invoice basis."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required

from .. import services
from ..forms import BudgetLineForm
from ..models import BudgetLine, Event
from .events import get_event


@permission_required("events.manage_registrations", fn=get_event)
def budget(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        line = form.save(commit=False)
        line.event = event
        line.save()
        messages.success(request, _("“%(line)s” was added to the budget.") % {"line": line.description})
        return redirect("events:budget", pk=pk)
    invoice_lines = services.invoice_basis(event)
    return render(
        request,
        "events/budget.html",
        {
            "event": event,
            "form": form,
            "budget": services.budget(event),
            "lines": event.budget_lines.all(),
            "invoice_lines": invoice_lines,
            "invoice_count": sum(line.count for line in invoice_lines),
        },
    )


@require_POST
@permission_required("events.manage_registrations", fn=get_event)
def budget_line_delete(request, pk, line_pk):
    line = get_object_or_404(BudgetLine, pk=line_pk, event_id=pk)
    line.delete()
    messages.success(request, _("“%(line)s” was removed from the budget.") % {"line": line.description})
    return redirect("events:budget", pk=pk)


urlpatterns = [
    path("<int:pk>/budsjett/", budget, name="budget"),
    path("<int:pk>/budsjett/<int:line_pk>/slett/", budget_line_delete, name="budget_line_delete"),
]
