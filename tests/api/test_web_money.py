"""The money page's forms: an expense added, changed or deleted here records exactly what
the API's calls record; bad input is shown beside its field with nothing written; a stale
form (the version it was drawn from is no longer current) writes nothing and says why."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.ledger.models import Expense
from tests.api.conftest import count, fetch
from tests.api.web_builders import WebBrowser, World, world

TODAY = date.today().isoformat()


@pytest.fixture
def home(app: FastAPI) -> World:
    return world(app)


def money(home: World) -> str:
    return f"{home.home}/money"


def add(home: World, data: dict[str, Any], browser: WebBrowser | None = None) -> Any:
    browser = browser or home.sam
    return browser.post(f"{money(home)}/expenses", data, page=f"{money(home)}/expenses/new")


def equal_form(home: World, **over: str) -> dict[str, str]:
    return {
        "description": "Bread",
        "amount": "4.20",
        "currency": "EUR",
        "date": TODAY,
        "paid_by": home.sam_member,
        "split_method": "equal",
        f"in-{home.sam_member}": "on",
        f"in-{home.alex_member}": "on",
        **over,
    }


def newest(home: World) -> dict[str, Any]:
    """The expense recorded last. By creation, not by the list's order (newest date first):
    the world's own expense is dated at the fixture's today, and a run that crosses midnight
    dates the forms' expenses (TODAY, taken at import) a day earlier."""
    rows: list[dict[str, Any]] = home.sam_api.get(home.api("expenses")).json()["data"]
    return max(rows, key=lambda row: str(row["created_at"]))


def same_record(web: dict[str, Any], api: dict[str, Any]) -> None:
    for key in (
        "description",
        "amount",
        "currency",
        "original_amount",
        "original_currency",
        "exchange_rate",
        "date",
        "paid_by",
        "payers",
        "split",
        "shares",
        "category",
    ):
        assert web[key] == api[key], key


def test_add_expense_link_opens_the_form_with_its_named_fields(home: World) -> None:
    page = home.sam.get(money(home)).text
    assert re.search(r'<a[^>]*href="[^"]*/money/expenses/new"[^>]*>Add expense</a>', page)
    form = home.sam.get(f"{money(home)}/expenses/new").text
    for label in ("Description", "Amount", "Paid by", "Date"):
        assert re.search(rf"<label for=\"[^\"]+\">{label}</label>", form), label
    assert '<button type="submit">Save expense</button>' in form


def test_an_equal_split_records_what_the_api_records(home: World, engine: Engine) -> None:
    response = add(home, equal_form(home))
    assert response.status_code == 303, response.text
    web = newest(home)
    api = home.sam_api.post(
        home.api("expenses"),
        json={
            "description": "Bread",
            "amount": 420,
            "currency": "EUR",
            "date": TODAY,
            "paid_by": home.sam_member,
            "split": {
                "method": "equal",
                "participants": [{"member_id": home.sam_member}, {"member_id": home.alex_member}],
            },
        },
    )
    assert api.status_code == 201
    same_record(web, api.json())
    created = [
        e
        for e in home.sam_api.get(home.api("activity")).json()["data"]
        if e["type"] == "expense.created" and e["subject_id"] == web["id"]
    ]
    assert created and created[0]["actor_member_id"] == home.sam_member


def test_several_payers_exact_amounts_and_another_currency(home: World) -> None:
    form = {
        "description": "Dinner in Zurich",
        "amount": "100.00",
        "currency": "CHF",
        "exchange_rate": "1.05",
        "date": TODAY,
        "paid_by": "several",
        f"payer-{home.sam_member}": "60",
        f"payer-{home.alex_member}": "40.00",
        "split_method": "exact",
        f"share-{home.sam_member}": "30.50",
        f"share-{home.alex_member}": "69.50",
    }
    response = add(home, form)
    assert response.status_code == 303, response.text
    web = newest(home)
    api = home.sam_api.post(
        home.api("expenses"),
        json={
            "description": "Dinner in Zurich",
            "amount": 10000,
            "currency": "CHF",
            "exchange_rate": "1.05",
            "date": TODAY,
            "payers": [
                {"member_id": home.sam_member, "amount": 6000},
                {"member_id": home.alex_member, "amount": 4000},
            ],
            "split": {
                "method": "exact",
                "participants": [
                    {"member_id": home.sam_member, "amount": 3050},
                    {"member_id": home.alex_member, "amount": 6950},
                ],
            },
        },
    )
    assert api.status_code == 201, api.text
    same_record(web, api.json())
    assert web["amount"] == 10500 and web["original_currency"] == "CHF"


