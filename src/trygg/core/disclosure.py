"""Disclosure control of small counts: the one door every published table of counts goes through.

A table is described the way Statistics Norway's GaussSuppression describes it (Langsrud 2024; the R packages
``SSBtools``/``GaussSuppression``): *inner cells* are the finest counts nobody sees (say county × police district ×
answer), and every *published cell* is the sum of some inner cells — the inner cells themselves, margins, totals,
and the cells of several breakdowns of the same population. Suppression then runs in three steps:

1. **Primary**: a count from 1 up to ``threshold − 1`` is hidden (``SMALL``). A 0 is hidden (``ZERO``) when it stands
   beside a small count (a 0 tells every member's answer, and beside a hidden 1 or 2 it narrows it down); with
   ``small_group``, a share of 0 % or 100 % of a group smaller than that is hidden too, for the same reason.
2. **Secondary**: the candidates (every other cell, largest first, then those made of more inner cells) are taken
   in order through Gaussian elimination over the published cells' columns, in exact integer arithmetic. A candidate
   that would make a primary cell derivable — its column then in the span of the published ones — is hidden too
   (``SECONDARY``, with the cell it protects); anything else is published.
3. **Forced** cells (totals that are public anyway) are published first and never hidden. A primary cell they give
   away by themselves cannot be protected; it stays hidden and is listed in ``exposed``.

Counts are never negative, so a published 0 says more than its sum: every inner cell in it is 0. A reader knows
those, so the three steps run again with them left out of every cell, until no published 0 tells anything new.

No hidden cell is then a linear combination of published ones and of the inner cells of published zeros, so no
subtraction recovers it; tests check this with exact rank computations on random tables.
"""

import enum
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace

Key = Hashable


class Reason(enum.StrEnum):
    SMALL = "small"  # primary: fewer than the threshold stand behind it
    ZERO = "zero"  # primary: a 0 beside a small figure, or 0 % or 100 % of a small group
    SECONDARY = "secondary"  # hidden so that a primary cell cannot be worked out from the others

    @property
    def primary(self) -> bool:
        return self is not Reason.SECONDARY


@dataclass(frozen=True)
class Hidden:
    """Why a cell is hidden; ``protects`` is the primary cell a secondary suppression keeps from being derived."""

    reason: Reason
    protects: Key | None = None


@dataclass(frozen=True)
class Disclosure:
    """The outcome: every published cell's true value, and the hidden ones with the reason for each."""

    values: dict[Key, int]
    hidden: dict[Key, Hidden]
    exposed: frozenset = frozenset()

    def shown(self, key: Key) -> int | None:
        """The cell's value as it may be published: None when hidden."""
        return None if key in self.hidden else self.values[key]

    def reason(self, key: Key) -> Reason | None:
        entry = self.hidden.get(key)
        return entry.reason if entry else None

    def mark(self, key: Key) -> str:
        """What a reader may be told of a hidden cell: "primary" (small) or "secondary" (protects one), else "".

        A hidden 0 is told as a small number: saying it is a zero would give its value away.
        """
        entry = self.hidden.get(key)
        if entry is None:
            return ""
        return "secondary" if entry.reason is Reason.SECONDARY else "primary"


@dataclass
class _Cell:
    members: frozenset
    forced: bool
    within: Key | None
    beside: Key | None
    order: int


@dataclass
class Table:
    """Inner cells with their counts and the published cells over them; ``suppress()`` decides what may be shown."""

    threshold: int = 3
    small_group: int | None = None
    _inner: dict[Key, int] = field(default_factory=dict)
    _cells: dict[Key, _Cell] = field(default_factory=dict)

    def count(self, inner: Key, n: int = 1) -> None:
        """Add ``n`` to an inner cell (``n=0`` declares a cell that could hold answers but holds none)."""
        self._inner[inner] = self._inner.get(inner, 0) + n

    def publish(
        self,
        key: Key,
        members: Iterable[Key] | Callable[[Key], bool],
        *,
        forced: bool = False,
        within: Key | None = None,
        beside: Key | None = None,
    ) -> Key:
        """A published cell: the sum of ``members`` (inner keys, or a test on them).

        ``within`` names the published cell this one is a share of; ``beside`` groups cells shown side by side
        (by default those with the same ``within``), for the rule on zeros.
        """
        if key in self._cells:
            raise ValueError(f"cell {key!r} is published twice")
        if callable(members):
            chosen = frozenset(inner for inner in self._inner if members(inner))
        else:
            chosen = frozenset(members)
            unknown = chosen - self._inner.keys()
            if unknown:
                raise ValueError(f"unknown inner cells {sorted(map(repr, unknown))}")
        group = beside if beside is not None else within
        self._cells[key] = _Cell(chosen, forced, within, group, len(self._cells))
        return key

    def value(self, key: Key) -> int:
        return sum(self._inner[inner] for inner in self._cells[key].members)

    def everything(self) -> Disclosure:
        """Every cell shown: for viewers who may read the answers themselves."""
        return Disclosure({key: self.value(key) for key in self._cells}, {})

    def suppress(self) -> Disclosure:
        values = {key: self.value(key) for key in self._cells}
        cells, known = self._cells, frozenset()
        while True:
            hidden = self._primary(cells, values)
            exposed = _eliminate(cells, values, hidden)
            told = {inner for key in cells if values[key] == 0 and key not in hidden for inner in cells[key].members}
            if not hidden or not told:
                return Disclosure(values, hidden, frozenset(exposed))
            known |= told  # each inner cell of a published 0 is 0: what is left unknown is the rest of each cell
            cells = {key: replace(cell, members=cell.members - known) for key, cell in self._cells.items()}

    def _primary(self, cells: dict[Key, _Cell], values: dict[Key, int]) -> dict[Key, Hidden]:
        hidden = {
            key: Hidden(Reason.SMALL)
            for key, cell in cells.items()
            if not cell.forced and 0 < values[key] < self.threshold
        }
        small_beside = {cells[key].beside for key in hidden} - {None}
        for key, cell in cells.items():
            if (
                key not in hidden
                and not cell.forced
                and cell.members
                and self._zero_discloses(values, small_beside, cell, key)
            ):
                hidden[key] = Hidden(Reason.ZERO)
        return hidden

    def _zero_discloses(self, values, small_beside, cell, key) -> bool:
        value = values[key]
        if value == 0 and cell.beside in small_beside:
            return True
        parent = values.get(cell.within) if cell.within is not None else None
        if self.small_group is None or parent is None or parent >= self.small_group:
            return False
        return value in (0, parent)


