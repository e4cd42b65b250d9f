from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import audit_trail
from ..documents import FORMATS, to_xlsx, write_csv
from ..downloads import download
from ..forms import AuditFilterForm
from ..models import AuditEntry
from ..permissions import permission_required

EXPORT_LIMIT = 50_000


@permission_required("core.view_auditentry")
def audit_list(request):
    """Browse, filter and export the audit trail. Read-only by design: there is no view that changes an entry."""
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if form.is_valid():
        entries = audit_trail.filter_entries(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    export = request.GET.get("export")
    if export in FORMATS:
        return _export(entries[:EXPORT_LIMIT], export)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "lines": audit_trail.readable(page.object_list),
            "query": query.urlencode(),
        },
    )


def _export(entries, extension: str):
    sheet = audit_trail.export_sheet(audit_trail.readable(entries))
    stamp = timezone.localdate().isoformat()
    if extension == "xlsx":
        return download(to_xlsx(sheet.title, [sheet]), [sheet.title, stamp], "xlsx")
    return download(write_csv([sheet.header, *sheet.rows]), [sheet.title, stamp], "csv")
