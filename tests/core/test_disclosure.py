"""Disclosure control: no hidden cell can be worked out from what is published, checked by exact linear algebra.

The oracle here is independent of the module's elimination: a hidden cell is determined by the published cells
exactly when its column (the inner cells it sums) lies in the span of the published cells' columns, i.e. when adding
it does not raise the rank. A published 0 adds a column per inner cell in it: counts are never negative, so each of
them is 0. Ranks are computed with Fractions, so no rounding can hide a dependency.
"""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.core.disclosure import Hidden, Reason, Table


def rank(columns: list[dict]) -> int:
    """The exact rank of sparse columns (inner key → coefficient)."""
    rows = sorted({k for column in columns for k in column}, key=repr)
    matrix = [[Fraction(column.get(row, 0)) for row in rows] for column in columns]
    result = 0
    for j in range(len(rows)):
        pivot = next((i for i in range(result, len(matrix)) if matrix[i][j]), None)
        if pivot is None:
            continue
        matrix[result], matrix[pivot] = matrix[pivot], matrix[result]
        for i in range(len(matrix)):
            if i != result and matrix[i][j]:
                factor = matrix[i][j] / matrix[result][j]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[result], strict=True)]
        result += 1
    return result


def column(table: Table, key) -> dict:
    return dict.fromkeys(table._cells[key].members, 1)


def assert_safe(table: Table):
    """Every hidden cell that forced cells do not give away is undetermined; every rule was applied."""
    result = table.suppress()
    shown = [key for key in result.values if key not in result.hidden]
    published = [column(table, key) for key in shown]
    known = {inner for key in shown if result.values[key] == 0 for inner in table._cells[key].members}
    published += [{inner: 1} for inner in known]
    base = rank(published) if published else 0
    for key, hidden in result.hidden.items():
        if key in result.exposed:
            continue
        assert rank([*published, column(table, key)]) > base, f"{key} ({hidden.reason}) can be worked out"
        if hidden.reason is Reason.SECONDARY:
            assert result.hidden[hidden.protects].reason.primary
    for key, cell in table._cells.items():
        value = result.values[key]
        if cell.forced:
            assert key not in result.hidden
        elif 0 < value < table.threshold:
            assert result.hidden[key] == Hidden(Reason.SMALL)
        told = cell.members <= known  # a published 0 gave each of its inner cells away: nothing left to hide
        if table.small_group and cell.within is not None and not told and not cell.forced:
            group = result.values[cell.within]
            if group < table.small_group and value in (0, group):
                assert key in result.hidden, f"{key}: {value} of a group of {group} (0 % or 100 %) is shown"
    if not any(cell.forced for cell in table._cells.values()):
        assert not result.exposed
    return result


COUNTS = st.integers(0, 7)
THRESHOLDS = st.integers(2, 4)
SMALL_GROUPS = st.one_of(st.none(), st.integers(3, 8))


@settings(max_examples=150, deadline=None)
@given(counts=st.lists(COUNTS, min_size=2, max_size=6), threshold=THRESHOLDS, forced=st.booleans())
def test_a_list_of_categories_with_a_total(counts, threshold, forced):
    table = Table(threshold=threshold)
    for i, n in enumerate(counts):
        table.count(i, n)
    table.publish("total", lambda inner: True, forced=forced)
    for i in range(len(counts)):
        table.publish(("category", i), [i], within="total")
    assert_safe(table)


def two_way(counts: list[list[int]], threshold: int, small_group=None, forced_total=False) -> Table:
    """An r × c table with its row and column margins and the grand total."""
    table = Table(threshold=threshold, small_group=small_group)
    rows, cols = len(counts), len(counts[0])
    for r, c in itertools.product(range(rows), range(cols)):
        table.count((r, c), counts[r][c])
    table.publish("total", lambda inner: True, forced=forced_total)
    for r in range(rows):
        table.publish(("row", r), lambda inner, r=r: inner[0] == r, within="total")
    for c in range(cols):
        table.publish(("col", c), lambda inner, c=c: inner[1] == c, within="total", beside="columns")
    for r, c in itertools.product(range(rows), range(cols)):
        table.publish((r, c), [(r, c)], within=("row", r))
    return table


