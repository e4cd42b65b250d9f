"""The library's index: pages' terms for search, the corpus word list for compounds, key terms and neighbours for
similar documents.

A new document is indexed on its own (``add``, in the upload's job): its pages' terms, its key terms weighed by
how many documents use each term (``TermCount``, kept as documents come), and its nearest neighbours, which also
enter the lists of the documents it is now among the nearest of. ``rebuild`` (a job KS starts) re-reads every
page with the grown word list, so compounds split the same way in old and new documents, and recomputes every
document's key terms and neighbours with today's term counts.

Similar documents are found by the dot product of TF-IDF vectors cut to each document's ``KEY_TERMS`` strongest
terms, computed when a document is indexed; each document keeps its ``NEIGHBOURS`` nearest with the shared terms
that weigh most (the reason shown). Reading them is one query, filtered by what the reader may open.

What counts is what a document says: its text and its title and topics, not its authors or publisher (a shared
organisation made every demo text a neighbour of every other), not function words or abbreviations, and not the
lines a long document repeats on many of its pages (running heads, a form's labels). A compound's parts count half
each, so a shared compound weighs as two words, not three. Vectors are normalised by a pivoted length (Singhal,
Buckley and Mitra, "Pivoted document length normalization", SIGIR 1996): plain cosine favours short documents,
whose few terms each weigh much, and so a 46-page guide lost to every one-page note that shares a title word.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Avg, F, QuerySet

from . import text
from .models import Document, KeyTerm, Neighbour, Page, TermCount, Word

KEY_TERMS = 100
NEIGHBOURS = 20  # kept per document, so that a reader who may open only some of them still sees a few
SHOWN_REASONS = 6
MIN_WORD = 2  # letters in a word before it counts (so "MC" does)
MAX_SHARE = 0.5  # in a library of MIN_FOR_SHARE documents or more, a term in more than this share is no key term
MIN_FOR_SHARE = 20
METADATA_WEIGHT = 3  # the title and topics say what a document is about: they count as often as this
SUBJECT_BOOST = 3  # ... and their terms weigh this many times more, however long the text around them
BATCH = 200  # documents a rebuild reads at a time
# Abbreviations such as "jf." and "evt." say nothing of what a text is about.
ABBREVIATIONS = frozenset({"jf", "ift", "evt", "ca", "inkl", "bl", "mv", "osv", "dvs", "pga", "mm", "ifm", "iht"})
FURNITURE_PAGES = 4  # a document of this many pages or more may have running heads ...
FURNITURE_SHARE = 1 / 3  # ... a line on at least this share of them (and on three or more) is one
SLOPE = 0.5  # how much of a document's own length its vector is divided by; the rest is the library's mean


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


def _subject_text(document: Document) -> str:
    """The document's title and topics: what it says it is about (a remark such as "(demotekst)" is not)."""
    return " ".join([re.sub(r"\(.*?\)", "", document.title), *document.topics])


def about(document: Document) -> str:
    """What the document says of itself, searched with its first page: its subject, authors and publisher."""
    return " ".join([_subject_text(document), *document.authors, document.organisation])


def _page_terms(document: Document, number: int, content: str, known) -> str:
    return " ".join(text.terms(f"{about(document)}\n{content}" if number == 1 else content, known))


def _index_pages(document: Document, texts: list[str]) -> Callable[[str], bool]:
    """Store the document's pages with their terms (the database's full-text index follows them); returns the
    known stems it split compounds by."""
    document.pages.all().delete()
    content = "\n".join([about(document), *texts])
    learn_words(content)
    known = Vocabulary.for_text(content).known
    Page.objects.bulk_create(
        Page(document=document, number=number, text=page, terms=_page_terms(document, number, page, known))
        for number, page in enumerate(texts, start=1)
    )
    return known


