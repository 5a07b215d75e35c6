"""The business in its own units: the figures a manager knows, turned into model parameters by stated formulas.

A hotelier counts rooms, occupancy and nights, not "6,000 regular customers who come 0.1 times a month". Per kind
of business a ``UnitsBlock`` declares its inputs, the function from them to model parameters and the formulas as
text. The inputs are *not* model parameters: the catalogue stays the one place those are declared, and every value
computed is checked against its bounds. At its defaults each block reproduces its preset exactly or to the preset's
rounding (``UnitsBlock.note``; docs/methodology.md, section 2.5).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ..inputs.catalogue import SPECS
from ..inputs.params import FROM_TO, MARKET_NOT_LARGER, check_value
from ..inputs.text import Text

Values = dict[str, float]
DAYS_PER_YEAR, WEEKS_PER_YEAR, MONTHS_PER_YEAR = 365, 52, 12

#: The messages of an input or a result refused (templates for ``Text``).
UNKNOWN_KIND = "unknown kind of business '{kind}'; known: {known}"
UNKNOWN_INPUTS = "{block}: unknown input(s) {names}; allowed: {allowed}"
INPUT_NOT_A_NUMBER = "{label} ({name}) must be a finite number (got {value}); allowed: {allowed} {unit}"
INPUT_OUT_OF_RANGE = "{label} ({name}) = {value:g} is outside the allowed range {allowed} {unit}"
INPUT_NOT_WHOLE = "{label} ({name}) = {value:g} must be a whole number; allowed: {allowed} {unit}"
RESULT_REFUSED = "{block}: {problem} (computed from the inputs)"
CANNOT_SHOW = "{block}: for these parameters, {label} ({name}) would have to be {value:g}; allowed: {allowed} {unit}"
MESSAGES: tuple[str, ...] = (UNKNOWN_KIND, UNKNOWN_INPUTS, INPUT_NOT_A_NUMBER, INPUT_OUT_OF_RANGE, INPUT_NOT_WHOLE,
                             RESULT_REFUSED, CANNOT_SHOW)


def _as_number(value: Any) -> float:
    """``value`` as a float; NaN for anything but a real number of at most 1e300 (a bool, a string, 10**400)."""
    real = isinstance(value, Real) and not isinstance(value, bool)  # then ±1e300 by < and <=, all a Real has
    return float(value) if real and value <= 1e300 and not value < -1e300 else math.nan


@dataclass(frozen=True)
class UnitInput:
    """One figure a manager knows (not a model parameter); bounds inclusive, ``integer`` ones whole numbers."""

    name: str
    label: str
    unit: str
    default: float
    lower: float
    upper: float
    step: float
    help: str
    integer: bool = False

    def allowed(self) -> Text:
        """The allowed range as a text another language can say, e.g. ``1 to 100,000``."""
        low, high = (int(x) if float(x).is_integer() else x for x in (self.lower, self.upper))
        return Text(FROM_TO, low=low, high=high)

    def check(self, value: Any) -> float:
        """``value`` as a float; ``ValueError`` naming this input and its range if it is not a finite real number
        (a bool, a string, NaN), out of range, or not whole where it must be."""
        number = _as_number(value)
        problem = (INPUT_NOT_A_NUMBER if not math.isfinite(number) else INPUT_OUT_OF_RANGE
                   if not self.lower <= number <= self.upper else INPUT_NOT_WHOLE
                   if self.integer and not number.is_integer() else None)
        if problem:
            raise ValueError(Text(problem, value=number if math.isfinite(number) else repr(value)[:40],
                                  label=Text(self.label), name=self.name, allowed=self.allowed(), unit=Text(self.unit)))
        return number


@dataclass(frozen=True, eq=False)
class UnitsBlock:
    """One kind of business: its inputs, and the formulas from them to model parameters and back.

    ``compute`` maps checked inputs to model parameters. ``solves``: for each parameter, in order, the input
    ``from_parameters`` solves for it (the parameter is affine in it once those before are solved). ``formulas``
    are shown beside the inputs; ``note`` is the defaults' hand calculation against the preset."""

    kind: str
    title: str
    inputs: tuple[UnitInput, ...]
    compute: Callable[[Mapping[str, float]], Values]
    solves: dict[str, str]
    formulas: tuple[str, ...]
    note: str

    @property
    def defaults(self) -> Values:
        """Every input at its default."""
        return {item.name: float(item.default) for item in self.inputs}

    @property
    def produces(self) -> tuple[str, ...]:
        """The model parameters this block computes, in the order ``to_parameters`` returns them."""
        return tuple(self.compute(self.defaults))

    @property
    def kept(self) -> tuple[str, ...]:
        """The inputs ``from_parameters`` keeps as entered: those the model cannot give back."""
        return tuple(name for name in self.defaults if name not in self.solves.values())


