"""The library in the REST API: search and one document with its similar documents.

Public (``auth=None``) like the pages: a caller sees exactly the documents it may open (``services.visible_documents``
for the token's or verified session's user), and a document it may not open is a 404, as on the web.
"""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from trygg.core.api_auth import caller
from trygg.core.api_schema import Id, SearchText, named_enum, responses

from . import finding, index, services
from .models import Access, Document, Kind, Language

router = Router(tags=["library"])

DocumentKind = named_enum("DocumentKind", Kind)
DocumentAccess = named_enum("DocumentAccess", Access)
DocumentLanguage = named_enum("DocumentLanguage", Language)


class DocumentFilters(Schema):
    q: SearchText = Field("", description="Full-text search in Norwegian: inflections and compound parts match.")
    kind: DocumentKind | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    organisation: str = Field("", max_length=200)
    topic: str = Field("", max_length=100)
    language: DocumentLanguage | None = None
    page: int = Field(1, ge=1, le=10_000, description=f"{finding.PER_PAGE} documents a page.")

    def to_filters(self) -> finding.Filters:
        data = self.model_dump(mode="json", exclude={"page"})
        return finding.Filters(**{name: value or ("" if name != "year" else None) for name, value in data.items()})


class DocumentOut(Schema):
    id: int
    title: str
    authors: list[str]
    organisation: str
    year: int | None
    kind: DocumentKind
    topics: list[str]
    language: str = Field(description="nb, nn, en, other, or empty while the text is being read.")
    access: DocumentAccess
    page_count: int
    url: str = Field(description="Path of the document's page on this site.")
    updated_at: dt.datetime

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("library:document", args=[obj.pk])


class HitOut(Schema):
    document: DocumentOut
    page: int | None = Field(description="The page (or slide) of the best hit; null without search words.")
    snippet: str = Field(description="Text around the hit; the matching words between « and ».")


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    results: list[HitOut]


class SimilarOut(Schema):
    document: DocumentOut
    score: float = Field(description="Similarity of the key terms (a cosine of pivoted lengths; higher is closer).")
    shared_terms: list[str]


class DocumentDetailOut(DocumentOut):
    summary: str
    similar: list[SimilarOut]


@router.get(
    "/documents",
    response=responses(SearchOut, 422),
    auth=None,
    summary="Search the library",
    description="Documents the caller may open, ranked by relevance to ``q`` (newest first without it).",
)
def search_documents(request, filters: Query[DocumentFilters]):
    results = finding.find(services.visible_documents(caller(request)), filters.to_filters(), filters.page)
    return {
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "results": [
            {
                "document": result.document,
                "page": result.page,
                "snippet": "".join(f"«{chunk}»" if hit else chunk for chunk, hit in result.snippet),
            }
            for result in results.results
        ],
    }


@router.get(
    "/documents/{document_id}",
    response=responses(DocumentDetailOut, 404, 422),
    auth=None,
    summary="One document",
    description="Its metadata and the documents most similar to it that the caller may also open.",
)
def get_document(request, document_id: Id):
    user = caller(request)
    document = get_object_or_404(Document, pk=document_id)
    if not user.has_perm("library.view_document", document):
        raise Http404
    similar = index.similar(document, services.visible_documents(user))
    document.similar = [{"document": s.document, "score": s.score, "shared_terms": s.shared} for s in similar]
    return document
