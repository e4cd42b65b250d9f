"""Norwegian text as the library's search sees it: words, stems, compound parts and the language of a text.

The same functions make a page's ``terms`` when it is indexed and a query's terms when someone searches, so both
databases match the same things whatever their own language support is.

- **Stems**: Snowball's Norwegian stemmer (it knows nynorsk endings too), run twice and with a final doubled
  consonant made single, so "ungdommene" and "ungdom" meet ("ungdomm" → "ungdom") and so do "kriminaliteten" and
  "kriminalitet" (Snowball stops at "kriminalitet" for the first and goes on to "kriminalit" for the second).
- **Compounds**: a word of at least ``MIN_COMPOUND`` letters is split in two where both halves are known words: the
  head may end in a linking "s" or "e" ("kriminalitets|forebygging"). Known words are the lexicon beside this file
  (domain words, documented there) and every stem the library has seen as a word of its own (``Word``). A page is
  indexed with the whole word's stem and its parts' stems; a query word matches its stem, or all of its parts.
- **Language**: counts of a few very common words that only bokmål, only nynorsk or only English uses
  (``MARKERS``); the language with the most hits wins when it has at least ``MIN_MARKERS`` and twice the next one.
"""

import functools
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from snowballstemmer import stemmer

WORD = re.compile(r"[^\W\d_]+|\d+")
_stemmer = stemmer("norwegian")
MIN_COMPOUND = 8  # letters in a word before it is tried as a compound
MIN_PART = 4  # letters in each half of a compound
LINKS = ("s", "e")


def _words(line: str) -> frozenset[str]:
    return frozenset(line.split())


# Function words (after the Snowball project's Norwegian stop list, bokmål and nynorsk) and a few English ones.
STOP_WORDS = _words(
    "og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett har om vi min "
    "mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl her "
    "alle vil bli ble blei blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle denne "
    "for deg si sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken "
    "hvilke sånn inni mellom vår hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge "
    "siden dykk dykkar dei deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes "
    "hoss hossen ikkje ingi inkje korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no "
    "nokon noka nokor noko nokre sia sidan so somt somme um upp vere vore verte vort varte vart ei mer meir "
    "også òg bør må kan får fikk få gjør gjorde gjøre "
    "the and of to in is are be for on with that this as by an or it from at was were which not have"
)
# Head halves that are prefixes, not words: "fore|bygging" must not split into "fore" and "bygging".
NOT_HEADS = _words("fore over under etter inn opp ned utenfor imot motor samt")
# Tail halves that are endings, not words: "forebygg|ende" is one word.
NOT_TAILS = _words("ende ning ninga ningen else heit heten skap lige ande")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order (numbers too, as words)."""
    return WORD.findall((text or "").lower())


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball twice, then a final doubled consonant made single (see the module's note)."""
    result = _stemmer.stemWord(_stemmer.stemWord(word))
    if len(result) > 3 and result[-1] == result[-2] and result[-1] not in "aeiouyæøå":
        result = result[:-1]
    return result


@functools.cache
def lexicon() -> frozenset[str]:
    """The stems of the documented domain words in ``lexicon.txt`` (lines starting with # are notes)."""
    lines = (Path(__file__).with_name("lexicon.txt").read_text(encoding="utf-8")).splitlines()
    return frozenset(stem(line.strip().lower()) for line in lines if line.strip() and not line.startswith("#"))


def _splits(word: str) -> Iterable[tuple[str, str]]:
    """Every way to cut ``word`` into a head (without its linking letter) and a tail of at least MIN_PART letters."""
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        yield head, tail
        if head[-1] in LINKS and len(head) > MIN_PART:
            yield head[:-1], tail


def candidates(word: str) -> set[str]:
    """The stems a split of ``word`` could need, so a caller can look them all up in one go."""
    if len(word) < MIN_COMPOUND:
        return set()
    return {stem(part) for pair in _splits(word) for part in pair}


def split(word: str, known: Callable[[str], bool]) -> list[str]:
    """The two parts of a compound (longest known tail first), or ``[]`` when ``word`` is not one."""
    if len(word) < MIN_COMPOUND:
        return []
    for head, tail in _splits(word):
        if head not in NOT_HEADS and tail not in NOT_TAILS and known(stem(head)) and known(stem(tail)):
            return [head, tail]
    return []


def word_terms(word: str, known: Callable[[str], bool]) -> tuple[str, list[str]]:
    """A word's stem and its parts' stems (empty when it is no compound)."""
    return stem(word), [stem(part) for part in split(word, known)]


def terms(text: str, known: Callable[[str], bool]) -> list[str]:
    """What a page is indexed by: each word's stem, followed by its parts' stems when it is a compound."""
    out = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        whole, parts = word_terms(word, known)
        out.append(whole)
        out.extend(part for part in parts if part != whole)
    return out


def query_terms(text: str, known: Callable[[str], bool]) -> list[tuple[str, list[str]]]:
    """A query as (stem, parts) per word: a page matches a word by its stem or by all of its parts."""
    seen, out = set(), []
    for word in words(text):
        if word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        out.append(word_terms(word, known))
    return out


# Language ----------------------------------------------------------------------------------------------------

MARKERS = {
    "nb": _words(
        "ikke jeg hva hvordan hvem hvor hver fra bare være vært også mye noe noen hvis en et de disse uten mer ble "
        "selv sammen kommunene hvilke deres nå dere"
    ),
    "nn": _words(
        "ikkje eg kva korleis kven kvar frå berre vere vore òg mykje noko nokon viss ein eit dei desse utan meir "
        "vart blei sjølv saman kommunane kva dykk no"
    ),
    "en": _words("the and of to is are was were which with this that not from have"),
}
MIN_MARKERS = 3


def language(text: str) -> str:
    """ "nb", "nn", "en" or "other", by counting each language's marker words above (no word is in two lists)."""
    counts = dict.fromkeys(MARKERS, 0)
    for word in words(text[:200_000]):
        for code, markers in MARKERS.items():
            counts[code] += word in markers
    (best, hits), (_, runner_up) = sorted(counts.items(), key=lambda item: -item[1])[:2]
    return best if hits >= MIN_MARKERS and hits >= 2 * runner_up else "other"
