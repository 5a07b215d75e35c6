"""How many Monte Carlo draws each preset needs for the stated accuracy.

    python -m bench.draws_for_accuracy                          # every preset (some minutes)
    python -m bench.draws_for_accuracy --presets airline,hotel --seeds 20

The stated accuracy (tests/test_accuracy.py; docs/methodology.md, section 5): over fresh seeds and the
outputs revenue lost, profit lost and customers lost, the 95th percentile of the relative error against a
2^18-point reference must be at most 0.1 % for the mean, 1.5 % for the median and 2.5 % for the worse of
P10 and P90. Presets differ in how many uncertain parameters they have and how skewed their losses are,
so one draw count for all is more than most need: every slider move pays for the extra draws.

For each preset this computes the reference once, then, at 1,024, 2,048, 4,096 and 8,192 scrambled Sobol
points (powers of two keep the Sobol balance), the three 95th-percentile errors, and prints them with
whether they meet the limits and the margin: the worst of the three errors as a share of its limit. Below
the table: per preset the smallest count that meets all three, and the count chosen for its ``draws``: that
one, or the next power of two where its margin is above 85 % (room for another machine's NumPy), never
above 8,192. Presets with nothing uncertain (folklore) need no Monte Carlo accuracy and are only listed.

Notes
-----
The error definitions (``relative_errors``, ``worst_errors``, ``LIMITS``, the reference run) are imported
from tests/test_accuracy.py, so that the bench and the test measure the same thing. The numbers are
deterministic (fixed seeds); this measures accuracy, not time.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from estimator import list_presets, load_preset  # noqa: E402
from tests.test_accuracy import (  # noqa: E402  (the test's own error definitions, one copy)
    LIMITS, MAX_DRAWS, SEEDS, has_uncertainty, reference_headline, relative_errors, worst_errors)

#: Draw counts tried: powers of two, so that the scrambled Sobol points stay balanced.
DRAW_COUNTS = (1024, 2048, 4096, 8192)
#: Largest margin (worst error as a share of its limit) accepted at the chosen count.
MARGIN = 0.85


@dataclass(frozen=True)
class Row:
    """One preset at one draw count: the 95th-percentile errors and how they stand against the limits."""

    preset: str
    draws: int
    errors: dict[str, float]

    @property
    def margin(self) -> float:
        """The worst of the errors as a share of its limit (1 = at the limit)."""
        return max(self.errors[kind] / limit for kind, limit in LIMITS.items())

    @property
    def meets(self) -> bool:
        return self.margin <= 1


def measure(preset: str, seeds: range, counts: tuple[int, ...] = DRAW_COUNTS, design: str = "sobol") -> list[Row]:
    """The preset's rows at every count in ``counts``, against one reference run (Sobol, 2^18 points)."""
    p = load_preset(preset)
    reference = reference_headline(p)
    return [Row(preset, n, worst_errors(relative_errors(p, reference, draws=n, seeds=seeds, design=design)))
            for n in counts]


def smallest_meeting(rows: list[Row]) -> Row | None:
    """The row of the smallest count that meets all three limits, or None."""
    return next((row for row in rows if row.meets), None)


def chosen(rows: list[Row]) -> Row | None:
    """The count to use: the smallest that meets the limits, or the next one where its margin is above
    ``MARGIN``; never above ``MAX_DRAWS`` (so the largest tried count if that is all that meets)."""
    allowed = [row for row in rows if row.draws <= MAX_DRAWS]
    first = smallest_meeting(allowed)
    if first is None:
        return None
    if first.margin > MARGIN:
        larger = [row for row in allowed if row.draws > first.draws]
        return larger[0] if larger else first
    return first


def format_row(row: Row) -> str:
    e = row.errors
    return (f"{row.preset:<22} {row.draws:>6,} {e['mean']:>9.4%} {e['median']:>9.3%} {e['tail']:>9.3%}"
            f" {'yes' if row.meets else 'no':>6} {row.margin:>7.0%}")


def print_header(seeds: range) -> None:
    limits = f"limits: mean {LIMITS['mean']:.1%}, median {LIMITS['median']:.1%}, P10/P90 {LIMITS['tail']:.1%}"
    print(f"95th percentile of the relative error over {len(seeds)} seeds x 3 outputs; {limits}; "
          f"margin = worst error as a share of its limit")
    print(f"{'preset':<22} {'draws':>6} {'mean':>9} {'median':>9} {'P10/P90':>9} {'meets?':>6} {'margin':>7}")


def print_summary(results: dict[str, list[Row] | None]) -> None:
    print(f"\n{'preset':<22} {'smallest meeting':>16} {'margin':>7} {'chosen':>7} {'margin':>7}")
    for preset, rows in results.items():
        if rows is None:
            print(f"{preset:<22} nothing uncertain: no Monte Carlo accuracy needed, draws left as they are")
            continue
        first, pick = smallest_meeting(rows), chosen(rows)
        if first is None or pick is None:
            print(f"{preset:<22} {'none up to ' + format(DRAW_COUNTS[-1], ','):>16}")
            continue
        note = "" if pick.margin <= MARGIN else "  (above the margin rule, but no more than 8,192)"
        print(f"{preset:<22} {first.draws:>16,} {first.margin:>7.0%} {pick.draws:>7,} {pick.margin:>7.0%}{note}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="", help="comma-separated presets (default: all)")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help=f"seeds from {SEEDS.start} on (default: %(default)s)")
    parser.add_argument("--design", choices=("sobol", "random"), default="sobol",
                        help="scrambled Sobol points (the model's) or plain Monte Carlo, the yardstick of bench_model")
    parser.add_argument("--counts", default=",".join(str(n) for n in DRAW_COUNTS),
                        help="comma-separated draw counts (default: %(default)s)")
    args = parser.parse_args(argv)
    known = list_presets()
    args.presets = [name.strip() for name in args.presets.split(",") if name.strip()] or known
    unknown = [name for name in args.presets if name not in known]
    if unknown:
        parser.error(f"unknown preset(s) {', '.join(unknown)}; known: {', '.join(known)}")
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    args.counts = tuple(int(n) for n in args.counts.split(","))
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    seeds = range(SEEDS.start, SEEDS.start + args.seeds)
    print_header(seeds)
    results: dict[str, list[Row] | None] = {}
    for preset in args.presets:
        if not has_uncertainty(load_preset(preset)):
            results[preset] = None
            print(f"{preset:<22} nothing uncertain", flush=True)
            continue
        results[preset] = measure(preset, seeds, args.counts, args.design)
        for row in results[preset]:
            print(format_row(row), flush=True)
    print_summary(results)


if __name__ == "__main__":
    main()
