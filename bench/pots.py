"""Pot benchmark: the latency of recording one more bill paid from a joint account whose
history grows (every change replays the pot; only the payers that move are rewritten).

Run by hand (not a test): `.venv/bin/python bench/pots.py [--sizes 100,1000,3000]`.

A fresh SQLite file built by the migrations; two members put money into one pot every
tenth entry and the pot pays a bill at every other, all through the API. At each size the
median and p95 of `--requests` further POST /expenses are reported.
"""

import argparse
import logging
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from domain.db import make_engine
from domain.settings import Settings
from migrations.runner import upgrade

START = date(2020, 1, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=5)
        settings = Settings(database_url=url, db_pool_size=5, deliver_in_process=False)
        with TestClient(create_app(settings, engine=engine)) as client:
            headers, base, members, pot_id = _household(client)
            entries = 0
            for size in sizes:
                while entries < size:
                    _entry(client, headers, base, members, pot_id, entries)
                    entries += 1
                took = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    _entry(client, headers, base, members, pot_id, entries, bill=True)
                    took.append((time.perf_counter() - started) * 1000)
                    entries += 1
                took.sort()
                p95 = took[max(0, int(len(took) * 0.95) - 1)]
                print(
                    f"pot with {size:>5} entries: one more bill "
                    f"median {statistics.median(took):6.1f} ms, p95 {p95:6.1f} ms"
                )
        engine.dispose()
    return 0


def _household(client: TestClient) -> tuple[dict[str, str], str, list[str], str]:
    body = {"email": "bench@example.org", "password": "correct horse battery"}
    client.post("/v1/users", json={**body, "display_name": "Sam"})
    token = client.post("/v1/tokens", json={**body, "name": "bench"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    household = client.post(
        "/v1/households",
        json={"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    ).json()
    base = f"/v1/households/{household['id']}"
    sam = client.get(f"{base}/members", headers=headers).json()["data"][0]["id"]
    alex = client.post(f"{base}/members", json={"display_name": "Alex"}, headers=headers)
    pot = client.post(f"{base}/pots", json={"name": "Joint"}, headers=headers).json()
    return headers, base, [sam, alex.json()["id"]], pot["id"]


def _entry(
    client: TestClient,
    headers: dict[str, str],
    base: str,
    members: list[str],
    pot_id: str,
    index: int,
    *,
    bill: bool = False,
) -> None:
    day = (START + timedelta(days=index // 4)).isoformat()
    if not bill and index % 10 == 0:
        path = f"{base}/pots/{pot_id}/contributions"
        body = {"member_id": members[index % 20 // 10], "amount": 200_000, "currency": "EUR",
                "date": day}  # fmt: skip
    else:
        path = f"{base}/expenses"
        body = {"description": "Bill", "amount": 1999, "currency": "EUR", "date": day,
                "paid_by_pot": pot_id}  # fmt: skip
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text


if __name__ == "__main__":
    raise SystemExit(main())
