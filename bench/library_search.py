"""The library at scale: 10 000 generated documents of Norwegian text (bokmål and nynorsk, fixed seed), indexed as
a bulk import is (pages, then one rebuild of terms, compounds and key terms); then searches as a municipal user
makes them — ranked hits with their page, snippets and facets — and the similar documents of a document page.
Goal on SQLite: search p95 < 50 ms, similar documents < 100 ms (p95).

Uses a throwaway SQLite database in a temporary directory (or DATABASE_URL, if set, for PostgreSQL).
Run: .venv/bin/python bench/library_search.py [documents]
Last line: ``library_search docs=<n> p95_ms=<x> similar_ms=<x>``.
"""

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time

import django

SEED = 2011


def _split(words: str) -> list[str]:
    return words.split()


# Words of the domain in both written standards; the generator builds sentences and compounds from them.
NOUNS_NB = _split(
    "kommunen kommunene ungdommene ungdom politiet skolen barnevernet foreldrene rusmidler kriminalitet trygghet "
    "nærmiljøet samarbeidet tiltakene erfaringene bandene miljøene rekrutteringen samordningen planen strategien "
    "kunnskapen veilederen rapporten undersøkelsen byrommet parken kvelden helgen utestedene bevillingen"
)
NOUNS_NN = _split(
    "kommunen kommunane ungdomane ungdom politiet skulen barnevernet foreldra rusmiddel kriminalitet tryggleik "
    "nærmiljøet samarbeidet tiltaka erfaringane bandane miljøa rekrutteringa samordninga planen strategien "
    "kunnskapen rettleiaren rapporten undersøkinga byrommet parken kvelden helga utestadene løyvet"
)
VERBS_NB = _split("forebygger styrker kartlegger følger opp begrenser hindrer støtter evaluerer prioriterer deler")
VERBS_NN = _split("førebyggjer styrkjer kartlegg følgjer opp avgrensar hindrar støttar evaluerer prioriterer deler")
GLUE_NB = _split("og i på for med som ikke også der når hvordan hva bare")
GLUE_NN = _split("og i på for med som ikkje òg der når korleis kva berre")
HEADS = _split(
    "kriminalitets ungdoms rus skole politi nærmiljø gjeng kommune trygghets bande narkotika vold familie barne "
    "helse idretts frivillighets nabolags sentrums nattliv skjenke bevillings kontroll ransaks innvandrer "
    "mobbe hærverks trafikk brann beredskaps krise foreldre fritids bolig sosial arbeids utdannings rådhus"
)
TAILS = _split(
    "forebygging arbeid samarbeid kontroll tiltak plan strategi innsats miljø koordinator tjeneste team råd "
    "prosjekt nettverk rapport kartlegging analyse oppfølging ansvar modell program gruppe satsing vakt "
    "patrulje senter klubb ordning utvalg"
)
PLACES = _split(
    "Oslo Bergen Trondheim Stavanger Kristiansand Tromsø Bærum Drammen Fredrikstad Sarpsborg Skien Porsgrunn "
    "Haugesund Hamar Ringsaker Bodø Ålesund Molde Lillehammer Gjøvik Arendal Larvik Tønsberg Sandnes Asker Halden "
    "Kongsberg Harstad Alta Narvik Steinkjer Namsos Førde Voss Kristiansund Moss Horten Elverum Kongsvinger Askøy"
)
QUERIES = [
    "kriminalitetsforebygging",
    "forebygging",
    "ungdommene",
    "kommunar",
    "rekruttering til bandene",
    "politiet og skolen",
    "samordning",
    "rusmidler ungdom",
    "tryggleik i nærmiljøet",
    "evaluerer tiltakene",
]


def theme(rng: random.Random) -> list[str]:
    """What one document is about: a few compounds and places it returns to, as real reports do."""
    return [rng.choice(HEADS) + rng.choice(TAILS) for _ in range(6)] + rng.sample(PLACES, 2)