def _surfaces(content: str, known) -> tuple[Counter, dict[str, Counter]]:
    """Each term's count and the words it came from (for showing a term as a word people recognise)."""
    counts, surfaces = Counter(), defaultdict(Counter)
    for word in text.words(content):
        if word in text.STOP_WORDS or word in ABBREVIATIONS or word.isdigit() or len(word) < MIN_WORD:
            continue
        whole, parts = text.word_terms(word, known)
        counts[whole] += 1
        surfaces[whole][word] += 1
        for part, stem in zip(text.split(word, known), parts, strict=False):
            counts[stem] += 0.5
            surfaces[stem][part] += 1
    return counts, surfaces


def _without_furniture(pages: list[str]) -> list[str]:
    """The pages without the lines repeated on many of them (running heads and feet, a form's labels)."""
    if len(pages) < FURNITURE_PAGES:
        return pages
    lines = Counter(line.strip() for page in pages for line in set(page.splitlines()) if line.strip())
    limit = max(3, FURNITURE_SHARE * len(pages))
    return ["\n".join(line for line in page.splitlines() if lines[line.strip()] < limit) for page in pages]


def _counts(document: Document, pages: list[str], known) -> tuple[Counter, dict[str, str]]:
    """The document's term counts (its title and topics weighed in) and each term's most common word."""
    content = "\n".join([*_without_furniture(pages), *[_subject_text(document)] * METADATA_WEIGHT])
    counts, surfaces = _surfaces(content, known)
    return counts, {term: words.most_common(1)[0][0][:100] for term, words in surfaces.items()}


def _subject(document: Document, known) -> set[str]:
    """The terms of the document's title and topics: what a 300-page report is about is no rarer than in a note."""
    return set(_surfaces(_subject_text(document), known)[0])


def _strongest(
    counts: Counter, subject: set[str], frequency: Callable[[str], int], total: int
) -> tuple[list[tuple[str, float]], float]:
    """The ``KEY_TERMS`` strongest terms by TF-IDF, and their vector's length."""
    limit = MAX_SHARE * total if total >= MIN_FOR_SHARE else math.inf
    weights = [
        (
            term,
            (1 + math.log(count))
            * (1 + math.log((1 + total) / (1 + frequency(term))))
            * (SUBJECT_BOOST if term in subject else 1),
        )
        for term, count in counts.items()
        if frequency(term) <= limit
    ]
    strongest = sorted(weights, key=lambda item: (-item[1], item[0]))[:KEY_TERMS]
    return strongest, math.sqrt(sum(weight * weight for _, weight in strongest))


def _key_terms(pk: int, strongest: list[tuple[str, float]], norm: float, pivot: float, labels: dict) -> list[KeyTerm]:
    """The strongest terms divided by the pivoted length: ``SLOPE`` of the document's own, the rest the library's
    mean (``pivot``)."""
    length = ((1 - SLOPE) * pivot + SLOPE * norm) or 1.0
    return [KeyTerm(document_id=pk, term=term, label=labels[term], weight=w / length) for term, w in strongest if w > 0]


class _Vectors:
    """Documents' key terms with each term's postings, to score every document against one in a few array steps."""

    def __init__(self, vectors: dict[int, dict[str, float]], labels: dict[int, dict[str, str]]):
        self.vectors, self.labels = vectors, labels
        self.pks = np.array(sorted(vectors), dtype=np.int64)
        postings = defaultdict(list)
        for position, pk in enumerate(self.pks.tolist()):
            for term, weight in vectors[pk].items():
                postings[term].append((position, weight))
        self.postings = {term: np.array(found).T for term, found in postings.items()}

    def nearest(self, pk: int, count: int = NEIGHBOURS) -> list[tuple[int, float, list[str]]]:
        """The ``count`` documents closest to ``pk``, with the shared terms that weigh most, closest first."""
        found = [(self.postings[term], weight) for term, weight in self.vectors[pk].items() if term in self.postings]
        if not found:
            return []
        positions = np.concatenate([postings[0] for postings, _ in found]).astype(np.int64)
        products = np.concatenate([postings[1] * weight for postings, weight in found])
        scores = np.bincount(positions, weights=products, minlength=len(self.pks))
        scores[np.searchsorted(self.pks, pk)] = 0
        best = np.argsort(-scores, kind="stable")[:count] if len(scores) <= 4 * count else None
        if best is None:
            candidates = np.argpartition(-scores, count)[:count]
            best = candidates[np.lexsort((self.pks[candidates], -scores[candidates]))]
        return [(int(self.pks[i]), float(scores[i]), self.shared(pk, int(self.pks[i]))) for i in best if scores[i] > 0]

    def shared(self, pk: int, other: int) -> list[str]:
        """The terms ``pk`` and ``other`` share, as ``pk``'s words, the heaviest in their cosine first."""
        mine, theirs = self.vectors[pk], self.vectors[other]
        both = sorted(((mine[term] * theirs[term], term) for term in mine.keys() & theirs.keys()), reverse=True)
        return [self.labels[pk].get(term, term) for _, term in both[:SHOWN_REASONS]]