@pytest.mark.parametrize(
    ("method", "sam", "alex", "api_key", "sam_value", "alex_value"),
    [("percent", "33.33", "66.67", "percent", 33.33, 66.67), ("shares", "1", "3", "shares", 1, 3)],
)
def test_percentages_and_shares(
    home: World, method: str, sam: str, alex: str, api_key: str, sam_value: Any, alex_value: Any
) -> None:
    form = equal_form(home, split_method=method, amount="10.00")
    form |= {f"share-{home.sam_member}": sam, f"share-{home.alex_member}": alex}
    response = add(home, form)
    assert response.status_code == 303, response.text
    web = newest(home)
    api = home.sam_api.post(
        home.api("expenses"),
        json={
            "description": "Bread",
            "amount": 1000,
            "currency": "EUR",
            "date": TODAY,
            "paid_by": home.sam_member,
            "split": {
                "method": method,
                "participants": [
                    {"member_id": home.sam_member, api_key: sam_value},
                    {"member_id": home.alex_member, api_key: alex_value},
                ],
            },
        },
    )
    assert api.status_code == 201, api.text
    same_record(web, api.json())


def test_the_agreement_split_is_the_default_of_the_api(home: World) -> None:
    form = equal_form(home, split_method="agreement")
    assert add(home, form).status_code == 303
    web = newest(home)
    api = home.sam_api.post(
        home.api("expenses"),
        json={
            "description": "Bread",
            "amount": 420,
            "currency": "EUR",
            "date": TODAY,
            "paid_by": home.sam_member,
        },
    )
    assert api.status_code == 201, api.text
    assert web["id"] != api.json()["id"]
    same_record(web, api.json())


def field_error(text: str, field: str) -> str:
    found = re.search(rf'id="expense-{re.escape(field)}-error">([^<]*)<', text)
    assert found, (field, text[:3000])
    return found.group(1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"description": ""}, "description", ""),
        ({"amount": ""}, "amount", "enter an amount"),
        ({"amount": "twelve"}, "amount", "enter an amount such as 12.50"),
        ({"amount": "12.505"}, "amount", "EUR has 2 decimal places"),
        ({"amount": "1e400"}, "amount", ""),
        ({"date": "yesterday"}, "date", ""),
        ({"currency": "EURO"}, "currency", ""),
        ({"paid_by": ""}, "paid_by", "choose who paid"),
        ({"split_method": "exact", "amount": "10"}, "split", ""),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_written(
    home: World, engine: Engine, change: dict[str, str], field: str, message: str
) -> None:
    before = count(engine, Expense)
    response = add(home, equal_form(home, **change))
    assert response.status_code in (409, 422), response.text
    assert message in field_error(response.text, field)
    if field != "split":  # a fieldset's message is linked by aria-describedby instead
        assert f'id="expense-{field}" name="{field}"' in response.text.replace("\n", "")
        assert 'aria-invalid="true"' in response.text
    assert count(engine, Expense) == before
    # what was typed is kept
    assert f'value="{equal_form(home, **change)["description"]}"' in response.text


def test_a_float_with_too_many_places_in_a_split_part_is_refused(
    home: World, engine: Engine
) -> None:
    before = count(engine, Expense)
    form = equal_form(home, split_method="exact", amount="10")
    form |= {f"share-{home.sam_member}": "5.001", f"share-{home.alex_member}": "4.999"}
    response = add(home, form)
    assert response.status_code == 422
    assert "2 decimal places" in field_error(response.text, f"share-{home.sam_member}")
    form |= {
        "split_method": "percent",
        f"share-{home.sam_member}": "50.005",
        f"share-{home.alex_member}": "49.995",
    }
    response = add(home, form)
    assert "2 decimal places" in field_error(response.text, f"share-{home.sam_member}")
    assert count(engine, Expense) == before