@settings(max_examples=150, deadline=None)
@given(
    shape=st.tuples(st.integers(2, 4), st.integers(2, 4)),
    data=st.data(),
    threshold=THRESHOLDS,
    small_group=SMALL_GROUPS,
    forced_total=st.booleans(),
)
def test_a_two_way_table_with_margins(shape, data, threshold, small_group, forced_total):
    counts = data.draw(
        st.lists(st.lists(COUNTS, min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0])
    )
    assert_safe(two_way(counts, threshold, small_group, forced_total))


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.tuples(st.integers(2, 3), st.integers(2, 3), st.integers(2, 3)),
    data=st.data(),
    threshold=THRESHOLDS,
)
def test_two_breakdowns_of_one_population_share_their_margins(sizes, data, threshold):
    """County × answer and police district × answer over the same municipalities, with a shared total."""
    table = Table(threshold=threshold)
    inner = list(itertools.product(*(range(n) for n in sizes)))
    for key in inner:
        table.count(key, data.draw(COUNTS))
    table.publish("total", lambda key: True, forced=True)
    for a in range(sizes[0]):
        table.publish(("county", a), lambda key, a=a: key[0] == a, within="total", forced=data.draw(st.booleans()))
        for c in range(sizes[2]):
            table.publish(("county", a, c), lambda key, a=a, c=c: key[0] == a and key[2] == c, within=("county", a))
    for b in range(sizes[1]):
        table.publish(("district", b), lambda key, b=b: key[1] == b, within="total")
        for c in range(sizes[2]):
            table.publish(("district", b, c), lambda key, b=b, c=c: key[1] == b and key[2] == c, within=("district", b))
    for c in range(sizes[2]):
        table.publish(("answer", c), lambda key, c=c: key[2] == c, within="total")
    assert_safe(table)


@settings(max_examples=150, deadline=None)
@given(
    counts=st.lists(COUNTS, min_size=2, max_size=8),
    subsets=st.lists(st.sets(st.integers(0, 7), min_size=1), min_size=1, max_size=10),
    forced=st.lists(st.booleans(), min_size=10, max_size=10),
    threshold=THRESHOLDS,
)
def test_any_cells_over_any_inner_cells(counts, subsets, forced, threshold):
    table = Table(threshold=threshold)
    for i, n in enumerate(counts):
        table.count(i, n)
    for i, subset in enumerate(subsets):
        members = [m for m in subset if m < len(counts)]
        table.publish(i, members, forced=forced[i])
    assert_safe(table)


@settings(max_examples=60, deadline=None)
@given(years=st.integers(2, 3), data=st.data(), threshold=THRESHOLDS)
def test_gender_by_grade_across_years_with_totals(years, data, threshold):
    """The youth survey's shape: year × gender × grade, each year's two-way table with margins and trend totals."""
    table = Table(threshold=threshold, small_group=5)
    for key in itertools.product(range(years), range(2), range(3)):
        table.count(key, data.draw(st.integers(0, 9)))
    table.publish("all", lambda key: True, forced=True)
    for y in range(years):
        table.publish((y,), lambda key, y=y: key[0] == y, within="all", forced=True)
        for g in range(2):
            table.publish((y, "g", g), lambda key, y=y, g=g: key[:2] == (y, g), within=(y,))
        for k in range(3):
            table.publish((y, "k", k), lambda key, y=y, k=k: key[0] == y and key[2] == k, within=(y,), beside="grades")
        for g, k in itertools.product(range(2), range(3)):
            table.publish((y, g, k), [(y, g, k)], within=(y, "g", g))
    for g in range(2):
        table.publish(("g", g), lambda key, g=g: key[1] == g, within="all")
    assert_safe(table)


# Known small examples --------------------------------------------------------------------------------------------


def categories(counts: dict[str, int], threshold=3) -> Table:
    table = Table(threshold=threshold)
    for name, n in counts.items():
        table.count(name, n)
    table.publish("total", lambda inner: True, forced=True)
    for name in counts:
        table.publish(name, [name], within="total")
    return table


def test_three_and_eight_of_thirteen_hide_the_three_as_well():
    result = assert_safe(categories({"live_with": 3, "must_act": 8, "unknown": 2}))
    assert result.shown("must_act") == 8 and result.shown("total") == 13
    assert result.hidden == {"unknown": Hidden(Reason.SMALL), "live_with": Hidden(Reason.SECONDARY, "unknown")}