HOTEL = UnitsBlock(
    "hotel", "Hotel",
    (UnitInput("rooms", "Rooms", "rooms", 120, 1, 100_000, 1, "Rooms the hotel lets.", integer=True),
     UnitInput("occupancy", "Occupancy", "share of room nights", 0.70, 0, 1, 0.01,
               "Share of room nights sold in a year."),
     UnitInput("stay_nights", "Average stay", "nights", 2, 1, 365, 0.1, "Nights a stay lasts, on average."),
     UnitInput("rate_per_night", "Average rate a night", "currency/night", 140, 0, 100_000, 5, "Room revenue a night."),
     UnitInput("extras_per_stay", "Extras a stay", "currency/stay", 40, 0, 100_000, 5, "Breakfast, bar and parking."),
     UnitInput("returning_share", "Returning guests' share of stays", "share of stays", 0.47, 0, 1, 0.01,
               "Share of stays by guests who have stayed before and may come again."),
     UnitInput("stays_per_year", "Stays a year by a returning guest", "stays/guest/year", 1.2, 0.6, 365, 0.1,
               "How often a returning guest stays, a year (1.2: a little more than once a year).")),
    lambda v: {"customers": v["returning_share"] * v["rooms"] * v["occupancy"] * DAYS_PER_YEAR
               / v["stay_nights"] / v["stays_per_year"],
               "visits_per_month": v["stays_per_year"] / MONTHS_PER_YEAR,
               "spend_per_visit": v["stay_nights"] * v["rate_per_night"] + v["extras_per_stay"]},
    {"visits_per_month": "stays_per_year", "customers": "returning_share", "spend_per_visit": "rate_per_night"},
    ("Regular customers = returning guests' share of stays × rooms × occupancy × 365 / average stay / stays a year "
     "by a returning guest",
     "Visits per customer a month = stays a year by a returning guest / 12",
     "Spend per visit = average stay × average rate a night + extras a stay"),
    "At the defaults: 0.47 × 120 × 0.70 × 365 / 2 / 1.2 = 6,004 regular customers (the preset's 6,000, a figure "
    "given to two digits); 1.2 / 12 = 0.1 visits a month; 2 × 140 + 40 = 320 a visit (the preset's two nights at "
    "about 140 EUR plus breakfast and bar).")

ONLINE_SHOP = UnitsBlock(
    "online_shop", "Online shop",
    (UnitInput("orders_per_month", "Orders a month", "orders/month", 40_000, 1, 100_000_000, 1_000,
               "All orders a month, from new and repeat buyers."),
     UnitInput("repeat_share", "Repeat buyers' share of orders", "share of orders", 0.5, 0, 1, 0.01,
               "Share of orders placed by buyers who have ordered before."),
     UnitInput("orders_per_year", "Orders a year by a repeat buyer", "orders/buyer/year", 6, 0.6, 720, 0.5,
               "How often a repeat buyer orders, a year."),
     UnitInput("order_value", "Average order value", "currency/order", 60, 0.01, 1_000_000, 1, "Revenue per order.")),
    lambda v: {"customers": v["orders_per_month"] * MONTHS_PER_YEAR * v["repeat_share"] / v["orders_per_year"],
               "visits_per_month": v["orders_per_year"] / MONTHS_PER_YEAR, "spend_per_visit": v["order_value"]},
    {"visits_per_month": "orders_per_year", "customers": "orders_per_month", "spend_per_visit": "order_value"},
    ("Regular customers = orders a month × 12 × repeat buyers' share of orders / orders a year by a repeat buyer",
     "Visits per customer a month = orders a year by a repeat buyer / 12", "Spend per visit = average order value"),
    "At the defaults: 40,000 × 12 × 0.5 / 6 = 40,000 regular customers; 6 / 12 = 0.5 orders a month (an order "
    "every two months); 60 an order: the preset exactly.")

