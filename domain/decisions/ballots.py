"""Ballots: one value type per method, read from JSON and checked against the options.

Reading (`parse_ballot`) and the rules (`check_ballot`) are separate so that a ballot
built in code is held to the same rules as one that arrived over HTTP. Error fields are
paths into the JSON body with 0-based indexes ("ranking.2", "scores.<option_id>").
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from domain.decisions.methods import Method
from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

JsonValue: TypeAlias = str | int | bool | list["JsonValue"] | dict[str, "JsonValue"] | None
JsonObject: TypeAlias = dict[str, JsonValue]

MIN_SCORE = 0
MAX_SCORE = 5
MAX_REASON = 2000  # characters: a paragraph, so the ballot body states its bound


class Position(StrEnum):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


@dataclass(frozen=True)
class MajorityBallot:
    """A vote for one option; `option_id` None is an abstention."""

    option_id: str | None


@dataclass(frozen=True)
class ConsensusBallot:
    position: Position
    reason: str | None = None


@dataclass(frozen=True)
class ApprovalBallot:
    """Every option the voter can live with; approving none is a valid ballot."""

    approved: tuple[str, ...]


@dataclass(frozen=True)
class RankedBallot:
    """Options from most to least preferred; options left out are never reached."""

    ranking: tuple[str, ...]


@dataclass(frozen=True)
class ScoreBallot:
    """Scores from 0 to 5; an option the voter leaves out scores 0."""

    scores: tuple[tuple[str, int], ...]

    def score_for(self, option_id: str) -> int:
        return dict(self.scores).get(option_id, MIN_SCORE)


Ballot: TypeAlias = MajorityBallot | ConsensusBallot | ApprovalBallot | RankedBallot | ScoreBallot

_SHAPES = {
    Method.MAJORITY: ("{option_id} or {abstain: true}", {"option_id", "abstain"}),
    Method.CONSENSUS: ("{position, reason?}", {"position", "reason"}),
    Method.APPROVAL: ("{approved: [option_id, …]}", {"approved"}),
    Method.RANKED_CHOICE: ("{ranking: [option_id, …]}", {"ranking"}),
    Method.SCORE: ("{scores: {option_id: 0-5}}", {"scores"}),
}
_TYPES: dict[Method, type[Ballot]] = {
    Method.MAJORITY: MajorityBallot,
    Method.CONSENSUS: ConsensusBallot,
    Method.APPROVAL: ApprovalBallot,
    Method.RANKED_CHOICE: RankedBallot,
    Method.SCORE: ScoreBallot,
}


def parse_ballot(method: Method, option_ids: Sequence[str], raw: object) -> Ballot:
    """Read a ballot body for `method` and check it against the decision's options."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("A ballot is a JSON object.")
    shape, keys = _SHAPES[method]
    for key in raw:
        if key not in keys:
            raise InvalidInput(
                f"A {method} ballot has no '{key}': it takes {shape}.", field=str(key)
            )
    ballot = _read(method, raw)
    check_ballot(method, option_ids, ballot)
    return ballot