def test_a_zero_beside_a_small_number_is_hidden():
    result = assert_safe(categories({"worked": 2, "did_not": 0, "too_early": 3, "unsaid": 0}))
    assert result.reason("worked") is Reason.SMALL
    assert result.reason("did_not") is result.reason("unsaid") is Reason.ZERO
    assert result.shown("too_early") == 3  # worked + did_not + unsaid = 2 tells none of them


def test_a_zero_without_small_neighbours_is_shown():
    result = assert_safe(categories({"a": 0, "b": 5, "c": 7}))
    assert result.hidden == {}


def test_a_two_way_table_keeps_its_margins_and_hides_the_inner_cells_around_a_small_one():
    result = assert_safe(two_way([[1, 4], [5, 6]], threshold=3))
    assert result.reason((0, 0)) is Reason.SMALL
    assert {key: hidden.reason for key, hidden in result.hidden.items()} == {
        (0, 0): Reason.SMALL,
        (0, 1): Reason.SECONDARY,
        (1, 0): Reason.SECONDARY,
        (1, 1): Reason.SECONDARY,
    }
    assert [result.shown(key) for key in ("total", ("row", 0), ("row", 1), ("col", 0), ("col", 1))] == [
        16,
        5,
        11,
        6,
        10,
    ]


def test_a_larger_table_hides_a_rectangle_only():
    result = assert_safe(two_way([[1, 4, 5], [5, 6, 7], [6, 8, 9]], threshold=3))
    assert len(result.hidden) == 4
    assert result.shown((2, 2)) == 9


def test_all_or_nothing_in_a_small_group_is_hidden():
    result = assert_safe(two_way([[4, 0], [6, 6]], threshold=3, small_group=5))
    assert result.reason((0, 0)) is Reason.ZERO and result.reason((0, 1)) is Reason.ZERO
    assert result.shown((1, 0)) is None  # secondary: the column margin would give (0, 0) away


def test_a_zero_beside_a_small_share_of_the_same_total_is_hidden():
    table = Table()
    for key, n in {("asked", "answered"): 1, ("asked", "not"): 0}.items():
        table.count(key, n)
    table.count(("answered", "group"), 0)
    table.publish("asked", lambda key: key[0] == "asked", forced=True)
    table.publish("answered", [("asked", "answered")], within="asked")
    table.publish("not", [("asked", "not")], within="asked")
    result = assert_safe(table)
    assert result.reason("answered") is Reason.SMALL and result.reason("not") is Reason.ZERO


def test_forced_cells_that_give_a_primary_away_are_reported():
    table = Table()
    table.count("oslo", 1)
    table.publish("national", ["oslo"], forced=True)
    table.publish("county", ["oslo"])
    result = table.suppress()
    assert result.exposed == {"county"} and result.shown("county") is None


def test_a_cell_is_published_once():
    table = Table()
    table.count("a", 1)
    table.publish("a", ["a"])
    with pytest.raises(ValueError, match="twice"):
        table.publish("a", ["a"])
    with pytest.raises(ValueError, match="unknown"):
        table.publish("b", ["b"])


def test_an_empty_group_published_as_0_does_not_let_a_small_count_be_subtracted_out():
    """Girls 3 of 25 yes, boys 12 of 25, no pupil of another gender: the published 0 of the others says each of
    their cells is 0, so "all 15 − boys 12" would give the girls' 3; something more must be hidden."""
    table = Table(threshold=10, small_group=20)
    counts = {("girl", True): 3, ("girl", False): 22, ("boy", True): 12, ("boy", False): 13}
    for gender in ("girl", "boy", "other"):
        for outcome in (True, False):
            table.count((gender, outcome), counts.get((gender, outcome), 0))
    for group in ("all", "girl", "boy", "other"):
        members = [(gender, outcome) for gender in ("girl", "boy", "other") for outcome in (True, False)]
        members = [cell for cell in members if group in ("all", cell[0])]
        total = table.publish((group, "n"), members)
        for outcome in (True, False):
            table.publish((group, outcome), [cell for cell in members if cell[1] is outcome], within=total)
    result = assert_safe(table)
    assert result.reason(("girl", True)) is Reason.SMALL
    assert result.shown(("other", "n")) == 0
    assert result.shown(("all", True)) is None or result.shown(("boy", True)) is None
