"""Searching the library as a user: ranked documents with the page of the best hit and a highlighted snippet,
facets over what matched, and suggestions as someone types. Only documents the user may open are ever searched.
"""

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import search, text
from .index import Vocabulary
from .models import Document, Kind, Language, Page

PER_PAGE = 20
SNIPPET_WORDS = 36


@dataclass(frozen=True)
class Filters:
    """The list's filters as the page and the API take them; empty means "any"."""

    q: str = ""
    kind: str = ""
    year: int | None = None
    organisation: str = ""
    topic: str = ""
    language: str = ""


@dataclass
class Result:
    document: Document
    page: int | None = None
    snippet: list[tuple[str, bool]] = field(default_factory=list)  # (text, is a hit)


@dataclass
class Results:
    total: int
    results: list[Result]
    facets: dict[str, list[tuple[str, str, int]]]  # facet -> (value, label, count)
    page: int
    pages: int


def _filtered(documents: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.year:
        documents = documents.filter(year=filters.year)
    if filters.organisation:
        documents = documents.filter(organisation=filters.organisation)
    if filters.language:
        documents = documents.filter(language=filters.language)
    if filters.topic:
        documents = search.with_topic(documents, filters.topic)
    return documents


def _query(q: str) -> tuple[list[tuple[str, list[str]]], Vocabulary]:
    vocabulary = Vocabulary.for_text(q)
    return text.query_terms(q, vocabulary.known), vocabulary


def snippet(page_text: str, query: list[tuple[str, list[str]]], known) -> list[tuple[str, bool]]:
    """About SNIPPET_WORDS words of the page around its first hit, as (text, is a hit) runs."""
    wanted = {whole for whole, _ in query} | {part for _, parts in query for part in parts}
    seen: dict[str, bool] = {}

    def hit(word: str) -> bool:
        if word not in seen:
            # A compound is split only when a wanted stem is inside it: most long words are not hits at all.
            seen[word] = text.stem(word) in wanted or (
                len(word) >= text.MIN_COMPOUND
                and any(stem in word for stem in wanted)
                and any(text.stem(part) in wanted for part in text.split(word, known))
            )
        return seen[word]

    tokens, first = [], None
    for match in text.WORD.finditer(page_text):  # read only as far as the snippet and one word more
        tokens.append(match)
        if first is None and hit(match.group().lower()):
            first = len(tokens) - 1
        if first is not None and len(tokens) > first + SNIPPET_WORDS:
            break
    start = max(0, (first or 0) - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    if not window:
        return []
    runs, position = [], window[0].start()
    for match in window:
        if hit(match.group().lower()):
            runs += [(page_text[position : match.start()], False), (match.group(), True)]
            position = match.end()
    runs.append((page_text[position : window[-1].end()], False))
    runs = [(chunk if is_hit else re.sub(r"\s+", " ", chunk), is_hit) for chunk, is_hit in runs]
    if start > 0:
        runs.insert(0, ("… ", False))
    if start + SNIPPET_WORDS < len(tokens):
        runs.append((" …", False))
    return [(chunk, is_hit) for chunk, is_hit in runs if chunk]


def _labelled(counts: search.Facets) -> dict[str, list[tuple[str, str, int]]]:
    """Each facet's values with their counts and labels, most first."""
    labels = {"kind": dict(Kind.choices), "language": dict(Language.choices)}
    return {
        name: [
            (value, str(labels.get(name, {}).get(value, value)), n)
            for value, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))
        ]
        for name, found in counts.items()
    }


def find(readable: QuerySet[Document], filters: Filters, page: int = 1) -> Results:
    """Documents in ``readable`` matching the filters; with words, ranked by relevance with the page of the best hit."""
    documents = _filtered(readable, filters)
    query, vocabulary = _query(filters.q)
    shown, counts = search.search(query, documents) if query else ([], search.facets(documents))
    facets = _labelled(counts)
    total = sum(count for _, _, count in facets["kind"])
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    if not query:
        shown = documents.order_by("-year", "title")[(page - 1) * PER_PAGE : page * PER_PAGE]
        return Results(total, [Result(d) for d in shown], facets, page, pages)
    if len(shown) < min(total, page * PER_PAGE):  # a page of results beyond the first window
        shown = search.hits(query, documents, page * PER_PAGE, window=4 * search.WINDOW)
    shown = shown[(page - 1) * PER_PAGE : page * PER_PAGE]
    found = Document.objects.in_bulk([hit.document_id for hit in shown])
    rows = Page.objects.filter(pk__in=[hit.page_id for hit in shown]).values_list("pk", "number", "text")
    read = {pk: (number, content) for pk, number, content in rows}
    results = [
        Result(found[hit.document_id], read[hit.page_id][0], snippet(read[hit.page_id][1], query, vocabulary.known))
        for hit in shown
    ]
    return Results(total, results, facets, page, pages)


def suggest(readable: QuerySet[Document], q: str, limit: int = 6) -> list[Document]:
    """Titles of documents that match what has been typed so far (the last word may be unfinished)."""
    query, _ = _query(q)
    if not query:
        return []
    *done, (last, _) = query
    hits = search.hits([*done, (last, [])], readable, limit, prefix=True)
    found = Document.objects.in_bulk([hit.document_id for hit in hits])
    return [found[hit.document_id] for hit in hits]