def _neighbours(pk: int, found: list[tuple[int, float, list[str]]]) -> list[Neighbour]:
    return [Neighbour(document_id=pk, other_id=other, score=score, shared=shared) for other, score, shared in found]


def _term_counts(counts: Counter) -> None:
    """Count the new document in the documents that use each of its terms (created at 0, then raised, so that two
    documents indexed at once both count)."""
    terms = list(counts)
    for start in range(0, len(terms), 500):
        chunk = terms[start : start + 500]
        TermCount.objects.bulk_create([TermCount(term=term) for term in chunk], ignore_conflicts=True)
        TermCount.objects.filter(term__in=chunk).update(documents=F("documents") + 1)


@transaction.atomic
def add(document: Document, texts: list[str]) -> None:
    """Index one new document: its pages, its key terms, its neighbours, and its place in its neighbours' lists."""
    known = _index_pages(document, texts)
    counts, labels = _counts(document, texts, known)
    _term_counts(counts)
    frequency = dict(TermCount.objects.filter(term__in=list(counts)).values_list("term", "documents"))
    total = Document.objects.filter(state=Document.State.READY).exclude(pk=document.pk).count() + 1
    KeyTerm.objects.filter(document=document).delete()
    strongest, document.key_length = _strongest(counts, _subject(document, known), frequency.get, total)
    document.save(update_fields=["key_length"])
    others = Document.objects.filter(state=Document.State.READY, key_length__gt=0).exclude(pk=document.pk)
    pivot = others.aggregate(mean=Avg("key_length"))["mean"] or document.key_length
    mine = KeyTerm.objects.bulk_create(_key_terms(document.pk, strongest, document.key_length, pivot, labels))
    # Others' key terms among this document's: all a cosine with it needs.
    others = KeyTerm.objects.filter(term__in=[key.term for key in mine], document__state=Document.State.READY)
    vectors, words = defaultdict(dict), defaultdict(dict)
    for pk, term, weight, label in others.exclude(document=document).values_list("document", "term", "weight", "label"):
        vectors[pk][term], words[pk][term] = weight, label
    vectors[document.pk] = {key.term: key.weight for key in mine}
    words[document.pk] = {key.term: key.label for key in mine}
    space = _Vectors(vectors, words)
    found = space.nearest(document.pk, len(space.pks))
    Neighbour.objects.filter(document=document).delete()
    Neighbour.objects.bulk_create(_neighbours(document.pk, found[:NEIGHBOURS]))
    _enter_lists(document.pk, space, found)


