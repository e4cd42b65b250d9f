"""Discussion groups for an event's group work, as on day 2 of the source deck's study trip: "groups of 2–3
neighbouring municipalities discuss what Danish experience is worth to them".

``solve`` is pure: places and neighbour pairs in, numbered groups out, proven optimal with OR-Tools: GLOP bounds
the problem by column generation, and CP-SAT solves it among the few groups that the bound leaves possible. The
services below it read and write ``GroupAssignment`` rows; they take the acting user and know nothing of HTTP.
"""

import hashlib
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

import numpy as np
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from trygg.core.models import Municipality

from .models import Event, GroupAssignment, ProgrammeItem, Registration
from .services import EventError, confirmed, participating_municipalities

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius
NEIGHBOUR_FACTOR = 0.5
SEED = 2011
# CP-SAT's limit in deterministic seconds (about CPU seconds), over all rounds, so that even a time-out gives the
# same groups; then the page says how far from the optimum they may be.
TIME_LIMIT = 3.0
# The first round of the search keeps the groups whose reduced cost is within this share of the LP bound.
FIRST_THRESHOLD = 0.02
NEAR = 6  # the first LP holds each place's pairs and triples with its NEAR nearest places
COLUMNS_PER_ROUND = 2  # times the number of places: the most negative reduced costs each LP round adds
CHUNK = 4096  # pairs whose triples are priced at once (memory: CHUNK × places floats)
EPSILON = 1e-6  # GLOP's duals are floating point; compare reduced costs with this much slack
CACHE_SECONDS = 24 * 3600
SOLVER_VERSION = 2  # in the cache key: a better solver must not serve the old one's answers

Place = tuple[int, float, float]  # (id, latitude, longitude)
Candidate = tuple[tuple[int, ...], int]  # (member indices, cost)


class GroupingError(ValueError):
    """The places cannot be split into groups of 2 and 3: only a single one cannot."""


@dataclass(frozen=True)
class Grouping:
    """Groups of place ids, numbered 1, 2, … in order (north to south); cost in km.

    ``gap`` is (cost − best lower bound) / cost: 0 when ``optimal``. ``seconds`` is the solver's wall time.
    """

    groups: tuple[tuple[int, ...], ...]
    cost: int
    optimal: bool
    gap: float
    seconds: float


def great_circle_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Haversine distance on the mean Earth sphere; within 0.5 % of the ellipsoid, plenty for seating people."""
    a_lat, a_lon, b_lat, b_lon = map(math.radians, (a_lat, a_lon, b_lat, b_lon))
    h = math.sin((b_lat - a_lat) / 2) ** 2 + math.cos(a_lat) * math.cos(b_lat) * math.sin((b_lon - a_lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def pair_cost(a: Place, b: Place, neighbours: set[frozenset[int]]) -> int:
    """What seating two municipalities in one group costs, in whole km.

    The great-circle distance between their centroids, halved (NEIGHBOUR_FACTOR) when they share a border:
    neighbours often share a police district and existing cooperation, and the centroids of large rural
    neighbours lie far apart although their borders touch. Whole km keep the optimisation exact in integers and
    equal to what the screen shows.
    """
    km = great_circle_km(a[1], a[2], b[1], b[2])
    if frozenset((a[0], b[0])) in neighbours:
        km *= NEIGHBOUR_FACTOR
    return round(km)


def group_cost(members: Sequence[Place], neighbours: set[frozenset[int]]) -> int:
    """The sum of the pair costs within a group: one pair in a group of two, three in a group of three."""
    return sum(pair_cost(a, b, neighbours) for a, b in combinations(members, 2))


def solve(places: Iterable[Place], neighbour_pairs: Iterable[tuple[int, int]]) -> Grouping:
    """Split the places into groups of 2–3 at the least total cost, proven optimal (or the best within TIME_LIMIT,
    with the proven gap).

    Same input, same groups: places are taken in id order, GLOP is deterministic, and CP-SAT runs one worker with
    a fixed seed and a deterministic time limit.
    """
    started = time.perf_counter()
    places = sorted(places)
    if len(places) == 1:
        raise GroupingError(_("A single municipality cannot form a group of two or three."))
    if not places:
        return Grouping((), 0, True, 0.0, 0.0)
    neighbours = {frozenset(pair) for pair in neighbour_pairs}
    cost = _cost_matrix(places, neighbours)
    greedy = _greedy(cost)
    duals, lp_value = _lp_bound(cost, greedy)
    groups, value, lower = _search(cost, duals, lp_value, greedy)
    return Grouping(
        groups=_numbered(groups, places),
        cost=value,
        optimal=lower >= value - EPSILON,
        gap=max(0.0, (value - lower) / value) if value else 0.0,
        seconds=time.perf_counter() - started,
    )


def _cost_matrix(places: list[Place], neighbours: set[frozenset[int]]) -> np.ndarray:
    """Every pair's cost, through ``pair_cost`` so that the solver and the screen never disagree by a km."""
    n = len(places)
    cost = np.zeros((n, n), dtype=np.int64)
    for i, j in combinations(range(n), 2):
        cost[i, j] = cost[j, i] = pair_cost(places[i], places[j], neighbours)
    return cost


