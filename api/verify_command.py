"""`fairstead verify [--repair]`: recompute the totals the database keeps and report drift.

Member totals and member day totals (domain/ledger/totals.py) are kept by triggers in the
same transaction as every ledger write, and each pot's state after each day and its
expenses' payers (domain/ledger/pots/days.py) by the pot's replay from the changed date;
this recomputes them from the raw rows (a pot: replayed from its start), household by
household, prints every difference, and with `--repair` makes the kept rows equal to the
recomputation. Exit status 1 when drift was found (and not repaired), or a pot's history
no longer replays at all, so a cron job or a health check can alert on it.
"""

import sys

from sqlmodel import col, select

from domain.db import make_engine, unit_of_work
from domain.households.models import Household
from domain.ledger import totals
from domain.ledger.pots import verify as pots
from domain.settings import get_settings


def run_verify(*, repair: bool) -> int:
    engine = make_engine(get_settings().database_url, pool_size=1)
    try:
        with unit_of_work(engine, write=False) as session:
            households = list(
                session.scalars(select(col(Household.id)).order_by(col(Household.id)))
            )
        drifted = unrepaired = 0
        with unit_of_work(engine, write=repair) as session:
            # Only ever filled inside an import's savepoint: a committed row idles the payer
            # and share triggers for every writer (migration 0020_deferred_totals).
            idling = totals.idle_triggers(session)
            if idling:
                print(
                    f"drift\tdeferred_totals holds {idling} row(s): payer and share "
                    "triggers are idle"
                )
                drifted += 1
                if repair:
                    totals.wake_triggers(session)
        for household_id in households:
            # Under the write lock when repairing, so no write lands between the two reads.
            with unit_of_work(engine, write=repair) as session:
                found = totals.drift(session, household_id=household_id)
                for item in found:
                    print(
                        f"drift\thousehold {item.household_id}\tmember {item.member_id}\t"
                        f"kept {_fields(item.kept)}\trecomputed {_fields(item.recomputed)}"
                    )
                days = totals.day_drift(session, household_id=household_id)
                for (member_id, day), (have, want) in sorted(days.items()):
                    print(
                        f"drift\thousehold {household_id}\tmember {member_id}\tday {day}\t"
                        f"kept contributed={have[0]} owed={have[1]}\t"
                        f"recomputed contributed={want[0]} owed={want[1]}"
                    )
                pot_drift = pots.drift(session, household_id=household_id)
                for pot in pot_drift:
                    print(f"drift\thousehold {household_id}\tpot {pot.pot_id}\t{pot.what}")
                if found and repair:
                    totals.repair(session, found)
                if days and repair:
                    totals.repair_days(session, household_id=household_id)
                if pot_drift and repair:
                    pots.repair(session, pot_drift)
                    unrepaired += any(not pot.repairable for pot in pot_drift)
            drifted += bool(found or days or pot_drift)
    finally:
        engine.dispose()
    state = "repaired" if repair and drifted else "drifted"
    print(f"{len(households)} household(s) checked, {drifted} {state}", file=sys.stderr)
    return 1 if (drifted and not repair) or unrepaired else 0


def _fields(value: totals.Totals) -> str:
    return f"paid={value.paid} owed={value.owed} sent={value.sent} received={value.received}"