def _read(method: Method, raw: Mapping[str, object]) -> Ballot:
    if method is Method.MAJORITY:
        abstain = raw.get("abstain", False)
        if not isinstance(abstain, bool):
            raise InvalidInput("'abstain' is true or false.", field="abstain")
        if abstain:
            if raw.get("option_id") is not None:
                raise InvalidInput("Choose an option or abstain, not both.", field="abstain")
            return MajorityBallot(None)
        return MajorityBallot(_text(raw.get("option_id"), "option_id", "Choose an option"))
    if method is Method.CONSENSUS:
        position = raw.get("position")
        if not isinstance(position, str) or position not in set(Position):
            raise InvalidInput(
                "'position' is one of agree, abstain, disagree or block.", field="position"
            )
        reason = raw.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise InvalidInput("'reason' is text.", field="reason")
        if reason is not None and len(reason) > MAX_REASON:
            raise InvalidInput(f"'reason' is at most {MAX_REASON} characters.", field="reason")
        return ConsensusBallot(Position(position), (reason or "").strip() or None)
    if method is Method.SCORE:
        scores = raw.get("scores")
        if not isinstance(scores, Mapping):
            raise InvalidInput("'scores' maps option ids to scores from 0 to 5.", field="scores")
        for option_id, score in scores.items():
            if isinstance(score, bool) or not isinstance(score, int):
                raise InvalidInput("A score is a whole number.", field=f"scores.{option_id}")
        return ScoreBallot(tuple((str(k), v) for k, v in scores.items()))
    key = "approved" if method is Method.APPROVAL else "ranking"
    items = raw.get(key)
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise InvalidInput(f"'{key}' is a list of option ids.", field=key)
    ids = tuple(_text(item, f"{key}.{i}", "Give an option id") for i, item in enumerate(items))
    return ApprovalBallot(ids) if method is Method.APPROVAL else RankedBallot(ids)


def _text(value: object, field: str, missing: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{missing} ('{field}' is an option id).", field=field)
    return value


def check_ballot(method: Method, option_ids: Sequence[str], ballot: Ballot) -> None:
    """The method's rules: the right shape, known options, no option twice, scores in
    range, and a reason for a block or a disagreement so the others can respond to it."""
    if not isinstance(ballot, _TYPES[method]):
        raise InvalidInput(f"This is not a {method} ballot.")
    known = set(option_ids)
    if isinstance(ballot, MajorityBallot):
        if ballot.option_id is not None:
            _check_ids([("option_id", ballot.option_id)], known)
    elif isinstance(ballot, ConsensusBallot):
        if ballot.position in (Position.BLOCK, Position.DISAGREE) and not ballot.reason:
            raise InvalidInput(
                f"A {ballot.position} needs a reason, so the household can respond to it.",
                field="reason",
            )
    elif isinstance(ballot, ApprovalBallot):
        _check_ids([(f"approved.{i}", o) for i, o in enumerate(ballot.approved)], known)
    elif isinstance(ballot, RankedBallot):
        if not ballot.ranking:
            raise InvalidInput("Rank at least one option.", field="ranking")
        _check_ids([(f"ranking.{i}", o) for i, o in enumerate(ballot.ranking)], known)
    else:
        _check_ids([(f"scores.{o}", o) for o, _ in ballot.scores], known)
        for option_id, score in ballot.scores:
            if not MIN_SCORE <= score <= MAX_SCORE:
                raise InvalidInput(
                    f"Scores run from {MIN_SCORE} to {MAX_SCORE}; got {score}.",
                    field=f"scores.{option_id}",
                )


def _check_ids(fields_and_ids: Sequence[tuple[str, str]], known: set[str]) -> None:
    seen: set[str] = set()
    for field, option_id in fields_and_ids:
        if option_id not in known:
            raise InvalidInput(f"'{option_id}' is not an option of this decision.", field=field)
        if option_id in seen:
            raise InvalidInput(f"'{option_id}' appears twice.", field=field)
        seen.add(option_id)


def ballot_to_json(ballot: Ballot) -> JsonObject:
    """The body `parse_ballot` reads, for storing a ballot and returning an open one."""
    if isinstance(ballot, MajorityBallot):
        return {"abstain": True} if ballot.option_id is None else {"option_id": ballot.option_id}
    if isinstance(ballot, ConsensusBallot):
        body: JsonObject = {"position": ballot.position.value}
        if ballot.reason is not None:
            body["reason"] = ballot.reason
        return body
    if isinstance(ballot, ApprovalBallot):
        return {"approved": list(ballot.approved)}
    if isinstance(ballot, RankedBallot):
        return {"ranking": list(ballot.ranking)}
    return {"scores": dict(ballot.scores)}
