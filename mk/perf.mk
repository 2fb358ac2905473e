# The scale curve: balances, settle-up, the fairness summary and report and an expense page
# at 1k, 10k and 100k expenses, a 304 revalidation and POST /expenses, each beside a bare
# FastAPI endpoint measured in the same run, and the RSS of `fairstead serve` after start
# (bench/scale.py; figures kept in bench/RESULTS.md). `make bench-scale SCALE_ARGS=--quick`
# stops at 10k; SCALE_ARGS="--database-url postgresql+psycopg://..." measures PostgreSQL
# (an empty database).
.PHONY: bench-scale
bench-scale: $(VENV)/.dev-installed
	$(BIN)/python bench/scale.py $(SCALE_ARGS)
