"""The money page's bank-file upload and review queue: an upload imports as
`POST …/imports` does (the uploader pays for unmapped accounts), each review row is decided
shared, personal or ignore as `POST …/import-reviews/{id}/resolve` decides it, and bad
input (no file, an unreadable one, a bad choice, another household's row) writes nothing."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.imports.models import ImportedRow, ImportRun
from domain.ledger.models import Expense
from tests.api.conftest import count
from tests.api.imports_builders import qif
from tests.api.web_builders import World, world

DAY = (date.today() - timedelta(days=3)).isoformat()
FILE = qif([(DAY, "-42.00", "Corner shop"), (DAY, "-9.99", "Bookshop")])


@pytest.fixture
def home(app: FastAPI) -> World:
    return world(app)


def money(home: World) -> str:
    return f"{home.home}/money"


def upload(home: World, data: bytes, name: str = "bank.qif", **fields: str) -> Any:
    browser = home.sam
    token = browser.csrf(money(home))
    return browser.client.post(
        f"{money(home)}/imports",
        data={"csrf_token": token, "currency": "EUR", **fields},
        files={"file": (name, data, "application/octet-stream")},
        headers={"Origin": "http://testserver"},
    )


def review_ids(text: str) -> list[str]:
    return re.findall(r'/money/reviews/([0-9a-f-]{36})"', text)


def test_an_upload_imports_and_its_rows_wait_for_review(home: World, engine: Engine) -> None:
    response = upload(home, FILE)
    assert response.status_code == 303, response.text
    assert "uploaded=" in response.headers["location"]
    page = home.sam.get(response.headers["location"].split("#")[0]).text
    assert 'class="notice" role="status"' in page and "bank.qif" in page
    assert "Corner shop" in page and "€42.00" in page.replace("-€", "€")
    api = home.sam_api.get(home.api("import-reviews")).json()["data"]
    assert sorted(review_ids(page)) == sorted(r["id"] for r in api) and len(api) == 2
    runs = home.sam_api.get(home.api("imports")).json()["data"]
    assert runs[0]["counts"]["read"] == 2 and runs[0]["format"] == "qif"


def resolve(home: World, row_id: str, **fields: str) -> Any:
    return home.sam.post(f"{money(home)}/reviews/{row_id}", fields, page=money(home))


def test_shared_makes_the_expense_personal_and_ignore_do_not(home: World, engine: Engine) -> None:
    upload(home, FILE)
    rows = {
        r["payee"]: r["id"] for r in home.sam_api.get(home.api("import-reviews")).json()["data"]
    }
    before = count(engine, Expense)
    response = resolve(home, rows["Corner shop"], action="shared", paid_by=home.alex_member)
    assert response.status_code == 303, response.text
    assert count(engine, Expense) == before + 1
    shared = [
        e
        for e in home.sam_api.get(home.api("expenses")).json()["data"]
        if e["description"] == "Corner shop"
    ]
    assert shared[0]["amount"] == 4200 and shared[0]["paid_by"] == home.alex_member
    assert resolve(home, rows["Bookshop"], action="personal").status_code == 303
    assert count(engine, Expense) == before + 1
    assert home.sam_api.get(home.api("import-reviews")).json()["data"] == []
    assert "Nothing to review." in home.sam.get(money(home)).text


def test_ignore_is_recorded_as_the_api_records_it(home: World, engine: Engine) -> None:
    upload(home, FILE)
    row = home.sam_api.get(home.api("import-reviews")).json()["data"][0]
    assert resolve(home, row["id"], action="ignore").status_code == 303
    assert (
        count(engine, ImportedRow, ImportedRow.id == row["id"], ImportedRow.outcome == "ignored")
        == 1
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "delete"}, "choose shared, personal or ignore"),
        ({}, "choose shared, personal or ignore"),
        ({"action": "shared", "paid_by": "x" * 40}, ""),
    ],
)
def test_a_bad_decision_writes_nothing(
    home: World, engine: Engine, fields: dict[str, str], message: str
) -> None:
    upload(home, FILE)
    row = home.sam_api.get(home.api("import-reviews")).json()["data"][0]
    before = count(engine, Expense)
    response = resolve(home, row["id"], **fields)
    assert response.status_code == 422, response.text
    assert message in response.text
    assert count(engine, Expense) == before
    assert len(home.sam_api.get(home.api("import-reviews")).json()["data"]) == 2


def test_another_households_member_or_row_is_refused(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = world(app)
    upload(home, FILE)
    upload(other, FILE)
    mine = home.sam_api.get(home.api("import-reviews")).json()["data"][0]
    theirs = other.sam_api.get(other.api("import-reviews")).json()["data"][0]
    before = count(engine, Expense)
    response = resolve(home, mine["id"], action="shared", paid_by=other.sam_member)
    assert response.status_code == 422
    assert "not a member of this household" in response.text
    assert resolve(home, theirs["id"], action="shared").status_code == 404
    assert count(engine, Expense) == before


@pytest.mark.parametrize(
    ("data", "name", "fields", "field", "message"),
    [
        (b"", "empty.qif", {}, "file", "the file is empty"),
        (b"\x00\x01\x02binary", "x.bin", {}, "file", ""),
        (b"Date;Amount\n2026-01-01;1,00\n", "bank.csv", {}, "connection_id", "column mapping"),
        (FILE, "bank.qif", {"format": "exe"}, "format", "choose one of the formats listed"),
        (FILE, "bank.qif", {"currency": "EURO"}, "currency", "three-letter"),
    ],
)
def test_an_unreadable_upload_is_refused_and_leaves_no_run(
    home: World,
    engine: Engine,
    data: bytes,
    name: str,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = upload(home, data, name, **fields)
    assert response.status_code == 422, response.text
    assert 'role="alert"' in response.text or f'id="upload-{field}-error"' in response.text
    assert message in response.text
    assert count(engine, ImportRun) == 0 and count(engine, ImportedRow) == 0


def test_no_file_and_no_csrf_are_refused(home: World, engine: Engine) -> None:
    token = home.sam.csrf(money(home))
    response = home.sam.post(f"{money(home)}/imports", {}, csrf=token)
    assert response.status_code == 422 and 'id="upload-file-error"' in response.text
    response = home.sam.client.post(
        f"{money(home)}/imports",
        files={"file": ("bank.qif", FILE)},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 403
    assert count(engine, ImportRun) == 0


def test_a_bank_file_may_be_as_large_as_the_apis_but_no_larger(
    home: World, engine: Engine, settings: Any
) -> None:
    rows = [(DAY, f"-{i % 90 + 1}.00", f"Shop {i} " + "x" * 40) for i in range(20_000)]
    data = qif(rows)
    assert settings.max_body_bytes < len(data) < settings.import_max_bytes
    response = upload(home, data)
    assert response.status_code == 303, response.text[:500]
    assert home.sam_api.get(home.api("imports")).json()["data"][0]["counts"]["read"] == 20_000
    response = upload(home, b"x" * (settings.import_max_bytes + 1))
    assert response.status_code == 413
    assert count(engine, ImportRun) == 1
