"""Bank files and helpers for the import tests."""

from collections.abc import Sequence
from typing import Any

from tests.api.conftest import Caller

Row = tuple[str, str, str]  # (date YYYY-MM-DD, amount "-3.20", payee)


def qif(rows: Sequence[Row]) -> bytes:
    """A QIF bank register; ISO dates read the same month- or day-first."""
    lines = ["!Type:Bank"]
    for day, amount, payee in rows:
        lines += [f"D{day}", f"T{amount}", f"P{payee}", "^"]
    return ("\n".join(lines) + "\n").encode()


def csv_file(rows: Sequence[Row], *, preamble: Sequence[str] = ()) -> bytes:
    lines = [*preamble, "Date;Amount;Payee"]
    lines += [f"{day};{amount.replace('.', ',')};{payee}" for day, amount, payee in rows]
    return ("\n".join(lines) + "\n").encode()


CSV_MAPPING = {
    "date_column": "Date",
    "amount_column": "Amount",
    "payee_column": "Payee",
    "decimal_separator": ",",
    "currency": "EUR",
    "delimiter": ";",
}


def upload(
    caller: Caller,
    household_id: str,
    data: bytes,
    *,
    filename: str = "statement.qif",
    **form: str,
) -> Any:
    if filename.endswith(".qif"):
        form.setdefault("currency", "EUR")
    return caller.post(
        f"/v1/households/{household_id}/imports",
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
    )


def imported(caller: Caller, household_id: str, data: bytes, **form: str) -> dict[str, Any]:
    response = upload(caller, household_id, data, **form)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def rule(caller: Caller, household_id: str, **fields: Any) -> dict[str, Any]:
    response = caller.post(f"/v1/households/{household_id}/import-rules", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def share_everything(caller: Caller, household_id: str) -> dict[str, Any]:
    """A catch-all rule: every row becomes a shared expense."""
    return rule(caller, household_id, name="everything", action="shared")


def expenses(caller: Caller, household_id: str) -> list[dict[str, Any]]:
    response = caller.get(f"/v1/households/{household_id}/expenses", params={"limit": 200})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def reviews(caller: Caller, household_id: str) -> list[dict[str, Any]]:
    response = caller.get(f"/v1/households/{household_id}/import-reviews", params={"limit": 200})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def member_of(caller: Caller, household_id: str) -> str:
    """The caller's own member id in the household."""
    members = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    return str(next(m["id"] for m in members if m["user_id"] == caller.user_id))