def _cost_of(members: Sequence[int], cost: np.ndarray) -> int:
    return int(sum(cost[i, j] for i, j in combinations(members, 2)))


def _greedy(cost: np.ndarray) -> list[tuple[int, ...]]:
    """A quick feasible grouping: cheapest pairs first; the one left over when the count is odd joins the pair it
    adds least to. It makes the first LP feasible and is the answer of last resort."""
    n = len(cost)
    upper = np.triu_indices(n, 1)
    order = np.lexsort((upper[1], upper[0], cost[upper]))
    taken, groups = set(), []
    for i, j in zip(upper[0][order].tolist(), upper[1][order].tolist(), strict=True):
        if i not in taken and j not in taken:
            taken |= {i, j}
            groups.append((i, j))
    for k in sorted(set(range(n)) - taken):
        index = min(range(len(groups)), key=lambda g: sum(cost[k, i] for i in groups[g]))
        groups[index] = tuple(sorted((*groups[index], k)))
    return groups


def _columns(cost: np.ndarray, duals: np.ndarray, threshold: float) -> list[Candidate]:
    """Every pair and triple whose reduced cost c_g − Σ_{i∈g} y_i is at most ``threshold``, found exactly.

    With w_ij = c_ij − (y_i + y_j)/2, a triple's reduced cost is w_ij + w_ik + w_jk, so its smallest w is at
    most a third of the threshold: triples are sought, in vectorised rows, only from the pairs where that holds.
    """
    n = len(cost)
    half = (duals[:, None] + duals[None, :]) / 2
    w = cost - half
    first, second = np.triu_indices(n, 1)
    cheap = w[first, second] - half[first, second] <= threshold
    found = [((i, j), int(cost[i, j])) for i, j in zip(first[cheap].tolist(), second[cheap].tolist(), strict=True)]
    if n < 3:
        return found
    seeds = w[first, second] <= threshold / 3
    a, b = first[seeds], second[seeds]
    triples = [np.empty((0, 3), dtype=np.int64)]
    for start in range(0, len(a), CHUNK):
        i, j = a[start : start + CHUNK], b[start : start + CHUNK]
        reduced = w[i, j][:, None] + w[i, :] + w[j, :]
        reduced[np.arange(len(i)), i] = reduced[np.arange(len(i)), j] = np.inf
        rows, k = np.nonzero(reduced <= threshold)
        triples.append(np.sort(np.stack([i[rows], j[rows], k], axis=1), axis=1))
    for i, j, k in np.unique(np.concatenate(triples), axis=0).tolist():
        found.append(((i, j, k), int(cost[i, j] + cost[i, k] + cost[j, k])))
    return found


