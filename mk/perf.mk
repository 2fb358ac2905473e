# The scale curve: balances, settle-up, the fairness summary and report and an expense page
# at 1k, 10k and 100k expenses, a 304 revalidation and POST /expenses, each beside a bare
# FastAPI endpoint measured in the same run, then the hot reads under 8 connections at 1k and
# 100k (bench/load), and the RSS of `fairstead serve` after start (bench/scale.py; figures
# kept in bench/RESULTS.md). `make bench-scale SCALE_ARGS=--quick` stops at 10k;
# `make bench-scale-pg` measures PostgreSQL in SCALE_PG_URL, a database of the bench's own
# (its name must contain "bench") that the run drops and creates again.
SCALE_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/fairstead_bench

.PHONY: bench-scale bench-scale-pg
bench-scale: $(VENV)/.dev-installed
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

bench-scale-pg: $(VENV)/.dev-installed
	$(BIN)/python bench/scale.py --no-rss --pg-url "$(SCALE_PG_URL)" $(SCALE_ARGS)
