"""Full-text search over the pages' ``terms``, behind one interface for SQLite (FTS5, BM25) and PostgreSQL
(a stored ``tsvector`` column with a GIN index, ``ts_rank``).

Both databases see only the terms ``text`` made (stems and compound parts), so the built-in ``simple``
configuration and FTS5's ``unicode61`` tokenizer do nothing but split on spaces: the Norwegian lives in ``text``
and matches the same on both. A query is an AND of words, each matched by its stem or by all of its parts;
the last word may be a prefix (suggestions as you type). Every search is limited to a queryset of documents the
user may open, inside the database, so no hit outside it is ever read.

A document ranks by its best page. The database ranks pages and returns only the best ``window`` of them; the
documents among those are exactly the best documents (a document left out has no page better than the last one
read), so a list page needs only as many pages as it shows documents, and the window grows only when a page
of results asks for more documents than it holds.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

Query = list[tuple[str, list[str]]]  # (stem, parts) per word, as ``text.query_terms`` gives them
WINDOW = 200  # pages ranked in one go; doubled until the documents asked for are among them


@dataclass(frozen=True)
class Hit:
    document_id: int
    page_id: int
    score: float  # higher is better; comparable within one search only


@dataclass(frozen=True)
class Dialect:
    """How one database spells a query, the matching pages of some documents, and a JSON list's elements.

    ``ranked`` and ``matching`` take the query, then the documents' SQL (``{documents}``) and its parameters;
    ``ranked`` also a limit. On SQLite both read pages through the index on (id, document), which holds all they
    need, so a search never reads the pages' text from the table (``+`` keeps SQLite from seeking that index by
    document as well, which would try every pair of page and document).
    """

    quote: str
    conjunction: str
    disjunction: str
    prefix: str
    ranked: str  # (document id, page id, score) of the best matching pages, best first
    matching: str  # the ids of the documents with a matching page
    topics: str  # a document's (``d``) topics as rows of ``value``

    def expression(self, query: Query, prefix: bool) -> str:
        groups = []
        for position, (whole, parts) in enumerate(query):
            term = self.quote % whole + (self.prefix if prefix and position == len(query) - 1 else "")
            if parts:
                together = self.conjunction.join(self.quote % part for part in parts)
                term = f"({term}{self.disjunction}({together}))"
            groups.append(term)
        return self.conjunction.join(groups)


# The FTS5 table ``library_page_fts`` follows the pages through triggers (migration 0002). MATERIALIZED: SQLite
# may not move bm25() out of the full-text query, where alone it can be evaluated.
SQLITE = Dialect(
    quote='"%s"',
    conjunction=" AND ",
    disjunction=" OR ",
    prefix="*",
    ranked=(
        "WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25(library_page_fts) AS score FROM library_page_fts"
        " WHERE library_page_fts MATCH %s)"
        " SELECT p.document_id, p.id, m.score FROM m JOIN library_page p INDEXED BY library_page_id_document"
        " ON m.id = p.id WHERE +p.document_id IN ({documents}) ORDER BY m.score DESC, p.id LIMIT %s"
    ),
    matching=(
        "SELECT p.document_id FROM library_page p INDEXED BY library_page_id_document WHERE p.id IN"
        " (SELECT rowid FROM library_page_fts WHERE library_page_fts MATCH %s) AND +p.document_id IN ({documents})"
    ),
    topics="json_each(d.topics)",
)
# ``search`` is a stored tsvector of the terms with a GIN index (migration 0005).
POSTGRES = Dialect(
    quote="%s",
    conjunction=" & ",
    disjunction=" | ",
    prefix=":*",
    ranked=(
        "SELECT p.document_id, p.id, ts_rank(p.search, q, 1) AS score FROM library_page p, to_tsquery('simple', %s) q"
        " WHERE p.search @@ q AND p.document_id IN ({documents}) ORDER BY score DESC, p.id LIMIT %s"
    ),
    matching=(
        "SELECT p.document_id FROM library_page p"
        " WHERE p.search @@ to_tsquery('simple', %s) AND p.document_id IN ({documents})"
    ),
    topics="jsonb_array_elements_text(d.topics) AS topic(value)",
)


def _documents_sql(documents: QuerySet) -> tuple[str, tuple]:
    """The ids of ``documents`` as SQL; a filter that can match nothing (an empty ``pk__in``) selects no row."""
    try:
        return documents.values("id").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT id FROM library_document WHERE 1 = 0", ()


def dialect() -> Dialect:
    return POSTGRES if connection.vendor == "postgresql" else SQLITE


def hits(query: Query, documents: QuerySet, wanted: int, prefix: bool = False) -> list[Hit]:
    """The ``wanted`` best documents in ``documents`` for ``query``, each with its best page, best first."""
    inner, params = _documents_sql(documents)
    sql = dialect().ranked.format(documents=inner)
    expression = dialect().expression(query, prefix)
    window = WINDOW
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, (expression, *params, window))
            rows = cursor.fetchall()
        best: dict[int, Hit] = {}
        for document_id, page_id, score in rows:
            best.setdefault(document_id, Hit(document_id, page_id, score))
        if len(best) >= wanted or len(rows) < window:
            return list(best.values())[:wanted]
        window *= 4


FACETS = ("kind", "year", "organisation", "language")


def facets(documents: QuerySet, query: Query | None) -> dict[str, dict[str, int]]:
    """How many of ``documents`` (those with a matching page, when there is a query) have each value of each facet.

    One query, counted by the database, so a search that matches every document costs no more than reading a few
    hundred numbers.
    """
    inner, params = _documents_sql(documents)
    where, extra = f"d.id IN ({inner})", params
    if query:
        where = f"d.id IN ({dialect().matching.format(documents=inner)})"
        extra = (dialect().expression(query, False), *params)
    # Only fixed names and the ORM's SQL go into the text; every value is a parameter.
    columns = " UNION ALL ".join(
        f"SELECT '{name}', CAST(d.{name} AS TEXT), COUNT(*) FROM chosen d GROUP BY d.{name}"  # noqa: S608
        for name in FACETS
    )
    sql = (
        "WITH chosen AS MATERIALIZED (SELECT d.id, d.kind, d.year, d.organisation, d.language, d.topics"  # noqa: S608
        f" FROM library_document d WHERE {where}) {columns}"
        f" UNION ALL SELECT 'topic', value, COUNT(*) FROM chosen d, {dialect().topics} GROUP BY value"
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in (*FACETS, "topic")}
    with connection.cursor() as cursor:
        cursor.execute(sql, extra)
        for name, value, count in cursor.fetchall():
            if value not in ("", None):
                counts[name][value] = count
    return counts


def with_topic(documents: QuerySet, topic: str) -> QuerySet:
    """The documents whose topics include ``topic`` (JSON lists have no portable "contains" on SQLite)."""
    sql = f"SELECT d.id FROM library_document d, {dialect().topics} WHERE value = %s"  # noqa: S608 - fixed SQL
    return documents.filter(pk__in=RawSQL(sql, (topic,)))  # noqa: S611 - the value is a parameter
