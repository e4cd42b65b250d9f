"""The library's index: pages' terms for search, the corpus word list for compounds, and key terms for similarity.

``index_pages`` makes a new document searchable at once. ``rebuild`` (a background job after every upload)
re-reads every page with the grown word list, so compounds split the same way in old and new documents, and
recomputes every document's key terms, since each new document changes how rare a word is (its IDF).

Similar documents are found by cosine over TF-IDF vectors cut to each document's ``KEY_TERMS`` strongest terms;
the shared terms that weigh most are shown as the reason.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from . import text
from .models import Document, KeyTerm, Page, Word

KEY_TERMS = 100
QUERY_TERMS = 30  # a document's strongest terms that look for its neighbours (the rest add little but time)
SHOWN_REASONS = 6
MIN_WORD = 2  # letters in a word before it counts (so "MC" does)
MAX_SHARE = 0.5  # in a library of MIN_FOR_SHARE documents or more, a term in more than this share is no key term
MIN_FOR_SHARE = 20
METADATA_WEIGHT = 3  # the title and topics say what a document is about: they count as often as this


class Vocabulary:
    """Known stems for the decompounder: the lexicon and the corpus' ``Word`` rows (all, or those a text needs)."""

    def __init__(self, stems: Iterable[str]):
        self.stems = text.lexicon() | frozenset(stems)

    def known(self, stem: str) -> bool:
        return stem in self.stems

    @classmethod
    def everything(cls) -> "Vocabulary":
        return cls(Word.objects.values_list("stem", flat=True).iterator())

    @classmethod
    def for_text(cls, content: str) -> "Vocabulary":
        wanted = set().union(*(text.candidates(word) for word in set(text.words(content))))
        found = set()
        wanted_list = list(wanted)
        for start in range(0, len(wanted_list), 500):
            chunk = wanted_list[start : start + 500]
            found.update(Word.objects.filter(stem__in=chunk).values_list("stem", flat=True))
        return cls(found)


def learn_words(content: str) -> None:
    """Add the stems of ``content``'s words to the corpus word list."""
    stems = {text.stem(word) for word in set(text.words(content)) if len(word) >= text.MIN_PART and word.isalpha()}
    Word.objects.bulk_create([Word(stem=stem) for stem in stems], ignore_conflicts=True, batch_size=1000)


def about(document: Document) -> str:
    """What the document says of itself: searched with its first page, and weighed in its key terms."""
    title = re.sub(r"\(.*?\)", "", document.title)  # a remark such as "(demotekst)" is not the subject
    return " ".join([title, *document.topics, *document.authors, document.organisation])


def _page_terms(document: Document, number: int, content: str, known) -> str:
    return " ".join(text.terms(f"{about(document)}\n{content}" if number == 1 else content, known))


@transaction.atomic
def index_pages(document: Document, texts: list[str]) -> None:
    """Store the document's pages with their terms (the database's full-text index follows them)."""
    document.pages.all().delete()
    content = "\n".join([about(document), *texts])
    learn_words(content)
    known = Vocabulary.for_text(content).known
    Page.objects.bulk_create(
        Page(document=document, number=number, text=page, terms=_page_terms(document, number, page, known))
        for number, page in enumerate(texts, start=1)
    )


def _surfaces(content: str, known) -> tuple[Counter, dict[str, Counter]]:
    """Each term's count and the words it came from (for showing a term as a word people recognise)."""
    counts, surfaces = Counter(), defaultdict(Counter)
    for word in text.words(content):
        if word in text.STOP_WORDS or word.isdigit() or len(word) < MIN_WORD:
            continue
        whole, parts = text.word_terms(word, known)
        counts[whole] += 1
        surfaces[whole][word] += 1
        for part, stem in zip(text.split(word, known), parts, strict=False):
            counts[stem] += 1
            surfaces[stem][part] += 1
    return counts, surfaces


@transaction.atomic
def rebuild(documents: QuerySet[Document] | None = None) -> int:
    """Re-read every page's terms with today's word list, then every document's key terms; returns the count."""
    vocabulary = Vocabulary.everything()
    documents = documents if documents is not None else Document.objects.filter(state=Document.State.READY)
    counts, labels = {}, {}
    for document in documents.prefetch_related("pages"):
        pages = list(document.pages.all())
        for page in pages:
            page.terms = _page_terms(document, page.number, page.text, vocabulary.known)
        Page.objects.bulk_update(pages, ["terms"], batch_size=500)
        content = "\n".join([*(page.text for page in pages), *[about(document)] * METADATA_WEIGHT])
        counts[document.pk], surfaces = _surfaces(content, vocabulary.known)
        labels[document.pk] = {term: words.most_common(1)[0][0] for term, words in surfaces.items()}
    frequency = Counter(term for terms in counts.values() for term in terms)
    total = len(counts)
    common = {term for term, n in frequency.items() if n > MAX_SHARE * total} if total >= MIN_FOR_SHARE else set()
    rows = []
    for pk, terms in counts.items():
        weights = {
            term: (1 + math.log(count)) * (1 + math.log((1 + total) / (1 + frequency[term])))
            for term, count in terms.items()
        }
        candidates = [(term, weight) for term, weight in weights.items() if term not in common]
        strongest = sorted(candidates, key=lambda item: (-item[1], item[0]))[:KEY_TERMS]
        norm = math.sqrt(sum(weight * weight for _, weight in strongest)) or 1.0
        rows += [
            KeyTerm(document_id=pk, term=term, label=labels[pk][term][:100], weight=weight / norm)
            for term, weight in strongest
            if weight > 0
        ]
    KeyTerm.objects.filter(document_id__in=list(counts)).delete()
    KeyTerm.objects.bulk_create(rows, batch_size=1000)
    return total


@dataclass(frozen=True)
class Similar:
    document: Document
    score: float
    shared: list[str]  # the shared key terms that weigh most, as words


def similar(document: Document, readable: QuerySet[Document], limit: int = 5) -> list[Similar]:
    """The documents in ``readable`` closest to ``document`` by content, with the terms they share.

    The database adds up the products of shared key terms' weights (a cosine, as the weights are normalised, over
    this document's ``QUERY_TERMS`` strongest), so only the best ``limit`` documents come back, with their reasons.
    """
    inner, params = readable.values("id").query.sql_with_params()
    sql = (
        "SELECT other.document_id, SUM(mine.weight * other.weight) AS score"  # noqa: S608 - the ORM's SQL, params
        " FROM (SELECT term, weight FROM library_keyterm WHERE document_id = %s ORDER BY weight DESC LIMIT %s) mine"
        " JOIN library_keyterm other ON other.term = mine.term"
        f" WHERE other.document_id <> %s AND other.document_id IN ({inner})"
        " GROUP BY other.document_id ORDER BY score DESC, other.document_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (document.pk, QUERY_TERMS, document.pk, *params, limit))
        best = cursor.fetchall()
    if not best:
        return []
    mine = dict(document.key_terms.values_list("term", "weight"))
    labels = dict(document.key_terms.values_list("term", "label"))
    reasons = defaultdict(list)
    shared = KeyTerm.objects.filter(document_id__in=[pk for pk, _ in best], term__in=list(mine))
    for other, term, weight in shared.values_list("document_id", "term", "weight"):
        reasons[other].append((mine[term] * weight, labels[term]))
    found = Document.objects.in_bulk([pk for pk, _ in best])
    return [
        Similar(found[pk], score, [label for _, label in sorted(reasons[pk], reverse=True)[:SHOWN_REASONS]])
        for pk, score in best
    ]