CONTACT_CENTRE = UnitsBlock(
    "contact_centre", "Contact centre",
    (UnitInput("subscribers", "Subscribers", "people", 200_000, 1, 10_000_000, 1_000,
               "Customers paying a subscription.", integer=True),
     UnitInput("contacts_per_month", "Contacts a month", "contacts/month", 30_000, 1, 1_000_000_000, 1_000,
               "Calls, chats and e-mails to customer service a month."),
     UnitInput("revenue_per_subscriber_month", "Revenue a month per subscriber", "currency/subscriber/month",
               40, 0.01, 1_000_000, 1, "Average subscription revenue a subscriber brings in a month.")),
    lambda v: {"customers": v["subscribers"], "visits_per_month": v["contacts_per_month"] / v["subscribers"],
               "spend_per_visit": v["revenue_per_subscriber_month"] * v["subscribers"] / v["contacts_per_month"]},
    {"customers": "subscribers", "visits_per_month": "contacts_per_month",
     "spend_per_visit": "revenue_per_subscriber_month"},
    ("Regular customers = subscribers", "Visits per customer a month = contacts a month / subscribers",
     "Spend per visit = revenue a month per subscriber / (contacts a month / subscribers)"),
    "At the defaults: 200,000 subscribers; 30,000 / 200,000 = 0.15 contacts a month (about twice a year); "
    "40 / 0.15 = 266.67 a contact, which the preset rounds to 267.")

RESTAURANT = UnitsBlock(
    "restaurant", "Restaurant",
    (UnitInput("seats", "Seats", "seats", 60, 1, 10_000, 1, "Seats in the dining room.", integer=True),
     UnitInput("turns_per_day", "Covers a day per seat (table turns)", "covers/seat/day", 2, 0.01, 50, 0.1,
               "Guests served a day per seat: covers a day divided by seats."),
     UnitInput("days_open_per_month", "Days open a month", "days/month", 25, 1, 31, 1, "Days the doors open a month."),
     UnitInput("regulars_share", "Regulars' share of covers", "share of covers", 0.75, 0, 1, 0.01,
               "Share of the guests served who are regulars."),
     UnitInput("regular_visits_per_month", "Visits a month by a regular", "visits/regular/month", 1.5, 0.05, 60,
               0.1, "How often a regular comes, a month."),
     UnitInput("bill_per_cover", "Average bill a guest", "currency/cover", 40, 0.01, 1_000_000, 1, "Food and drink.")),
    lambda v: {"customers": v["seats"] * v["turns_per_day"] * v["days_open_per_month"] * v["regulars_share"]
               / v["regular_visits_per_month"],
               "visits_per_month": v["regular_visits_per_month"], "spend_per_visit": v["bill_per_cover"]},
    {"visits_per_month": "regular_visits_per_month", "customers": "turns_per_day", "spend_per_visit": "bill_per_cover"},
    ("Regular customers = seats × covers a day per seat × days open a month × regulars' share of covers / visits "
     "a month by a regular",
     "Visits per customer a month = visits a month by a regular", "Spend per visit = average bill a guest"),
    "At the defaults: 60 × 2 × 25 × 0.75 / 1.5 = 1,500 regular customers of a 60-seat restaurant; 1.5 visits "
    "a month; 40 a visit: the preset exactly.")

