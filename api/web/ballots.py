"""A decision's ballot form into the ballot the API takes (`PUT …/votes/{member_id}`).

The form has one shape per voting method; without JavaScript, ranked choice is a rank
select beside each option ("1" first). The ballot itself is checked by the domain
(`domain.decisions.service.cast_vote`), exactly as a JSON ballot is.
"""

from typing import Any

from api.web.forms import Form, FormErrors
from domain.decisions.methods import Method

ABSTAIN = "abstain"


def _rank(text: str | None, field: str) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise FormErrors({field: "choose a rank from the list"})
    return int(text)


def ballot_of(method: Method, option_ids: list[str], form: Form) -> dict[str, Any]:
    if method is Method.MAJORITY:
        choice = form.text("option_id")
        if choice is None:
            raise FormErrors({"option_id": "choose an option, or abstain"})
        return {"abstain": True} if choice == ABSTAIN else {"option_id": choice}
    if method is Method.APPROVAL:
        return {"approved": form.texts("approved")}
    if method is Method.CONSENSUS:
        position = form.text("position")
        if position is None:
            raise FormErrors({"position": "choose where you stand"})
        return {"position": position, "reason": form.text("reason")}
    if method is Method.SCORE:
        scores: dict[str, int] = {}
        for option_id in option_ids:
            value = _rank(form.text(f"score-{option_id}"), f"score-{option_id}")
            if value is not None:
                scores[option_id] = value
        return {"scores": scores}
    ranks: dict[int, str] = {}
    for option_id in option_ids:
        rank = _rank(form.text(f"rank-{option_id}"), f"rank-{option_id}")
        if rank is None:
            continue
        if rank in ranks:
            raise FormErrors({f"rank-{option_id}": f"rank {rank} is given twice: each once"})
        ranks[rank] = option_id
    if not ranks:
        raise FormErrors({"ranking": "rank at least one option"})
    return {"ranking": [ranks[r] for r in sorted(ranks)]}