def _lp_bound(cost: np.ndarray, greedy: list[tuple[int, ...]]) -> tuple[np.ndarray, float]:
    """The LP relaxation over all pairs and triples, by column generation: its value and its duals y_i.

    It starts from the greedy groups (so it is feasible) and each place's groups with its nearest places, then
    adds the columns of negative reduced cost until there are none: the duals then price every possible group,
    and Σ y_i bounds every grouping from below.
    """
    n = len(cost)
    nearest = np.argsort(cost + np.diag(np.full(n, np.iinfo(np.int64).max // 4)), axis=1, kind="stable")[:, :NEAR]
    columns = {members: _cost_of(members, cost) for members in greedy}
    for i in range(n):
        close = nearest[i].tolist()
        for size in (1, 2):
            for others in combinations(close, size):
                members = tuple(sorted((i, *others)))
                columns.setdefault(members, _cost_of(members, cost))
    while True:
        duals = _lp_duals(n, columns)
        new = [(m, c) for m, c in _columns(cost, duals, -EPSILON) if m not in columns]
        if not new:
            return duals, float(duals.sum())
        reduced = [c - duals[list(m)].sum() for m, c in new]
        for index in np.argsort(reduced, kind="stable")[: COLUMNS_PER_ROUND * n].tolist():
            columns[new[index][0]] = new[index][1]


def _lp_duals(n: int, columns: dict[tuple[int, ...], int]) -> np.ndarray:
    """GLOP on "each place in exactly one group" over the given columns; the rows' duals."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    rows = [lp.Constraint(1, 1) for _ in range(n)]
    objective = lp.Objective()
    for members, cost in columns.items():
        chosen = lp.NumVar(0, lp.infinity(), "")  # no upper bound: its dual would be missing from Σ y_i
        objective.SetCoefficient(chosen, cost)
        for i in members:
            rows[i].SetCoefficient(chosen, 1)
    objective.SetMinimization()
    lp.Solve()  # feasible (the greedy groups) and bounded (costs ≥ 0): always optimal
    return np.array([row.dual_value() for row in rows])


def _search(
    cost: np.ndarray, duals: np.ndarray, lp_value: float, greedy: list[tuple[int, ...]]
) -> tuple[list[tuple[int, ...]], int, float]:
    """CP-SAT among the groups of small reduced cost, widening until optimality is proven or time is up.

    Every group of a grouping that costs z has a reduced cost of at most z − z_LP. So when the best grouping among
    the groups with reduced cost ≤ T costs z ≤ z_LP + T, no grouping outside them is cheaper: proven. If not,
    T widens to z − z_LP, which proves the next round's answer. Costs are whole km, so a bound rounds up.
    Returns the groups, their cost and a lower bound on every grouping's cost.
    """
    threshold, hint, budget = FIRST_THRESHOLD * lp_value, greedy, TIME_LIMIT
    best = (greedy, sum(_cost_of(members, cost) for members in greedy), math.ceil(lp_value - EPSILON))
    while budget > 0:
        chosen = _columns(cost, duals, threshold + EPSILON)
        status, groups, value, bound, spent = _cp_sat(len(cost), chosen, hint, budget)
        budget -= spent
        if status == cp_model.INFEASIBLE:
            threshold = 2 * threshold + 1
            continue
        if groups is None:  # not even a feasible grouping within the time limit
            break
        # A grouping outside the chosen groups costs more than z_LP + T.
        lower = math.ceil(max(lp_value, min(bound, lp_value + threshold)) - EPSILON)
        best = (groups, value, max(lower, best[2]))
        if status != cp_model.OPTIMAL or lower >= value:
            break
        threshold, hint = value - lp_value, groups
    return best


def _cp_sat(n: int, candidates: list[Candidate], hint: list[tuple[int, ...]], budget: float):
    """Set partitioning: choose candidates so that each place is in exactly one, at the least total cost.

    Returns the status, the groups, their cost, the bound and the deterministic time spent.
    """
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"g{index}") for index in range(len(candidates))]
    covering, hinted = defaultdict(list), set(hint)
    for var, (members, _cost) in zip(chosen, candidates, strict=True):
        for i in members:
            covering[i].append(var)
        model.add_hint(var, members in hinted)
    for i in range(n):
        model.add_exactly_one(covering[i])
    model.minimize(cp_model.LinearExpr.weighted_sum(chosen, [cost for _members, cost in candidates]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.linearization_level = 2  # cuts close the LP gap of odd cycles; ten times faster here
    solver.parameters.max_deterministic_time = budget
    status = solver.solve(model)
    spent = max(solver.deterministic_time, 0.01)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None, None, None, spent
    groups = [members for var, (members, _cost) in zip(chosen, candidates, strict=True) if solver.value(var)]
    return status, groups, round(solver.objective_value), solver.best_objective_bound, spent


def _numbered(groups: list[tuple[int, ...]], places: list[Place]) -> tuple[tuple[int, ...], ...]:
    """Groups from north to south by their members' mean latitude, as ids; ties go by the members' ids."""

    def north_to_south(members: tuple[int, ...]) -> tuple:
        return -sum(places[i][1] for i in members) / len(members), members

    return tuple(tuple(places[i][0] for i in members) for members in sorted(groups, key=north_to_south))


# Services ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A municipality in a group, with its confirmed delegates (for the printed list)."""

    municipality: Municipality
    delegates: list[Registration]


@dataclass(frozen=True)
class PairLink:
    """Why a group costs what it does: one pair's cost, and whether the two share a border."""

    first: Municipality
    second: Municipality
    km: int
    neighbours: bool


@dataclass(frozen=True)
class Group:
    number: int
    members: list[Member]
    links: list[PairLink]

    @property
    def cost(self) -> int:
        return sum(link.km for link in self.links)

    @property
    def size_ok(self) -> bool:
        return 2 <= len(self.members) <= 3


@dataclass
class GroupOverview:
    """The event's groups as they stand, with what has changed since they were made."""

    groups: list[Group]
    participants: dict[int, Municipality]
    unplaced: list[Member]  # participating, in no group yet (registered after the groups were made)
    departed: list[Municipality]  # in a group, but no longer with a confirmed delegate: left out of the groups
    neighbours: set[frozenset[int]]

    @property
    def total(self) -> int:
        return sum(group.cost for group in self.groups)

    @property
    def numbers(self) -> list[int]:
        return [group.number for group in self.groups]

    @property
    def new_number(self) -> int:
        """The number a new group gets: after the last one."""
        return max(self.numbers, default=0) + 1

    @property
    def complete(self) -> bool:
        """Every participant in exactly one group of 2–3, and nobody else."""
        return bool(self.groups) and not self.unplaced and not self.departed and all(g.size_ok for g in self.groups)

    @cached_property
    def optimum(self) -> Grouping | None:
        """The optimal grouping of today's participants (None below two), to compare manual changes with."""
        return _optimum(list(self.participants.values()), self.neighbours) if len(self.participants) > 1 else None

    @property
    def optimal(self) -> bool:
        return self.complete and self.optimum is not None and self.optimum.optimal and self.total == self.optimum.cost

    @property
    def best_found(self) -> bool:
        """The groups are as good as the solver's best (or better, changed by hand), but time ran out before it
        proved them optimal: say how close."""
        unproven = self.optimum is not None and not self.optimum.optimal
        return self.complete and unproven and self.total <= self.optimum.cost

    @property
    def gap_percent(self) -> float:
        """How far above the solver's proven lower bound today's groups can at most be."""
        if not self.optimum or not self.total:
            return 0.0
        lower = self.optimum.cost * (1 - self.optimum.gap)
        return max(0.0, 100 * (self.total - lower) / self.total)

    @property
    def excess(self) -> int:
        """How many km more than the optimum the groups cost (negative only while groups are incomplete)."""
        return self.total - self.optimum.cost if self.optimum else 0


@dataclass(frozen=True)
class Move:
    municipality: Municipality
    group: int
    total: int
    change: int


def _neighbour_pairs(ids: Iterable[int]) -> set[frozenset[int]]:
    ids = list(ids)
    through = Municipality.neighbours.through.objects.filter(from_municipality_id__in=ids, to_municipality_id__in=ids)
    return {frozenset(pair) for pair in through.values_list("from_municipality_id", "to_municipality_id")}


def _place(municipality: Municipality) -> Place:
    return municipality.pk, municipality.latitude, municipality.longitude


def _optimum(municipalities: list[Municipality], neighbours: set[frozenset[int]]) -> Grouping:
    """Solve, or reuse the answer for the same input: the solver is deterministic, so its input is the key."""
    places = sorted(_place(m) for m in municipalities)
    pairs = sorted(tuple(sorted(pair)) for pair in neighbours)
    key = f"trygg:groups:{SOLVER_VERSION}:" + hashlib.sha256(repr((places, pairs)).encode()).hexdigest()
    return cache.get_or_set(key, lambda: solve(places, pairs), CACHE_SECONDS)


def _require_change(actor, event: Event) -> None:
    if not actor.has_perm("events.change_event", event):
        raise PermissionDenied


def _lock(event: Event) -> None:
    """Serialise changes to one event's groups, so that two people moving at once both see a correct total."""
    Event.objects.select_for_update().filter(pk=event.pk).exists()


def _link(a: Municipality, b: Municipality, neighbours: set[frozenset[int]]) -> PairLink:
    return PairLink(a, b, pair_cost(_place(a), _place(b), neighbours), frozenset((a.pk, b.pk)) in neighbours)


def current_groups(event: Event) -> GroupOverview:
    """The event's groups: members by name with their delegates, each group's cost and links, and what is out of
    date (participants not placed, placed municipalities no longer participating)."""
    participants = {m.pk: m for m in participating_municipalities(event).select_related("county")}
    delegates = defaultdict(list)
    for registration in confirmed(event).filter(municipality__in=list(participants)).order_by("name"):
        delegates[registration.municipality_id].append(registration)
    assignments = GroupAssignment.objects.filter(event=event).select_related("municipality")
    neighbours = _neighbour_pairs(participants)
    by_number = defaultdict(list)
    for assignment in assignments:
        if assignment.municipality_id in participants:
            by_number[assignment.group].append(participants[assignment.municipality_id])
    groups = [
        Group(
            number=number,
            members=[Member(m, delegates[m.pk]) for m in by_number[number]],
            links=[_link(a, b, neighbours) for a, b in combinations(by_number[number], 2)],
        )
        for number in sorted(by_number)
    ]
    placed = {a.municipality_id for a in assignments}
    return GroupOverview(
        groups=groups,
        participants=participants,
        unplaced=[Member(m, delegates[m.pk]) for m in participants.values() if m.pk not in placed],
        departed=sorted(
            (a.municipality for a in assignments if a.municipality_id not in participants), key=lambda m: m.name
        ),
        neighbours=neighbours,
    )


def allocate_groups(actor, event: Event) -> Grouping:
    """Replace the event's groups, manual changes included, with the optimal groups of today's participants."""
    _require_change(actor, event)
    participants = list(participating_municipalities(event))
    if len(participants) < 2:
        raise EventError(
            _(
                "Groups need at least two participating municipalities (with a confirmed delegate); "
                "this event has %(count)d."
            )
            % {"count": len(participants)}
        )
    grouping = _optimum(participants, _neighbour_pairs(m.pk for m in participants))
    with transaction.atomic():
        _lock(event)
        GroupAssignment.objects.filter(event=event).delete()
        for number, members in enumerate(grouping.groups, start=1):
            for municipality_id in members:
                GroupAssignment.objects.create(event=event, municipality_id=municipality_id, group=number)
    return grouping


def move_municipality(actor, event: Event, municipality: Municipality, group: int) -> Move:
    """Put a participating municipality in another group, or in a new one after the last, by hand.

    Any move is allowed, even one that leaves a group of one or four: KS decides, and the screen warns. Returns
    the new total and its change.
    """
    _require_change(actor, event)
    with transaction.atomic():
        _lock(event)
        before = current_groups(event)
        if municipality.pk not in before.participants:
            raise EventError(
                _("%(municipality)s does not take part: it has no confirmed delegate.") % {"municipality": municipality}
            )
        if not before.groups:
            raise EventError(_("Make the groups before moving municipalities between them."))
        current = next((g.number for g in before.groups for m in g.members if m.municipality == municipality), None)
        if group == current:
            raise EventError(
                _("%(municipality)s is already in group %(group)d.") % {"municipality": municipality, "group": group}
            )
        if group not in before.numbers and group != before.new_number:
            raise EventError(_("There is no group %(group)d.") % {"group": group})
        GroupAssignment.objects.update_or_create(event=event, municipality=municipality, defaults={"group": group})
        total = current_groups(event).total
    return Move(municipality, group, total, total - before.total)


def group_work_items(event: Event):
    """The programme's group-work sessions, for the printed list: when, and the questions to discuss."""
    return event.programme.filter(kind=ProgrammeItem.Kind.GROUP_WORK)