GAS_STATION = UnitsBlock(
    "gas_station", "Gas station",
    (UnitInput("customers_per_week", "Customers a week (till receipts)", "visits/week", 5_000, 1, 100_000_000, 100,
               "Customer visits a week, regulars and passers-by, as the till counts them."),
     UnitInput("regulars_share", "Regulars' share of customers", "share of visits", 0.5, 0, 1, 0.01,
               "Share of the week's customer visits made by regulars."),
     UnitInput("regular_visits_per_week", "Visits a week by a regular", "visits/regular/week", 1, 0.02, 14, 0.1,
               "How often a regular comes, a week (1: weekly)."),
     UnitInput("average_spend", "Average spend a visit", "currency/visit", 35, 0.01, 1_000_000, 1,
               "Average revenue of a visit: fuel, shop and café.")),
    lambda v: {"customers": v["customers_per_week"] * v["regulars_share"] / v["regular_visits_per_week"],
               "visits_per_month": v["regular_visits_per_week"] * WEEKS_PER_YEAR / MONTHS_PER_YEAR,
               "spend_per_visit": v["average_spend"]},
    {"visits_per_month": "regular_visits_per_week", "customers": "customers_per_week",
     "spend_per_visit": "average_spend"},
    ("Regular customers = customers a week × regulars' share of customers / visits a week by a regular",
     "Visits per customer a month = visits a week by a regular × 52 / 12", "Spend per visit = average spend a visit"),
    "At the defaults: 5,000 × 0.5 / 1 = 2,500 regular customers; 1 × 52 / 12 = 4.33 visits a month, which the "
    "preset rounds to 4.3 (its source: 52 / 12 = 4.3); 35 a visit.")

#: The chain's totals: model parameter -> its per-outlet input (totals = outlets × per outlet).
PER_OUTLET: dict[str, str] = {"customers": "customers_per_outlet", "market_size": "market_per_outlet",
                              "fix_cost_once": "fix_cost_once_per_outlet",
                              "fix_cost_per_month": "fix_cost_per_month_per_outlet"}

CHAIN = UnitsBlock(
    "chain", "Chain of outlets",
    (UnitInput("outlets", "Outlets", "outlets", 1, 1, 100_000, 1, "Stations, restaurants or shops.", integer=True),
     UnitInput("customers_per_outlet", "Regular customers per outlet", "people/outlet", 2_500, 1, 10_000_000, 100,
               "Regular customers of an average outlet."),
     UnitInput("outlet_visits_per_month", "Visits per customer a month", "visits/customer/month", 4.3, 0.05, 60,
               0.1, "How often a regular comes to an outlet, a month (weekly = 4.3)."),
     UnitInput("outlet_spend_per_visit", "Spend per visit", "currency/visit", 35, 0.01, 1_000_000, 1,
               "Average revenue of a visit to an outlet."),
     UnitInput("market_per_outlet", "Market per outlet", "people/outlet", 20_000, 2, 100_000_000, 1_000,
               "People within reach of an average outlet who could be customers."),
     UnitInput("fix_cost_once_per_outlet", "Cost of the fix per outlet, one-off", "currency/outlet", 3_000, 0,
               1e10, 500, "What fixing the service costs once at each outlet."),
     UnitInput("fix_cost_per_month_per_outlet", "Cost of the fix per outlet, a month", "currency/outlet/month",
               600, 0, 1e9, 50, "What keeping the service fixed costs a month at each outlet.")),
    lambda v: {**{name: v["outlets"] * v[each] for name, each in PER_OUTLET.items()},
               "visits_per_month": v["outlet_visits_per_month"], "spend_per_visit": v["outlet_spend_per_visit"]},
    dict(PER_OUTLET, visits_per_month="outlet_visits_per_month", spend_per_visit="outlet_spend_per_visit"),
    ("Regular customers = outlets × regular customers per outlet",
     "Market (catchment) size = outlets × market per outlet",
     "Cost of the fix, one-off = outlets × cost of the fix per outlet, one-off",
     "Cost of the fix, per month = outlets × cost of the fix per outlet, a month",
     "Visits per customer and spend per visit: as at every outlet"),
    "At the defaults: the gas station as one outlet (2,500 regular customers, a market of 20,000, 4.3 visits a "
    "month, 35 a visit, 3,000 once and 600 a month): the preset exactly. 120 stations: 300,000 regular customers, "
    "a market of 2,400,000, 360,000 once and 72,000 a month.")

