"""Full-text search over the pages' ``terms``, behind one interface for SQLite (FTS5, BM25) and PostgreSQL
(a GIN index on ``to_tsvector('simple', terms)``, ``ts_rank``).

Both databases see only the terms ``text`` made (stems and compound parts), so the built-in ``simple``
configuration and FTS5's ``unicode61`` tokenizer do nothing but split on spaces: the Norwegian lives in ``text``
and matches the same on both. A query is an AND of words, each matched by its stem or by all of its parts;
the last word may be a prefix (suggestions as you type). Every search is limited to a queryset of documents the
user may open, inside the database, so no hit outside it is ever read.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

Query = list[tuple[str, list[str]]]  # (stem, parts) per word, as ``text.query_terms`` gives them


@dataclass(frozen=True)
class Hit:
    document_id: int
    page_id: int
    score: float  # higher is better; comparable within one search only


def _documents_sql(documents: QuerySet) -> tuple[str, tuple]:
    """The ids of ``documents`` as SQL; a filter that can match nothing (an empty ``pk__in``) selects no row."""
    try:
        return documents.values("id").query.sql_with_params()
    except EmptyResultSet:
        return "SELECT id FROM library_document WHERE 1 = 0", ()


class SQLiteBackend:
    """FTS5 table ``library_page_fts`` over the pages' terms, kept by triggers (migration 0002)."""

    def expression(self, query: Query, prefix: bool) -> str:
        groups = []
        for position, (whole, parts) in enumerate(query):
            term = f'"{whole}"' + ("*" if prefix and position == len(query) - 1 else "")
            if parts:
                together = " AND ".join(f'"{part}"' for part in parts)
                term = f"({term} OR ({together}))"
            groups.append(term)
        return " AND ".join(groups)

    def matching(self, query: Query, documents: QuerySet) -> RawSQL:
        """The ids of the documents with a matching page, as a subquery for the ORM (facets)."""
        sql = (
            "SELECT p.document_id FROM library_page_fts JOIN library_page p ON p.id = library_page_fts.rowid"
            " WHERE library_page_fts MATCH %s"
        )
        return _matching(sql, self.expression(query, False), documents)

    def hits(self, query: Query, documents: QuerySet, prefix: bool = False) -> list[Hit]:
        inner, params = _documents_sql(documents)
        sql = (
            # MATERIALIZED: SQLite may not move bm25() into the grouping query, where it cannot be evaluated.
            "WITH scored AS MATERIALIZED ("  # noqa: S608 - ``inner`` is the ORM's SQL, values are params
            " SELECT p.document_id AS document_id, p.id AS id, -bm25(library_page_fts) AS score"
            " FROM library_page_fts JOIN library_page p ON p.id = library_page_fts.rowid"
            f" WHERE library_page_fts MATCH %s AND p.document_id IN ({inner})"
            ") SELECT document_id, id, MAX(score) FROM scored GROUP BY document_id ORDER BY 3 DESC, document_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (self.expression(query, prefix), *params))
            return [Hit(*row) for row in cursor.fetchall()]


class PostgresBackend:
    """The expression index in migration 0002 serves ``to_tsvector('simple', terms)``."""

    def expression(self, query: Query, prefix: bool) -> str:
        groups = []
        for position, (whole, parts) in enumerate(query):
            term = whole + (":*" if prefix and position == len(query) - 1 else "")
            if parts:
                together = " & ".join(parts)
                term = f"({term} | ({together}))"
            groups.append(term)
        return " & ".join(groups)

    def matching(self, query: Query, documents: QuerySet) -> RawSQL:
        sql = (
            "SELECT p.document_id FROM library_page p WHERE to_tsvector('simple', p.terms) @@ to_tsquery('simple', %s)"
        )
        return _matching(sql, self.expression(query, False), documents)

    def hits(self, query: Query, documents: QuerySet, prefix: bool = False) -> list[Hit]:
        inner, params = _documents_sql(documents)
        sql = (
            "SELECT document_id, id, score FROM ("  # noqa: S608 - ``inner`` is the ORM's SQL, values are params
            " SELECT DISTINCT ON (p.document_id) p.document_id, p.id,"
            " ts_rank(to_tsvector('simple', p.terms), q, 1) AS score"
            " FROM library_page p, to_tsquery('simple', %s) q"
            f" WHERE to_tsvector('simple', p.terms) @@ q AND p.document_id IN ({inner})"
            " ORDER BY p.document_id, score DESC"
            ") best ORDER BY score DESC, document_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (self.expression(query, prefix), *params))
            return [Hit(*row) for row in cursor.fetchall()]


def _matching(sql: str, expression: str, documents: QuerySet) -> RawSQL:
    inner, params = _documents_sql(documents)
    return RawSQL(f"{sql} AND p.document_id IN ({inner})", (expression, *params))  # noqa: S611 - values are params


def backend() -> SQLiteBackend | PostgresBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
