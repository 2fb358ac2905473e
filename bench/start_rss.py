"""RSS of `fairstead serve` right after it answers /healthz, beside a bare uvicorn app.

    .venv/bin/python -m bench.start_rss [--runs N]

The measurement of bench/scale.py (`_rss_figures`), alone and repeated, without the curve.
"""

import argparse
import statistics

from bench.scale import _rss_figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = [_rss_figures() for _ in range(parser.parse_args().runs)]
    for name in runs[0]:
        figures = [run[name] for run in runs]
        shown = ", ".join(f"{mb:.0f}" for mb in figures)
        print(f"RSS after start, {name}: median {statistics.median(figures):.0f} MB ({shown})")


if __name__ == "__main__":
    main()
