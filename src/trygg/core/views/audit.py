from datetime import datetime, time

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from ..forms import AuditFilterForm
from ..models import AuditEntry
from ..permissions import permission_required


@permission_required("core.view_auditentry")
def audit_list(request):
    """Browse and filter the audit trail. Read-only by design: there is no view that changes an entry."""
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            entries = entries.filter(object_repr__icontains=data["q"])
        if data["actor"]:
            entries = entries.filter(actor__username__iexact=data["actor"])
        if data["action"] is not None:
            entries = entries.filter(action=data["action"])
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(timestamp__gte=datetime.combine(data["date_from"], time.min, zone))
        if data["date_to"]:
            entries = entries.filter(timestamp__lte=datetime.combine(data["date_to"], time.max, zone))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