def test_another_households_members_are_refused(home: World, app: FastAPI, engine: Engine) -> None:
    other = world(app)
    before = count(engine, Expense)
    response = add(home, equal_form(home, paid_by=other.sam_member))
    assert response.status_code == 422
    assert "not a member of this household" in field_error(response.text, "paid_by")
    form = equal_form(home) | {f"in-{other.alex_member}": "on"}
    response = add(home, form)
    assert "not a member of this household" in field_error(response.text, "split")
    form = equal_form(home, paid_by="several") | {f"payer-{other.sam_member}": "4.20"}
    response = add(home, form)
    assert "not a member of this household" in field_error(response.text, "paid_by")
    # and another household's money page is not theirs to post to
    response = home.sam.post(
        f"/app/households/{other.household_id}/money/expenses",
        equal_form(home),
        page=f"{money(home)}/expenses/new",
    )
    assert response.status_code == 404
    assert count(engine, Expense) == before


def test_without_the_csrf_token_or_from_another_origin_nothing_is_written(
    home: World, engine: Engine
) -> None:
    before = count(engine, Expense)
    path = f"{money(home)}/expenses"
    assert home.sam.post(path, equal_form(home), csrf="").status_code == 403
    assert home.sam.post(path, equal_form(home), csrf="forged-token").status_code == 403
    stolen = home.sam.csrf(f"{path}/new")
    response = home.sam.post(path, equal_form(home), csrf=stolen, origin="http://evil.example")
    assert response.status_code == 403
    # Alex's token is not Sam's
    alex_token = home.alex.csrf(f"{path}/new")
    assert home.sam.post(path, equal_form(home), csrf=alex_token).status_code == 403
    assert count(engine, Expense) == before


def edit_page(home: World, expense_id: str) -> str:
    response = home.sam.get(f"{money(home)}/expenses/{expense_id}")
    assert response.status_code == 200, response.text
    text: str = response.text
    return text