def sentence(rng: random.Random, nynorsk: bool, about: list[str]) -> str:
    nouns, verbs, glue = (NOUNS_NN, VERBS_NN, GLUE_NN) if nynorsk else (NOUNS_NB, VERBS_NB, GLUE_NB)
    words = [rng.choice(nouns), rng.choice(verbs)]
    for _ in range(rng.randint(4, 12)):
        roll = rng.random()
        if roll < 0.2:
            words.append(rng.choice(about))
        elif roll < 0.3:
            words.append(rng.choice(HEADS) + rng.choice(TAILS))
        elif roll < 0.6:
            words.append(rng.choice(nouns))
        else:
            words.append(rng.choice(glue))
    return " ".join(words).capitalize() + "."


def document_text(rng: random.Random, nynorsk: bool, about: list[str]) -> list[str]:
    pages = rng.randint(1, 4)
    return [" ".join(sentence(rng, nynorsk, about) for _ in range(rng.randint(8, 16))) for _ in range(pages)]


def add(rng: random.Random, number: int, kinds: list[str], accesses: list[str]) -> str:
    """One document with its pages; its terms come with the rebuild, as for a bulk import. Returns its text."""
    from trygg.library.models import Document, Page

    nynorsk, about = rng.random() < 0.3, theme(rng)
    pages = document_text(rng, nynorsk, about)
    document = Document.objects.create(
        title=f"{sentence(rng, nynorsk, about)[:80]} ({number})",
        kind=rng.choice(kinds),
        year=rng.randint(2005, 2026),
        organisation=rng.choice(["KS", "Politiet", "KRÅD", "Bergen kommune", "NOVA"]),
        topics=rng.sample(["ungdom", "rus", "MC-kriminalitet", "samordning", "byrom"], 2),
        access=rng.choice(accesses),
        language="nn" if nynorsk else "nb",
        file=f"library/bench/{number}.txt",
        file_name=f"{number}.txt",
        file_type="txt",
        state=Document.State.READY,
        page_count=len(pages),
    )
    Page.objects.bulk_create(Page(document=document, number=n, text=page) for n, page in enumerate(pages, start=1))
    return "\n".join([document.title, *pages])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("documents", nargs="?", type=int, default=10_000)
    count = parser.parse_args().documents
    directory = tempfile.mkdtemp(prefix="trygg-bench-library-")
    try:
        run(directory, count)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run(directory: str, count: int) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    os.environ["TRYGG_VAR_DIR"] = directory
    os.environ["MEDIA_ROOT"] = f"{directory}/media"
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from trygg.core.models import Role, User
    from trygg.library import finding, index, services
    from trygg.library.models import Access, Document, Kind

    call_command("migrate", verbosity=0)
    reader = User.objects.create_user(username="bench", role=Role.MUNICIPAL_CONTACT)
    rng = random.Random(SEED)
    start = time.perf_counter()
    kinds, accesses = list(Kind.values), [Access.PUBLIC, Access.MUNICIPALITIES, Access.KS]
    with transaction.atomic():  # one commit: the documents as a migration would bring them, not one upload each
        for number in range(count):
            index.learn_words(add(rng, number, kinds, accesses))
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    index.rebuild()
    rebuilt = time.perf_counter() - start
    print(f"stored {count} documents in {indexed:.0f} s; built the index and key terms in {rebuilt:.0f} s")

    readable = services.visible_documents(reader)
    searches, cpu = [], []
    for round_ in range(5):
        for query in QUERIES:
            started, used = time.perf_counter(), time.process_time()
            results = finding.find(readable, finding.Filters(q=query), page=1 + round_ % 2)
            searches.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    median, cpu_median, cpu_p95 = statistics.median(searches), statistics.median(cpu), percentile(cpu, 0.95)
    print(f"search: {results.total} hits for the last query; median {median:.1f} ms")
    # CPU time is what a loaded machine does not inflate much (the wall clock waits for other processes).
    print(f"search CPU in this process (SQLite runs in it): median {cpu_median:.1f} ms, p95 {cpu_p95:.1f} ms")

    similar = []
    for pk in rng.sample(list(readable.values_list("pk", flat=True)), 50):
        document = Document.objects.get(pk=pk)
        started = time.perf_counter()
        index.similar(document, readable)
        similar.append((time.perf_counter() - started) * 1000)
    search_ms, similar_ms = percentile(searches, 0.95), percentile(similar, 0.95)
    print(f"library_search docs={count} p95_ms={search_ms:.1f} similar_ms={similar_ms:.1f}")


if __name__ == "__main__":
    main()
