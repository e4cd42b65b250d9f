"""The library's pages: search with facets and suggestions, upload, a document, its text, its file and its citation.

A document the user may not open answers 404 on every page, as if it did not exist (``get_document``).
"""

from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from trygg.core.downloads import download
from trygg.core.jobs import progress
from trygg.core.permissions import permission_required
from trygg.measures import citations

from . import finding, index, links, services
from .forms import SearchForm, UploadForm
from .models import Document

FILE_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


def get_document(request, pk, **kwargs) -> Document:
    """The document if the user may open it; 404 otherwise, so its existence is not revealed."""
    document = get_object_or_404(Document, pk=pk)
    if not request.user.has_perm("library.view_document", document):
        raise Http404
    return document


@require_GET
def document_list(request):
    form = SearchForm(request.GET)
    form.is_valid()
    filters = form.filters()
    results = finding.find(services.visible_documents(request.user), filters, form.cleaned_data.get("page") or 1)
    query = {name: value for name, value in request.GET.items() if name != "page" and value}
    context = {
        "form": form,
        "results": results,
        "filters": filters,
        "query": urlencode(query),
        "facet_links": _facet_links(results, query),
        "can_add": request.user.has_perm("library.add_document"),
        "can_rebuild": request.user.has_perm("library.rebuild_index"),
    }
    response = render(request, "library/_results.html" if request.htmx else "library/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _facet_links(results: finding.Results, query: dict) -> list[dict]:
    """Each facet's values as links that add (or, when chosen, remove) the filter, keeping the rest."""
    out = []
    for name, values in results.facets.items():
        links = []
        for value, label, count in values:
            chosen = query.get(name) == value
            changed = {k: v for k, v in query.items() if k != name}
            if not chosen:
                changed[name] = value
            links.append({"label": label, "count": count, "chosen": chosen, "url": "?" + urlencode(changed)})
        if links:
            out.append({"name": name, "label": SearchForm.base_fields[name].label, "links": links})
    return out


@require_GET
def suggest(request):
    """Titles that match what has been typed so far (htmx fills the list under the search field)."""
    q = request.GET.get("q", "")[:200]
    documents = finding.suggest(services.visible_documents(request.user), q) if len(q.strip()) >= 2 else []
    return render(request, "library/_suggestions.html", {"documents": documents, "q": q})


@require_http_methods(["GET", "POST"])
@permission_required("library.add_document")
def upload(request):
    """The upload answers at once: the file is checked and stored, and the worker reads it while KS watches."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, job = services.add_document(request.user, form.data_for_service(), form.cleaned_data["upload"])
        except services.UploadRefused as refused:
            form.add_error("upload", refused.message)
        else:
            return redirect(progress.url(job))
    return render(request, "library/upload.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["POST"])
@permission_required("library.rebuild_index")
def rebuild(request):
    """KS starts a full rebuild of the index and watches its progress."""
    return redirect(progress.url(services.start_rebuild(request.user)))


@require_GET
@permission_required("library.view_document", fn=get_document)
def document(request, pk):
    document = get_document(request, pk)
    readable = services.visible_documents(request.user)
    record = services.citation(document)
    return render(
        request,
        "library/document.html",
        {
            "document": document,
            "similar": index.similar(document, readable),
            "links": links.of_document(request.user, document),
            "citation": citations.shown(record),
            "first_page": document.pages.order_by("number").first(),
        },
    )


@require_GET
@permission_required("library.view_document", fn=get_document)
def document_text(request, pk):
    """The text page by page, each page anchored (``#side-3``) so a search hit opens where it is."""
    document = get_document(request, pk)
    return render(request, "library/text.html", {"document": document, "pages": document.pages.order_by("number")})


@require_GET
@permission_required("library.view_document", fn=get_document)
def document_file(request, pk):
    """The original, always as an attachment and never sniffed into an active type by the browser."""
    document = get_document(request, pk)
    response = FileResponse(document.file.open("rb"), content_type=FILE_TYPES[document.file_type])
    response["Content-Disposition"] = content_disposition_header(True, document.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@permission_required("library.view_document", fn=get_document)
def document_thumbnail(request, pk):
    """The first page as a small PNG (PDFs only), for those who may open the document."""
    document = get_document(request, pk)
    if not document.thumbnail:
        raise Http404
    response = FileResponse(document.thumbnail.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@permission_required("library.view_document", fn=get_document)
def document_citation(request, pk, kind):
    document = get_document(request, pk)
    entry = {**services.citation(document), "number": 1}
    if kind not in citations.EXPORTS:
        raise Http404
    content = citations.EXPORTS[kind]([entry]).encode()
    return download(content, [document.title[:60]], kind)


urlpatterns = [
    path("", document_list, name="list"),
    path("forslag/", suggest, name="suggest"),
    path("last-opp/", upload, name="upload"),
    path("indeks/", rebuild, name="rebuild"),
    path("<int:pk>/", document, name="document"),
    path("<int:pk>/tekst/", document_text, name="text"),
    path("<int:pk>/fil/", document_file, name="file"),
    path("<int:pk>/forside.png", document_thumbnail, name="thumbnail"),
    path("<int:pk>/kilde.<str:kind>", document_citation, name="citation"),
]
