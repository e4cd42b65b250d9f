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

    ``matched`` is a common table expression ``r`` of (document id, page id, score) of every page of some documents
    that matches: it takes the query, then the documents' SQL (``{documents}``) and its parameters. The database
    finds and scores the pages once per search; the ranked window and the facets both read ``r``. On SQLite it
    reads pages through the index on (id, document), which holds all it needs, so a search never reads the pages'
    text from the table (``+`` keeps SQLite from seeking that index by document as well, which would try every pair
    of page and document).
    """

    quote: str
    conjunction: str
    disjunction: str
    prefix: str
    matched: str
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


# The FTS5 table ``library_page_fts`` follows the pages through triggers (migration 0002). bm25() can be evaluated
# only on the full-text table's current row: CROSS JOIN keeps that table the outer loop, so SQLite scores a page only
# once its document has passed the filter, not every matching page of the library.
SQLITE = Dialect(
    quote='"%s"',
    conjunction=" AND ",
    disjunction=" OR ",
    prefix="*",
    matched=(
        "r AS MATERIALIZED (SELECT p.document_id, p.id, -bm25(library_page_fts) AS score FROM library_page_fts"
        " CROSS JOIN library_page p INDEXED BY library_page_id_document ON p.id = library_page_fts.rowid"
        " WHERE library_page_fts MATCH %s AND +p.document_id IN ({documents}))"
    ),
    topics="json_each(d.topics)",
)
# ``search`` is a stored tsvector of the terms with a GIN index (migration 0005).
POSTGRES = Dialect(
    quote="%s",
    conjunction=" & ",
    disjunction=" | ",
    prefix=":*",
    matched=(
        "r AS MATERIALIZED (SELECT p.document_id, p.id, ts_rank(p.search, q, 1) AS score"
        " FROM library_page p, to_tsquery('simple', %s) q WHERE p.search @@ q AND p.document_id IN ({documents}))"
    ),
    topics="jsonb_array_elements_text(d.topics) AS topic(value)",
)
# The best pages of ``r``, best first, as rows shaped like the facets' (name, value, count, page, score).
RANKED = "SELECT 'hit', NULL, document_id, id, score FROM (SELECT * FROM r ORDER BY score DESC, id LIMIT %s) best"


def _documents_sql(documents: QuerySet) -> tuple[str, tuple]:
    """The ids of ``documents`` as SQL, unordered (a sort inside ``IN`` costs a search as much as its ranking); a
    filter that can match nothing (an empty ``pk__in``) selects no row."""
    try:
        return documents.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT id FROM library_document WHERE 1 = 0", ()


def dialect() -> Dialect:
    return POSTGRES if connection.vendor == "postgresql" else SQLITE


def _window(rows, wanted: int) -> list[Hit]:
    best: dict[int, Hit] = {}
    for document_id, page_id, score in rows:
        best.setdefault(document_id, Hit(document_id, page_id, score))
    return list(best.values())[:wanted]


def hits(query: Query, documents: QuerySet, wanted: int, prefix: bool = False, window: int = WINDOW) -> list[Hit]:
    """The ``wanted`` best documents in ``documents`` for ``query``, each with its best page, best first."""
    inner, params = _documents_sql(documents)
    sql = f"WITH {dialect().matched.format(documents=inner)} {RANKED}"
    expression = dialect().expression(query, prefix)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, (expression, *params, window))
            rows = [row[2:] for row in cursor.fetchall()]
        found = _window(rows, wanted)
        if len(found) >= wanted or len(rows) < window:
            return found
        window *= 4


FACETS = ("kind", "year", "organisation", "language")
NONE = "CAST(NULL AS BIGINT), CAST(NULL AS REAL)"  # a facet row's page and score (typed, for PostgreSQL's UNION)
Facets = dict[str, dict[str, int]]


def _facet_sql(where: str) -> str:
    """How many of the documents ``where`` chooses have each value of each facet, as (name, value, count) rows.

    Counted by the database in one statement, so a search that matches every document costs no more than reading
    a few hundred numbers. Only fixed names and the ORM's SQL go into the text; every value is a parameter.
    """
    columns = " UNION ALL ".join(
        f"SELECT '{name}', CAST(d.{name} AS TEXT), COUNT(*), {NONE} FROM chosen d GROUP BY d.{name}"  # noqa: S608
        for name in FACETS
    )
    return (
        "chosen AS MATERIALIZED (SELECT d.id, d.kind, d.year, d.organisation, d.language, d.topics"  # noqa: S608
        f" FROM library_document d WHERE {where}) {columns}"
        f" UNION ALL SELECT 'topic', value, COUNT(*), {NONE} FROM chosen d, {dialect().topics} GROUP BY value"
    )


def _counted(rows) -> Facets:
    counts: Facets = {name: {} for name in (*FACETS, "topic")}
    for name, value, count, _, _ in rows:
        if value not in ("", None):
            counts[name][value] = count
    return counts


def facets(documents: QuerySet) -> Facets:
    """How many of ``documents`` have each value of each facet (the list without search words)."""
    inner, params = _documents_sql(documents)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {_facet_sql(f'd.id IN ({inner})')}", params)
        return _counted(cursor.fetchall())


def search(query: Query, documents: QuerySet) -> tuple[list[Hit], Facets]:
    """The best documents in ``documents`` for ``query`` among the first ``WINDOW`` pages (as ``hits``; ask
    ``hits`` for more), and the facets of all that match: one statement, so the database finds and scores the
    matching pages once."""
    inner, params = _documents_sql(documents)
    matched, counted = dialect().matched.format(documents=inner), _facet_sql("d.id IN (SELECT document_id FROM r)")
    sql = f"WITH {matched}, {counted} UNION ALL {RANKED}"
    with connection.cursor() as cursor:
        cursor.execute(sql, (dialect().expression(query, False), *params, WINDOW))
        rows = cursor.fetchall()
    found = _window((row[2:] for row in rows if row[0] == "hit"), WINDOW)
    return found, _counted(row for row in rows if row[0] != "hit")


def with_topic(documents: QuerySet, topic: str) -> QuerySet:
    """The documents whose topics include ``topic`` (JSON lists have no portable "contains" on SQLite)."""
    sql = f"SELECT d.id FROM library_document d, {dialect().topics} WHERE value = %s"  # noqa: S608 - fixed SQL
    return documents.filter(pk__in=RawSQL(sql, (topic,)))  # noqa: S611 - the value is a parameter