AIRLINE = UnitsBlock(
    "airline", "Airline",
    (UnitInput("frequent_flyers", "Frequent flyers", "people", 300_000, 1, 10_000_000, 1_000,
               "Loyalty-scheme members who fly at least once a year.", integer=True),
     UnitInput("flights_per_year", "Flights a year per flyer", "flights/flyer/year", 3, 0.6, 720, 0.5,
               "One-way flights a frequent flyer takes a year."),
     UnitInput("fare_per_flight", "Average fare", "currency/flight", 180, 0.01, 1_000_000, 5,
               "Average one-way fare with ancillaries (bags, seats, meals).")),
    lambda v: {"customers": v["frequent_flyers"], "visits_per_month": v["flights_per_year"] / MONTHS_PER_YEAR,
               "spend_per_visit": v["fare_per_flight"]},
    {"customers": "frequent_flyers", "visits_per_month": "flights_per_year", "spend_per_visit": "fare_per_flight"},
    ("Regular customers = frequent flyers", "Visits per customer a month = flights a year per flyer / 12",
     "Spend per visit = average fare"),
    "At the defaults: 300,000 frequent flyers; 3 / 12 = 0.25 flights a month; 180 a flight: the preset exactly.")

#: Every block, by kind.
BLOCKS: dict[str, UnitsBlock] = {block.kind: block for block in
                                 (HOTEL, ONLINE_SHOP, CONTACT_CENTRE, RESTAURANT, GAS_STATION, CHAIN, AIRLINE)}
KINDS: tuple[str, ...] = tuple(BLOCKS)
#: Each preset file's own kind of business (folklore's station is the gas station's).
UNITS_BY_PRESET: dict[str, str] = {"airline": "airline", "contact_centre": "contact_centre", "folklore": "gas_station",
                                   "gas_station": "gas_station", "gas_station_recovered": "gas_station",
                                   "hotel": "hotel", "online_shop": "online_shop", "restaurant": "restaurant"}
#: Presets of a business with outlets, which the chain block scales.
OUTLET_PRESETS: tuple[str, ...] = ("gas_station", "gas_station_recovered", "restaurant")
#: Every text the blocks show people (titles, labels, units, help, formulas, notes) and every message.
UNITS_TEXTS: tuple[str, ...] = tuple(dict.fromkeys(
    [text for block in BLOCKS.values() for text in (block.title, *block.formulas, block.note)]
    + [text for block in BLOCKS.values() for item in block.inputs for text in (item.label, item.unit, item.help)]
    + list(MESSAGES)))


def kinds_for(preset: str) -> tuple[str, ...]:
    """The blocks that fit a preset: its own kind, and the chain for one with outlets or one's own scenario.

    >>> kinds_for("gas_station"), kinds_for("hotel"), kinds_for("my_own")
    (('gas_station', 'chain'), ('hotel',), ('chain',))
    """
    own = (UNITS_BY_PRESET[preset],) if preset in UNITS_BY_PRESET else ()
    return own + ("chain",) if preset in OUTLET_PRESETS or not own else own


def block_for(kind: str) -> UnitsBlock:
    """The block of one kind of business; ``ValueError`` naming the known kinds if there is none."""
    if kind not in BLOCKS:
        raise ValueError(Text(UNKNOWN_KIND, kind=str(kind)[:40], known=", ".join(KINDS)))
    return BLOCKS[kind]


def _checked(block: UnitsBlock, inputs: Mapping[str, Any] | None) -> Values:
    """Every input of ``block``: those given, checked against their bounds, and the defaults for the rest."""
    unknown = sorted(str(name) for name in (inputs or {}) if name not in block.defaults)
    if unknown:
        raise ValueError(Text(UNKNOWN_INPUTS, block=Text(block.title), names=", ".join(unknown),
                              allowed=", ".join(block.defaults)))
    return {item.name: item.check((inputs or {}).get(item.name, item.default)) for item in block.inputs}


def _whole(value: float, integer: bool) -> float:
    """``value`` to 12 significant digits (1.2 / 12 is 0.1, not 0.09999999999999999), then whole if ``integer``."""
    tidy = float(f"{value:.12g}") if math.isfinite(value) else value
    return float(math.floor(tidy + 0.5)) if integer and math.isfinite(tidy) else tidy


