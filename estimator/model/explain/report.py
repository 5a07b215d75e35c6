"""One scenario's results, each part computed on first use.

The dashboard, the command line and the slide deck all read a scenario's results through a
``Report``, so "scenario → results" is wired once: the deterministic run, the Monte Carlo,
the channel split, the cost of one shrug, the tornado and what better complaint recovery is
worth. A part is computed the first time it is read and kept; a report is safe to share
between threads (each part is computed once, under its own lock).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from ..engine.lanes import Lanes
from ..engine.menu import MenuResult, evaluate_menu
from ..engine.runs import SimulationResult, simulate
from ..engine.sampling import sample_lanes
from ..engine.uncertainty import MonteCarloResult, monte_carlo
from ..inputs.params import Params
from .analyses import IncidentLadder, TornadoRow
from .bridge import BridgeStep
from .decompositions import Story, channel_split, story_over_draws, what_matters_most

T = TypeVar("T")


class _Part(Generic[T]):
    """A report attribute computed by ``compute(report)`` on first read, once per report."""

    def __init__(self, compute: Callable[[Report], T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, report: None, owner: type | None = None) -> _Part[T]: ...
    @overload
    def __get__(self, report: Report, owner: type | None = None) -> T: ...
    def __get__(self, report: Report | None, owner: type | None = None) -> T | _Part[T]:
        if report is None:  # read off the class: the descriptor itself
            return self
        done = report._done
        if self.name not in done:
            with report._locks[self.name]:
                if self.name not in done:
                    done[self.name] = self.compute(report)
        return done[self.name]


class Report:
    """Everything the product shows for one scenario, each part computed on first use.

    Every figure is a mean over the Monte Carlo's draws (``mc.value``), and every decomposition
    (``channels``, ``ladder``, ``bridge``, ``tornado``) is a mean over the same draws, so its parts
    add up to the headline (docs/methodology.md, section 5b). ``det``, the run at the most likely
    values, is kept for tests and the command line's ``--modes``; no surface shows it beside a
    headline.

    Parameters
    ----------
    params : Params
        The scenario.
    keep_draws : bool, default False
        Keep every Monte Carlo draw's inputs and outputs (``mc.samples``, ``mc.inputs``); off by
        default, since the bands and summaries are all a page or a deck shows.

    Examples
    --------
    >>> from estimator import load_preset
    >>> report = Report(load_preset("gas_station").replace(draws=1_000))
    >>> report.computed()
    []
    >>> report.det.pv_revenue_loss > 0
    True
    >>> report.computed()
    ['det']
    """

    PARTS: tuple[str, ...] = ("det", "mc", "channels", "story", "menu")

    def __init__(
        self, params: Params, keep_draws: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> None:
        self.params = params
        self.keep_draws = keep_draws
        self.progress = progress  # told how far the Monte Carlo is (``monte_carlo``'s ``progress``)
        self._done: dict[str, Any] = {}
        self._tornado: list[TornadoRow] = []
        self._tornado_npv: list[TornadoRow] = []
        self._locks = {name: threading.Lock() for name in self.PARTS}

    @classmethod
    def from_json(cls, params_json: str) -> Report:
        """A report of the scenario serialised by ``Params.model_dump_json``."""
        return cls(Params.model_validate_json(params_json))

    def computed(self) -> list[str]:
        """Names of the parts computed so far, in ``PARTS`` order."""
        return [name for name in self.PARTS if name in self._done]

    @_Part
    def det(self) -> SimulationResult:
        """The deterministic run at the modes (``simulate``)."""
        return simulate(self.params)

    @_Part
    def mc(self) -> MonteCarloResult:
        """The Monte Carlo with the scenario's draws and seed (``monte_carlo``): every headline figure.

        What matters most is taken here, while every draw is at hand (about 1 ms), so that a
        report need not keep the draws (a few MB) to rank them later."""
        result = monte_carlo(self.params, progress=self.progress)
        self._tornado = what_matters_most(self.params, result.inputs, result.samples["pv_revenue_loss"])
        self._tornado_npv = what_matters_most(self.params, result.inputs, result.samples["npv_fix"])
        return result if self.keep_draws else dataclasses.replace(result, samples={}, inputs={})

    def draws(self) -> Lanes:
        """The Monte Carlo's draws (made again from its seed: the same numbers, not kept in memory)."""
        return sample_lanes(self.params, self.mc.draws, self.mc.seed)

    @_Part
    def channels(self) -> dict[str, float]:
        """The mean loss split by channel over the same draws (``explain.channel_split``)."""
        return channel_split(self.params, self.draws(), self.mc.value("pv_revenue_loss"))

    @_Part
    def story(self) -> Story:
        """The cost of one shrug and the bridge, as means over the same draws (``explain.story_over_draws``)."""
        return story_over_draws(self.params, self.draws(), self.mc.value("pv_revenue_loss"))

    @_Part
    def menu(self) -> MenuResult:
        """Every combination of the scenario's menu of fixes on its own draws, ranked, with the best
        within its budget (``menu.evaluate_menu``); nothing is simulated for a scenario without a menu."""
        return evaluate_menu(
            self.params, budget_once=self.params.budget_once, budget_per_month=self.params.budget_per_month
        )

    @property
    def ladder(self) -> IncidentLadder:
        """The cost of one shrug, rung by rung, mean over the draws."""
        return self.story.ladder

    @property
    def bridge(self) -> list[BridgeStep]:
        """From the folk arithmetic to the headline's mean loss, step by step (``bridge``)."""
        return self.story.bridge

    @property
    def tornado(self) -> list[TornadoRow]:
        """What matters most: conditional mean losses in each parameter's lowest and highest fifth
        (``explain.what_matters_most``), taken with the Monte Carlo."""
        self.mc  # noqa: B018  (reading the part computes it, and the rows with it)
        return self._tornado

    @property
    def tornado_npv(self) -> list[TornadoRow]:
        """What moves the fix's net present value most, the same way (the margin and the fix's costs
        move it, not the revenue lost); ``loss_at_low``/``loss_at_high`` hold mean NPVs."""
        self.mc  # noqa: B018
        return self._tornado_npv