# Gaussian elimination ------------------------------------------------------------------------------------------

Vector = dict[Key, int]


def _column(members: frozenset) -> Vector:
    return dict.fromkeys(members, 1)


def _reduce(vector: Vector, pivot: Vector, row: Key) -> Vector:
    """``vector`` with ``row`` eliminated by ``pivot`` (exact integers, divided by their common factor)."""
    factor = vector.get(row)
    if not factor:
        return vector
    scale = pivot[row]
    result = {k: scale * v for k, v in vector.items()}
    for k, v in pivot.items():
        result[k] = result.get(k, 0) - factor * v
    result = {k: v for k, v in result.items() if v}
    divisor = math.gcd(*result.values()) if result else 1
    return {k: v // divisor for k, v in result.items()} if divisor > 1 else result


def _proportional(a: Vector, b: Vector) -> bool:
    if a.keys() != b.keys():
        return False
    first = next(iter(a))
    return all(a[k] * b[first] == b[k] * a[first] for k in a)


class _Columns:
    """Sparse columns with an index from each row to the columns that have it, so a pivot touches only those."""

    def __init__(self):
        self.vectors: dict[Key, Vector] = {}
        self.rows: dict[Key, set] = defaultdict(set)

    def add(self, key: Key, vector: Vector) -> None:
        self.vectors[key] = vector
        for row in vector:
            self.rows[row].add(key)

    def pop(self, key: Key) -> Vector:
        vector = self.vectors.pop(key)
        for row in vector:
            self.rows[row].discard(key)
        return vector

    def eliminate(self, pivot: Vector, row: Key) -> None:
        for key in list(self.rows[row]):
            old = self.vectors[key]
            new = _reduce(old, pivot, row)
            for changed in pivot:  # only the pivot's rows can appear or vanish
                if changed in old and changed not in new:
                    self.rows[changed].discard(key)
                elif changed in new and changed not in old:
                    self.rows[changed].add(key)
            self.vectors[key] = new


def _eliminate(cells: dict[Key, _Cell], values: dict[Key, int], hidden: dict[Key, Hidden]) -> list[Key]:
    """Publish forced cells, then candidates in order, hiding each candidate that would give a primary away.

    Adds the secondary suppressions to ``hidden``; returns the primary cells the forced cells give away.
    """
    primary = {key for key in hidden if cells[key].members}
    if not primary:
        return []  # nothing to protect: every candidate is published, and elimination would change nothing
    columns = _Columns()
    candidates = [key for key, cell in cells.items() if key not in hidden and cell.members]
    for key in [*primary, *candidates]:
        columns.add(key, _column(cells[key].members))
    forced = [key for key in candidates if cells[key].forced]
    others = sorted(
        (key for key in candidates if not cells[key].forced),
        key=lambda key: (-values[key], -len(cells[key].members), cells[key].order),
    )
    exposed = []
    for step, key in enumerate(forced + others):
        vector = columns.pop(key)
        if not vector:
            continue  # already implied by what is published
        if step >= len(forced):
            sharing = sorted(columns.rows[next(iter(vector))] & primary, key=lambda p: cells[p].order)
            protected = next((p for p in sharing if _proportional(columns.vectors[p], vector)), None)
            if protected is not None:
                hidden[key] = Hidden(Reason.SECONDARY, protected)
                continue
        # The row fewest other columns share keeps the columns sparse (Markowitz); repr() makes the choice stable.
        row = min(vector, key=lambda k: (abs(vector[k]), len(columns.rows[k]), repr(k)))
        columns.eliminate(vector, row)
        if step < len(forced):
            for p in [p for p in primary if not columns.vectors[p]]:
                exposed.append(p)
                primary.discard(p)
                columns.pop(p)
    return exposed