def version_in(text: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', text)
    assert found
    return found.group(1)


def test_edit_changes_the_expense_as_patch_does(home: World, engine: Engine) -> None:
    expense = newest(home)
    text = edit_page(home, expense["id"])
    assert 'value="Groceries"' in text and 'value="30.00"' in text
    form = equal_form(
        home, description="Groceries and wine", amount="36.00", version=version_in(text)
    )
    response = home.sam.post(
        f"{money(home)}/expenses/{expense['id']}",
        form,
        csrf=home.sam.csrf(f"{money(home)}/expenses/{expense['id']}"),
    )
    assert response.status_code == 303, response.text
    after = home.sam_api.get(home.api(f"expenses/{expense['id']}"))
    assert after.json()["amount"] == 3600 and after.json()["description"] == "Groceries and wine"
    assert after.headers["ETag"] == f'"{int(version_in(text)) + 1}"'


def test_a_stale_edit_or_delete_writes_nothing_and_says_so(home: World, engine: Engine) -> None:
    expense = newest(home)
    path = f"{money(home)}/expenses/{expense['id']}"
    text = edit_page(home, expense["id"])
    old = version_in(text)
    token = home.sam.csrf(path)
    # Alex changes it through the API meanwhile
    changed = home.alex_api.patch(home.api(f"expenses/{expense['id']}"), json={"amount": 3300})
    assert changed.status_code == 200
    response = home.sam.post(path, equal_form(home, amount="99", version=old), csrf=token)
    assert response.status_code == 412
    assert "changed this expense after you opened it" in response.text
    assert 'value="33.00"' in response.text  # drawn again as it is now
    assert version_in(response.text) == str(int(old) + 1)
    response = home.sam.post(f"{path}/delete", {"version": old}, csrf=token)
    assert response.status_code == 412
    row = fetch(engine, Expense, expense["id"])
    assert row is not None and row.amount == 3300
    # a form without a version is stale too
    assert home.sam.post(f"{path}/delete", {}, csrf=token).status_code == 412
    assert fetch(engine, Expense, expense["id"]) is not None


def test_delete_removes_it_as_delete_does(home: World, engine: Engine) -> None:
    expense = newest(home)
    path = f"{money(home)}/expenses/{expense['id']}"
    text = edit_page(home, expense["id"])
    response = home.sam.post(
        f"{path}/delete", {"version": version_in(text)}, csrf=home.sam.csrf(path)
    )
    assert response.status_code == 303
    assert fetch(engine, Expense, expense["id"]) is None
    assert (
        count(engine, Event, Event.type == "expense.deleted", Event.subject_id == expense["id"])
        == 1
    )


def test_another_households_expense_cannot_be_opened_changed_or_deleted(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = world(app)
    theirs = newest(other)
    token = home.sam.csrf(f"{money(home)}/expenses/new")
    for path in (f"{money(home)}/expenses/{theirs['id']}",):
        assert home.sam.get(path).status_code == 404
        assert home.sam.post(path, equal_form(home, version="1"), csrf=token).status_code == 404
        assert home.sam.post(f"{path}/delete", {"version": "1"}, csrf=token).status_code == 404
    assert fetch(engine, Expense, theirs["id"]) is not None


def test_the_list_filters_by_dates_member_and_words_and_pages(home: World) -> None:
    start = date.today() - timedelta(days=40)
    for i in range(23):
        day = (start + timedelta(days=i)).isoformat()
        payer = home.alex_member if i % 2 else home.sam_member
        created = home.sam_api.post(
            home.api("expenses"),
            json={
                "description": f"Item {i:02d}{' rent' if i == 5 else ''}",
                "amount": 100 + i,
                "currency": "EUR",
                "date": day,
                "paid_by": payer,
                "split": {"method": "equal", "participants": [{"member_id": payer}]},
            },
        )
        assert created.status_code == 201
    page = home.sam.get(money(home)).text
    assert page.count('aria-label="Edit ') == 20
    older = re.search(r'href="([^"]*cursor=[^"#]*)#expenses">Older expenses', page)
    assert older
    rest = home.sam.get(older.group(1).replace("&amp;", "&")).text
    assert rest.count('aria-label="Edit ') == 4  # 24 in all, with the world's groceries
    assert "Older expenses" not in rest
    found = home.sam.get(money(home), params={"q": "RENT"}).text
    assert found.count('aria-label="Edit ') == 1 and "Item 05 rent" in found
    ranged = home.sam.get(
        money(home),
        params={
            "from": (start + timedelta(days=2)).isoformat(),
            "to": (start + timedelta(days=4)).isoformat(),
        },
    ).text
    assert re.findall(r"<td>Item (\d\d)", ranged) == ["04", "03", "02"]
    alex = home.sam.get(money(home), params={"member": home.alex_member, "q": "Item"}).text
    assert len(re.findall(r"<td>Item \d\d", alex)) == 11  # paid (and alone shares) the odd ones
    assert home.sam.get(money(home), params={"q": "100%"}).text.count('aria-label="Edit ') == 0
    bad = home.sam.get(money(home), params={"from": "soon", "cursor": "nonsense"})
    assert bad.status_code == 422


def test_money_is_formatted_for_the_locale(home: World) -> None:
    german = {"Accept": "text/html", "Accept-Language": "de-DE"}
    page = home.sam.client.get(money(home), headers=german).text
    assert "30,00\xa0€" in page
    text = home.sam.client.get(f"{money(home)}/expenses/{newest(home)['id']}", headers=german).text
    assert 'value="30,00"' in text


def test_edit_delete_and_review_forms_need_the_csrf_token(home: World, engine: Engine) -> None:
    expense = newest(home)
    path = f"{money(home)}/expenses/{expense['id']}"
    version = version_in(edit_page(home, expense["id"]))
    form = equal_form(home, amount="1", version=version)
    assert home.sam.post(path, form, csrf="").status_code == 403
    assert home.sam.post(f"{path}/delete", {"version": version}, csrf="").status_code == 403
    token = home.sam.csrf(path)
    assert (
        home.sam.post(f"{path}/delete", {"version": version}, csrf=token, origin=None).status_code
        == 403
    )
    row = fetch(engine, Expense, expense["id"])
    assert row is not None and row.amount == 3000
    response = home.sam.post(
        f"{money(home)}/reviews/{expense['id']}", {"action": "ignore"}, csrf=""
    )
    assert response.status_code == 403
