"""Instant runoff, with every round kept so a household can follow the count.

Each round gives every ballot to its highest-ranked continuing option; a ballot with no
continuing option left is exhausted and drops out. An option with more than half of the
continuing ballots wins. Otherwise the round eliminates:
- every option with no votes at once (nothing transfers from them, so their order
  cannot change the result), or else
- the option with the fewest votes. A tie for fewest is broken forwards: among the tied,
  keep those with the fewest votes in round 1, then round 2, and so on up to the last
  round; if still tied, the one listed last in the decision's options is eliminated (the
  order is fixed and visible before anyone votes).
Two options left with equal votes are a tie, and the status quo stands.
"""

from collections.abc import Sequence

from domain.decisions.ballots import JsonObject, JsonValue, RankedBallot
from domain.decisions.methods import Option
from domain.decisions.result import Elimination, Result, Round, Status, no_quorum
from domain.decisions.wording import STATUS_QUO, count, names

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

Votes = dict[str, int]


def count_ranked_choice(
    options: Sequence[Option], ballots: Sequence[RankedBallot], *, required: int
) -> Result:
    """Count rounds until an option holds a majority of the continuing ballots."""
    if len(ballots) < required:
        return no_quorum(len(ballots), required, ranked=True)
    labels = {o.id: o.label for o in options}
    continuing = [o.id for o in options]
    history: list[Votes] = []
    rounds: list[Round] = []
    while True:
        votes, exhausted = _count(continuing, ballots)
        history.append(votes)
        active = len(ballots) - exhausted
        leader = max(continuing, key=lambda o: votes[o])
        number = len(history)
        if 2 * votes[leader] > active:
            note = f"{labels[leader]} has {votes[leader]} of {active} continuing votes, a majority."
            rounds.append(Round(number, _pairs(votes), exhausted, (), None, note))
            return _result(Status.PASSED, (leader,), rounds, ballots, required, labels)
        if len(continuing) == 2:
            both = names([labels[o] for o in continuing])
            note = f"{both} tied with {count(votes[leader], 'vote')} each."
            rounds.append(Round(number, _pairs(votes), exhausted, (), None, note))
            return _result(Status.TIED, (), rounds, ballots, required, labels)
        out, why, note = _eliminate(continuing, history, labels)
        rounds.append(Round(number, _pairs(votes), exhausted, out, why, note))
        continuing = [o for o in continuing if o not in out]


def _count(continuing: Sequence[str], ballots: Sequence[RankedBallot]) -> tuple[Votes, int]:
    votes = dict.fromkeys(continuing, 0)
    exhausted = 0
    for ballot in ballots:
        top = next((o for o in ballot.ranking if o in votes), None)
        if top is None:
            exhausted += 1
        else:
            votes[top] += 1
    return votes, exhausted


def _pairs(votes: Votes) -> tuple[tuple[str, int], ...]:
    return tuple(votes.items())


def _eliminate(
    continuing: Sequence[str], history: Sequence[Votes], labels: dict[str, str]
) -> tuple[tuple[str, ...], Elimination, str]:
    """What this round eliminates, why, and the sentence that says so."""
    votes = history[-1]
    silent = tuple(o for o in continuing if votes[o] == 0)
    if silent:
        verb = "was" if len(silent) == 1 else "were"
        who = names([labels[o] for o in silent])
        return silent, Elimination.NO_VOTES, f"{who} had no votes and {verb} eliminated."
    fewest = min(votes[o] for o in continuing)
    tied = [o for o in continuing if votes[o] == fewest]
    if len(tied) == 1:
        out = labels[tied[0]]
        note = f"{out} had the fewest votes ({fewest}) and was eliminated."
        return (tied[0],), Elimination.FEWEST_VOTES, note
    tie = f"{names([labels[o] for o in tied])} tied for the fewest votes ({fewest} each)"
    remaining = tied
    for number, past in enumerate(history[:-1], start=1):
        low = min(past[o] for o in remaining)
        remaining = [o for o in remaining if past[o] == low]
        if len(remaining) == 1:
            out = labels[remaining[0]]
            note = (
                f"{tie}. Looking back from round 1, {out} had the fewest votes in round "
                f"{number} ({low}), so {out} was eliminated."
            )
            return (remaining[0],), Elimination.TIE_EARLIER_ROUNDS, note
    out = labels[remaining[-1]]
    earlier = " in every earlier round too" if len(history) > 1 else " with no earlier round"
    note = (
        f"{tie},{earlier} to tell them apart; {out} is listed last of them among the "
        f"options, so {out} was eliminated."
    )
    return (remaining[-1],), Elimination.TIE_OPTION_ORDER, note


def _result(
    status: Status,
    winners: tuple[str, ...],
    rounds: list[Round],
    ballots: Sequence[RankedBallot],
    required: int,
    labels: dict[str, str],
) -> Result:
    first: list[JsonValue] = [{"option_id": o, "votes": n} for o, n in rounds[0].votes]
    tally: JsonObject = {
        "ballots": len(ballots),
        "quorum": required,
        "first_preferences": first,
        "exhausted": rounds[-1].exhausted,
    }
    return Result(status, winners, tally, _explain(status, rounds, labels), tuple(rounds))


def _explain(status: Status, rounds: list[Round], labels: dict[str, str]) -> str:
    last = rounds[-1]
    votes = dict(last.votes)
    active = sum(votes.values())
    transferred = [
        labels[o] for r in rounds if r.elimination is not Elimination.NO_VOTES for o in r.eliminated
    ]
    if status is Status.PASSED:
        winner = max(votes, key=lambda o: votes[o])
        text = f"{labels[winner]} won in round {last.number} with {votes[winner]} of {active} "
        if last.number == 1:
            text += "votes, a majority of first preferences."
        else:
            text += f"continuing votes, after the votes for {names(transferred)} transferred."
            first = dict(rounds[0].votes)
            leader = max(first, key=lambda o: first[o])
            if leader != winner and list(first.values()).count(first[leader]) == 1:
                text += (
                    f" {labels[leader]} had the most first preferences but lost once "
                    "votes transferred."
                )
    else:
        text = (
            f"{names([labels[o] for o in votes])} tied with {count(max(votes.values()), 'vote')} "
            f"each in the final round (round {last.number}), so no option won and {STATUS_QUO}."
        )
    ties = [r for r in rounds if r.elimination in _TIE_BREAKS]
    text += "".join(f" In round {r.number}: {r.note}" for r in ties)
    if last.exhausted:
        verb = "was" if last.exhausted == 1 else "were"
        text += (
            f" {count(last.exhausted, 'ballot')} ranked none of the options left by the last "
            f"round and {verb} not counted there."
        )
    return text


_TIE_BREAKS = (Elimination.TIE_EARLIER_ROUNDS, Elimination.TIE_OPTION_ORDER)