def to_parameters(kind: str, inputs: Mapping[str, Any] | None = None) -> Values:
    """The model parameters a business's own figures give, checked against the catalogue.

    Parameters
    ----------
    kind : str
        A kind of business, one of ``KINDS``.
    inputs : Mapping[str, Any], optional
        Input name -> value; inputs left out take their defaults.

    Returns
    -------
    dict[str, float]
        Parameter -> value (``block_for(kind).produces``) to 12 digits; customers and market to whole numbers.

    Raises
    ------
    ValueError
        An unknown kind or input; an input not a finite number, out of range or not whole (naming it and its
        range); a result outside the catalogue's bounds (naming the parameter); customers not below the market.

    Examples
    --------
    >>> to_parameters("chain", {"outlets": 120})
    {'customers': 300000.0, 'market_size': 2400000.0, 'fix_cost_once': 360000.0, 'fix_cost_per_month': 72000.0, \
'visits_per_month': 4.3, 'spend_per_visit': 35.0}
    >>> to_parameters("hotel", {"occupancy": 1.5})
    Traceback (most recent call last):
    ValueError: Occupancy (occupancy) = 1.5 is outside the allowed range 0 to 1 share of room nights
    """
    block = block_for(kind)
    result = block.compute(_checked(block, inputs))
    for name, value in result.items():
        result[name] = value = _whole(value, SPECS[name].integer)
        try:
            check_value(SPECS[name], value)
        except ValueError as problem:
            raise ValueError(Text(RESULT_REFUSED, block=Text(block.title), problem=problem.args[0])) from None
    if "market_size" in result and result["customers"] >= result["market_size"]:
        raise ValueError(Text(MARKET_NOT_LARGER, customers=result["customers"], market_size="market_size",
                              market=result["market_size"]))
    return result


def _read(params_values: Mapping[str, Any] | Any, name: str) -> float:
    number = _as_number(params_values[name] if isinstance(params_values, Mapping) else getattr(params_values, name))
    check_value(SPECS[name], number)
    return number


def from_parameters(kind: str, params_values: Mapping[str, Any] | Any,
                    defaults: Mapping[str, Any] | None = None) -> Values:
    """A block's inputs consistent with given model parameters: the block filled from a scenario.

    The model keeps fewer figures than a manager (6,000 returning guests may fill few rooms or many rooms half),
    so the inputs in ``block_for(kind).kept`` (a hotel's rooms, occupancy, stay and extras; a chain's outlets;
    the contact centre and airline keep none) come from ``defaults`` and the others are solved so that
    ``to_parameters`` gives ``params_values`` back (whole-number inputs rounded).

    Parameters
    ----------
    kind : str
        A kind of business, one of ``KINDS``.
    params_values : Mapping[str, Any] or Params
        The model parameters, as a mapping or as attributes.
    defaults : Mapping[str, Any], optional
        Inputs of the block, of which the kept ones are used (the block's defaults where left out).

    Returns
    -------
    dict[str, float]
        Every input of the block, in its order.

    Raises
    ------
    ValueError
        An invalid parameter or input; or where the mapping cannot be inverted, a solved input out of its range
        (a returning share above 1 for the rooms given; a rate below 0 where spend is below extras), named.

    Examples
    --------
    >>> filled = from_parameters("hotel", {"customers": 6000, "visits_per_month": 0.1, "spend_per_visit": 320})
    >>> round(filled["returning_share"], 4), filled["rate_per_night"], filled["stays_per_year"]
    (0.4697, 140.0, 1.2)
    """
    block = block_for(kind)
    targets = {name: _read(params_values, name) for name in block.produces}
    solved = {name: value if name in block.kept else 1.0 for name, value in _checked(block, defaults).items()}
    for param, name in block.solves.items():  # param = a + b * input: two points give a and b
        at_1, at_2 = (block.compute({**solved, name: x})[param] for x in (1.0, 2.0))
        slope = at_2 - at_1
        solved[name] = (targets[param] - at_1) / slope + 1 if slope else math.inf
    for item in block.inputs:
        value = solved[item.name] = _whole(solved[item.name], item.integer)
        if not (math.isfinite(value) and item.lower <= value <= item.upper):
            raise ValueError(Text(CANNOT_SHOW, block=Text(block.title), label=Text(item.label), name=item.name,
                                  value=value, allowed=item.allowed(), unit=Text(item.unit)))
    return {item.name: solved[item.name] for item in block.inputs}
