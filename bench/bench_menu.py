"""What a menu of fixes costs to rank, measured in one run on this machine.

    python -m bench.bench_menu            # every preset, best of 3
    python -m bench.bench_menu --quick    # the gas station only, best of 1

For each preset: the headline Monte Carlo (both arms, the scenario's draws) and the menu's
evaluation (every combination of its fixes on the same draws, one shared as-is arm and one fixed
arm per combination), and their ratio beside the ratio of arms run (combinations + 1 against 2),
which is what the evaluation should cost if nothing but the arms took time. The CPU model and
NumPy's SIMD dispatch are printed with the timings; the machine is shared, so timings are best-of.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.bench_model import best_of, machine  # noqa: E402
from estimator import evaluate_menu, list_presets, load_preset, monte_carlo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the gas station only, best of 1")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    print(machine())
    monte_carlo(load_preset("gas_station"), draws=256)  # imports and Sobol tables out of the timings
    print(f"{'preset':24s} {'draws':>6s} {'fixes':>5s} {'combos':>6s} {'MC ms':>8s} {'menu ms':>8s} "
          f"{'ratio':>6s} {'arms ratio':>10s}")
    for name in (["gas_station"] if args.quick else list_presets()):
        params = load_preset(name)
        combos = 2 ** len(params.menu) - 1
        mc = best_of(lambda: monte_carlo(params), repeats)
        menu = best_of(lambda: evaluate_menu(params), repeats)
        print(f"{name:24s} {int(params.draws):6d} {len(params.menu):5d} {combos:6d} {mc * 1e3:8.1f} "
              f"{menu * 1e3:8.1f} {menu / mc:6.1f} {(combos + 1) / 2:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
