# The race suite: two `fairstead serve` processes on one database, on SQLite and on
# PostgreSQL (its own database `fairstead_races`, created and dropped on the server that
# FAIRSTEAD_RACES_PG_URL names; skipped with one line when unreachable, except under CI),
# concurrent clients for last admin, double accept and claim, pot withdrawals and bills, one
# Idempotency-Key at once, one occurrence completed at once, and votes racing a close.
# Prints requests sent, 2xx, rows stored, lost, duplicated and 5xx per scenario.
.PHONY: test-races
test-races: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests/races -p no:cacheprovider

TEST_SUITES += test-races
