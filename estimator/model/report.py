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
from typing import Any, Generic, TypeVar

from .analyses import IncidentLadder, TornadoRow, channel_attribution, incident_ladder, tornado
from .bridge import BridgeStep, folk_to_model
from .params import Params
from .runs import SimulationResult, simulate
from .uncertainty import MonteCarloResult, monte_carlo

T = TypeVar("T")


class _Part(Generic[T]):
    """A report attribute computed by ``compute(report)`` on first read, once per report."""

    def __init__(self, compute: Callable[["Report"], T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, report: "Report | None", owner: type | None = None) -> T:
        if report is None:
            return self  # type: ignore[return-value]
        done = report._done
        if self.name not in done:
            with report._locks[self.name]:
                if self.name not in done:
                    done[self.name] = self.compute(report)
        return done[self.name]


class Report:
    """Everything the product shows for one scenario, each part computed on first use.

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

    PARTS: tuple[str, ...] = ("det", "mc", "channels", "ladder", "bridge", "tornado")

    def __init__(self, params: Params, keep_draws: bool = False) -> None:
        self.params = params
        self.keep_draws = keep_draws
        self._done: dict[str, Any] = {}
        self._locks = {name: threading.Lock() for name in self.PARTS}

    @classmethod
    def from_json(cls, params_json: str) -> "Report":
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
        """The Monte Carlo with the scenario's draws and seed (``monte_carlo``)."""
        result = monte_carlo(self.params)
        return result if self.keep_draws else dataclasses.replace(result, samples={}, inputs={})

    @_Part
    def channels(self) -> dict[str, float]:
        """The loss split by channel at the modes (``channel_attribution``)."""
        return channel_attribution(self.params)

    @_Part
    def ladder(self) -> IncidentLadder:
        """The cost of one shrug, rung by rung (``incident_ladder``)."""
        return incident_ladder(self.params, self.det)

    @_Part
    def bridge(self) -> list[BridgeStep]:
        """From one shrug × every customer not helped to the model's loss (``folk_to_model``)."""
        return folk_to_model(self.params, self.det)

    @_Part
    def tornado(self) -> list[TornadoRow]:
        """One-at-a-time sensitivity of the loss (``tornado``)."""
        return tornado(self.params)
