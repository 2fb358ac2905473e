"""Import rules through the API, and the review queue."""

from sqlalchemy import Engine

from domain.ledger.models import Expense
from tests.api.conftest import Caller, assert_problem, count, join
from tests.api.imports_builders import expenses, imported, member_of, qif, reviews, rule

ROWS = [
    ("2026-03-01", "-45.10", "REWE Markt 1234"),
    ("2026-03-02", "-9.99", "Netflix.com"),
    ("2026-03-03", "-250.00", "Apple Store"),
    ("2026-03-04", "-3.20", "Coffee Corner"),
]


def test_first_matching_rule_wins_in_position_order(sam: Caller) -> None:
    home = sam.household()
    rule(sam, home["id"], name="groceries", payee="rewe", action="shared", position=2)
    rule(sam, home["id"], name="no rewe", payee="REWE", action="ignore", position=1)
    rule(sam, home["id"], name="streaming", payee=r"^netflix\b", regex=True, action="personal")
    rule(sam, home["id"], name="small", action="shared", max_amount=500)
    run = imported(sam, home["id"], qif(ROWS))
    assert run["counts"] == {
        **run["counts"],
        "created": 1,
        "skipped": 2,
        "needs_review": 1,
        "read": 4,
    }
    assert [e["description"] for e in expenses(sam, home["id"])] == ["Coffee Corner"]
    [waiting] = reviews(sam, home["id"])
    assert waiting["payee"] == "Apple Store"


def test_amount_range_is_inclusive_and_on_the_absolute_amount(sam: Caller) -> None:
    home = sam.household()
    rule(sam, home["id"], action="shared", min_amount=999, max_amount=4510)
    run = imported(sam, home["id"], qif(ROWS))
    assert run["counts"]["created"] == 2


def test_a_shared_rule_splits_as_it_says(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    join(sam, alex, home["id"])
    me, them = member_of(sam, home["id"]), member_of(alex, home["id"])
    rule(
        sam,
        home["id"],
        payee="rewe",
        action="shared",
        split={
            "method": "percent",
            "participants": [{"member_id": me, "percent": 70}, {"member_id": them, "percent": 30}],
        },
        set_category="groceries",
    )
    imported(sam, home["id"], qif(ROWS[:1]))
    [expense] = expenses(sam, home["id"])
    assert expense["category"] == "groceries"
    assert {s["member_id"]: s["amount"] for s in expense["shares"]} == {me: 3157, them: 1353}
    assert expense["paid_by"] == me


def test_category_rules_come_before_payee_rules(sam: Caller) -> None:
    home = sam.household()
    rule(sam, home["id"], payee="coffee", action="shared", position=1)
    rule(sam, home["id"], category="eating out", action="personal", position=5)
    data = qif(ROWS[3:]).replace(b"PCoffee Corner", b"PCoffee Corner\nLEating Out:Cafe")
    run = imported(sam, home["id"], data)
    assert run["counts"]["skipped"] == 1, run


def test_resolving_a_review_as_shared_books_the_expense(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    imported(sam, home["id"], qif(ROWS[:1]))
    [waiting] = reviews(sam, home["id"])
    url = f"/v1/households/{home['id']}/import-reviews/{waiting['id']}/resolve"
    resolved = sam.post(url, json={"action": "shared", "category": "food"})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["outcome"] == "shared"
    assert resolved.json()["expense_id"] is not None
    assert reviews(sam, home["id"]) == []
    [expense] = expenses(sam, home["id"])
    assert expense["amount"] == 4510 and expense["category"] == "food"
    assert_problem(sam.post(url, json={"action": "ignore"}), 409)
    assert count(engine, Expense) == 1


def test_a_review_decision_sticks_on_reimport(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    imported(sam, home["id"], qif(ROWS[:1]))
    [waiting] = reviews(sam, home["id"])
    url = f"/v1/households/{home['id']}/import-reviews/{waiting['id']}/resolve"
    assert sam.post(url, json={"action": "personal"}).status_code == 200
    rule(sam, home["id"], action="shared")
    assert imported(sam, home["id"], qif(ROWS[:1]))["counts"]["duplicates"] == 1
    assert count(engine, Expense) == 0


def test_resolving_needs_a_known_payer_and_a_member_of_the_household(
    sam: Caller, alex: Caller
) -> None:
    home = sam.household()
    imported(sam, home["id"], qif(ROWS[:1]))
    [waiting] = reviews(sam, home["id"])
    url = f"/v1/households/{home['id']}/import-reviews/{waiting['id']}/resolve"
    stranger = member_of(alex, alex.household()["id"])
    assert_problem(
        sam.post(url, json={"action": "shared", "paid_by": stranger}), 422, field="paid_by"
    )
    assert_problem(sam.post(url, json={"action": "maybe"}), 422, field="action")
    assert_problem(alex.post(url, json={"action": "ignore"}), 404)


def test_rules_are_listed_in_order_and_can_be_changed_and_deleted(sam: Caller) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/import-rules"
    late = rule(sam, home["id"], payee="b", action="ignore", position=9)
    early = rule(sam, home["id"], payee="a", action="personal", position=1)
    listed = sam.get(url).json()
    assert [r["id"] for r in listed["data"]] == [early["id"], late["id"]]
    page = sam.get(url, params={"limit": 1}).json()
    assert [r["id"] for r in page["data"]] == [early["id"]]
    rest = sam.get(url, params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [r["id"] for r in rest["data"]] == [late["id"]] and rest["next_cursor"] is None
    changed = sam.patch(
        f"{url}/{late['id']}", json={"position": 0, "payee": None}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["payee"] is None and changed.headers["ETag"] == '"2"'
    stale = sam.delete(f"{url}/{late['id']}", headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert sam.delete(f"{url}/{late['id']}").status_code == 204
    assert_problem(sam.get(f"{url}/{late['id']}"), 404)


def test_bad_rules_are_422_naming_the_field(sam: Caller) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/import-rules"
    assert_problem(
        sam.post(url, json={"action": "shared", "payee": "(", "regex": True}), 422, field="payee"
    )
    assert_problem(sam.post(url, json={"action": "share"}), 422, field="action")
    assert_problem(
        sam.post(url, json={"action": "shared", "min_amount": 5, "max_amount": 1}),
        422,
        field="min_amount",
    )
    assert_problem(
        sam.post(url, json={"action": "ignore", "split": {"method": "equal"}}), 422, field="split"
    )
    assert_problem(
        sam.post(url, json={"action": "shared", "min_amount": 1.5}), 422, field="min_amount"
    )
    assert_problem(sam.post(url, json={"action": "shared", "id": "x"}), 422)


def test_rules_of_another_household_are_404(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    mine = rule(sam, home["id"], action="ignore")
    theirs = alex.household()
    assert_problem(alex.get(f"/v1/households/{theirs['id']}/import-rules/{mine['id']}"), 404)
    assert_problem(alex.get(f"/v1/households/{home['id']}/import-rules"), 404)