def _enter_lists(pk: int, space: _Vectors, found: list[tuple[int, float, list[str]]]) -> None:
    """Put the new document into the lists of the documents it is now among the ``NEIGHBOURS`` nearest of."""
    scores = {other: score for other, score, _ in found}
    lists = defaultdict(list)
    for start in range(0, len(found), 500):
        chunk = [other for other, _, _ in found[start : start + 500]]
        rows = Neighbour.objects.filter(document__in=chunk).exclude(other_id=pk)
        for document, row_id, score in rows.values_list("document", "id", "score"):
            lists[document].append((row_id, score))
    entering, leaving = [], []
    for other, score in scores.items():
        kept = sorted(lists[other], key=lambda row: -row[1])
        if len(kept) < NEIGHBOURS or score > kept[-1][1]:
            entering.append(Neighbour(document_id=other, other_id=pk, score=score, shared=space.shared(other, pk)))
            leaving += [row_id for row_id, _ in kept[NEIGHBOURS - 1 :]]
    Neighbour.objects.filter(document_id__in=list(scores), other_id=pk).delete()
    for start in range(0, len(leaving), 500):
        Neighbour.objects.filter(pk__in=leaving[start : start + 500]).delete()
    Neighbour.objects.bulk_create(entering, batch_size=1000)


def rebuild(report: Callable[[int], None] | None = None) -> int:
    """Re-read every page's terms with today's word list, then every document's key terms and neighbours.

    ``report(percent)`` hears how far it has come. Pages are rewritten a batch at a time; the key terms,
    term counts and neighbours are replaced at the end in one transaction, so similar documents never go missing.
    """
    report = report or (lambda percent: None)
    vocabulary = Vocabulary.everything()
    pks = list(Document.objects.filter(state=Document.State.READY).order_by("pk").values_list("pk", flat=True))
    counts, labels, subjects = {}, {}, {}
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            for document in Document.objects.filter(pk__in=pks[start : start + BATCH]).prefetch_related("pages"):
                pages = list(document.pages.all())
                for page in pages:
                    page.terms = _page_terms(document, page.number, page.text, vocabulary.known)
                Page.objects.bulk_update(pages, ["terms"], batch_size=500)
                counts[document.pk], labels[document.pk] = _counts(document, [p.text for p in pages], vocabulary.known)
                subjects[document.pk] = _subject(document, vocabulary.known)
        report(60 * (start + BATCH) // max(1, len(pks)))
    frequency = Counter(term for terms in counts.values() for term in terms)
    strongest = {pk: _strongest(counts[pk], subjects[pk], frequency.__getitem__, len(pks)) for pk in pks}
    del counts
    pivot = sum(norm for _, norm in strongest.values()) / max(1, len(pks))
    keys = {pk: _key_terms(pk, *strongest[pk], pivot, labels[pk]) for pk in pks}
    lengths = [Document(pk=pk, key_length=norm) for pk, (_, norm) in strongest.items()]
    del strongest
    vectors = {pk: {key.term: key.weight for key in found} for pk, found in keys.items()}
    words = {pk: {key.term: key.label for key in found} for pk, found in keys.items()}
    space = _Vectors(vectors, words)
    neighbours = []
    for number, pk in enumerate(pks):
        neighbours += _neighbours(pk, space.nearest(pk))
        if number % BATCH == 0:
            report(60 + 35 * number // max(1, len(pks)))
    with transaction.atomic():
        TermCount.objects.all().delete()
        TermCount.objects.bulk_create([TermCount(term=t, documents=n) for t, n in frequency.items()], batch_size=2000)
        Document.objects.bulk_update(lengths, ["key_length"], batch_size=2000)
        KeyTerm.objects.filter(document_id__in=pks).delete()
        KeyTerm.objects.bulk_create([key for found in keys.values() for key in found], batch_size=2000)
        Neighbour.objects.filter(document_id__in=pks).delete()
        Neighbour.objects.bulk_create(neighbours, batch_size=2000)
    return len(pks)


@dataclass(frozen=True)
class Similar:
    document: Document
    score: float
    shared: list[str]  # the shared key terms that weigh most, as words


def similar(document: Document, readable: QuerySet[Document], limit: int = 5) -> list[Similar]:
    """The documents in ``readable`` closest to ``document``, as computed when it was indexed, with their reasons."""
    nearest = document.neighbours.filter(other__in=readable).select_related("other").order_by("-score", "other_id")
    return [Similar(row.other, row.score, row.shared) for row in nearest[:limit]]
