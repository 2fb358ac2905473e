"""Chore rebalancing: reassign upcoming occurrences so past plus planned weighted time moves
toward the agreed shares — a small integer program solved exactly by HiGHS (scipy's milp).

Variables: x[o, m] = 1 when occurrence o goes to member m (only eligible members who are
not away on its due date), and d[m] ≥ |load_m − target_m|, where load is the member's past
weighted minutes plus the weights assigned to them and target is their share of the
total. The objective is Σ d (the imbalance, in weighted minutes) plus a small penalty per
moved occurrence (plans stay stable; nothing moves for nothing) plus preference costs
(`avoid` costs, `prefer` earns). Weekly availability caps each member's planned raw
minutes. The current assignment, when feasible, is an upper bound on the imbalance: the
solver may trade preferences against moves, never against a worse time balance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from domain.chores.assignment import Preference

if TYPE_CHECKING:
    import numpy as np

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

MOVE_PENALTY = 1.0  # weighted minutes of imbalance a single move must save to be worth it
PREFERENCE_COST = {Preference.PREFER: -2.0, Preference.NEUTRAL: 0.0, Preference.AVOID: 5.0}


@dataclass(frozen=True, slots=True)
class Upcoming:
    occurrence_id: str
    chore_id: str
    minutes: int
    weight: Fraction  # weighted minutes
    assigned_to: str | None
    candidates: tuple[str, ...]  # eligible and not away on the due date


@dataclass(frozen=True, slots=True)
class Move:
    occurrence_id: str
    from_member_id: str | None
    to_member_id: str


@dataclass(frozen=True, slots=True)
class Rebalance:
    assignment: dict[str, str]
    moves: tuple[Move, ...]
    optimal: bool
    gap: float
    imbalance_before: Fraction | None
    imbalance_after: Fraction


def rebalance(
    *,
    members: Sequence[str],
    past: Mapping[str, Fraction],
    targets: Mapping[str, Fraction],
    upcoming: Sequence[Upcoming],
    capacity_minutes: Mapping[str, int] | None = None,
    preferences: Mapping[tuple[str, str], Preference] | None = None,
    time_limit_seconds: float = 10.0,
) -> Rebalance:
    """`targets` are shares summing to 1; `capacity_minutes` caps a member's planned raw
    minutes over the horizon; `preferences` maps (chore_id, member_id) to a preference."""
    # Loaded on first use, not at start: scipy's optimizer alone is some 60 MB of memory,
    # and most servers rebalance chores rarely (a Raspberry Pi counts every megabyte).
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    preferences = preferences or {}
    index = {m: i for i, m in enumerate(members)}
    pairs = [(o, m) for o, occ in enumerate(upcoming) for m in occ.candidates if m in index]
    n_x, n_m = len(pairs), len(members)
    total = sum((past.get(m, Fraction(0)) for m in members), Fraction(0)) + sum(
        (u.weight for u in upcoming), Fraction(0)
    )
    target_load = [float(targets.get(m, Fraction(0)) * total) for m in members]
    weights = [float(upcoming[o].weight) for o, _ in pairs]

    cost = np.zeros(n_x + n_m)
    for k, (o, m) in enumerate(pairs):
        occ = upcoming[o]
        cost[k] = (0.0 if occ.assigned_to == m else MOVE_PENALTY) + PREFERENCE_COST[
            preferences.get((occ.chore_id, m), Preference.NEUTRAL)
        ]
    cost[n_x:] = 1.0

    rows: list[np.ndarray] = []
    low: list[float] = []
    high: list[float] = []
    for o in range(len(upcoming)):
        row = np.zeros(n_x + n_m)
        for k, (oo, _) in enumerate(pairs):
            if oo == o:
                row[k] = 1
        if not row.any():
            continue  # nobody can take it: it stays as it is
        rows.append(row)
        low.append(1)
        high.append(1)
    for i, m in enumerate(members):
        past_m = float(past.get(m, Fraction(0)))
        over = np.zeros(n_x + n_m)  # load - d <= target
        under = np.zeros(n_x + n_m)  # load + d >= target
        for k, (_, mm) in enumerate(pairs):
            if mm == m:
                over[k] = under[k] = weights[k]
        over[n_x + i], under[n_x + i] = -1, 1
        rows += [over, under]
        low += [-np.inf, target_load[i] - past_m]
        high += [target_load[i] - past_m, np.inf]
        if capacity_minutes and m in capacity_minutes:
            cap = np.zeros(n_x + n_m)
            for k, (o, mm) in enumerate(pairs):
                if mm == m:
                    cap[k] = upcoming[o].minutes
            rows.append(cap)
            low.append(-np.inf)
            high.append(float(capacity_minutes[m]))

    before = _imbalance(members, past, targets, total, upcoming, None)
    if before is not None:
        bound = np.zeros(n_x + n_m)
        bound[n_x:] = 1
        rows.append(bound)
        low.append(-np.inf)
        high.append(float(before) + 1e-6)

    integrality = np.concatenate([np.ones(n_x), np.zeros(n_m)])
    bounds = Bounds(np.zeros(n_x + n_m), np.concatenate([np.ones(n_x), np.full(n_m, np.inf)]))
    result = milp(
        cost,
        constraints=LinearConstraint(np.array(rows), low, high) if rows else None,
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": time_limit_seconds},
    )
    if result.x is None:
        current = {u.occurrence_id: u.assigned_to for u in upcoming if u.assigned_to}
        unchanged = before if before is not None else Fraction(0)
        return Rebalance(current, (), False, float("inf"), before, unchanged)

    assignment: dict[str, str] = {}
    for k, (o, m) in enumerate(pairs):
        if result.x[k] > 0.5:
            assignment[upcoming[o].occurrence_id] = m
    for occ in upcoming:
        if occ.occurrence_id not in assignment and occ.assigned_to is not None:
            assignment[occ.occurrence_id] = occ.assigned_to
    moves = tuple(
        Move(occ.occurrence_id, occ.assigned_to, assignment[occ.occurrence_id])
        for occ in upcoming
        if occ.occurrence_id in assignment and assignment[occ.occurrence_id] != occ.assigned_to
    )
    planned = _imbalance(members, past, targets, total, upcoming, assignment) or Fraction(0)
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return Rebalance(assignment, moves, result.status == 0, gap, before, planned)


def _imbalance(
    members: Sequence[str],
    past: Mapping[str, Fraction],
    targets: Mapping[str, Fraction],
    total: Fraction,
    upcoming: Sequence[Upcoming],
    assignment: Mapping[str, str] | None,
) -> Fraction | None:
    """Σ |load − target| in weighted minutes; None if some occurrence has no valid owner."""
    load = {m: past.get(m, Fraction(0)) for m in members}
    for occ in upcoming:
        owner = assignment.get(occ.occurrence_id) if assignment else occ.assigned_to
        if owner is None or owner not in load or owner not in occ.candidates:
            if assignment is None:
                return None
            continue
        load[owner] += occ.weight
    return sum((abs(load[m] - targets.get(m, Fraction(0)) * total) for m in members), Fraction(0))
