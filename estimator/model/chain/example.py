"""An example chain: 120 made-up fuel stations, each with its own business facts.

Nothing here describes a real company. The stations are drawn around the gas-station preset's
facts (2,500 regular customers, 4.3 visits a month, EUR 35 a visit, 25 % margin, a 4.1-star rating
from 120 reviews) so that the chain shows what a chain's table shows: big motorway stations and small
village ones, ratings from about 3.3 to 4.7, a capacity a fifth to a third above today's regulars (a
station's pumps and till bound how far a fix can grow it, MODEL.md §19), and at a third of the
stations a count of bad visits among 400 checked (a survey or mystery shoppers). A fixed seed makes the same table every time (``docs/example_data/stations_120.csv`` is
this table; a test checks they agree).
"""

from __future__ import annotations

import csv
import io

import numpy as np

#: Made-up regions and the places the stations are named after (Finnish place names, no company's).
REGIONS: dict[str, tuple[str, ...]] = {
    "Uusimaa": ("Espoo", "Vantaa", "Kerava", "Porvoo", "Lohja", "Hyvinkää", "Järvenpää", "Tuusula"),
    "Pirkanmaa": ("Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Valkeakoski"),
    "Varsinais-Suomi": ("Turku", "Salo", "Kaarina", "Raisio", "Naantali", "Uusikaupunki"),
    "Pohjois-Pohjanmaa": ("Oulu", "Kempele", "Raahe", "Kuusamo", "Ylivieska"),
    "Keski-Suomi": ("Jyväskylä", "Jämsä", "Äänekoski", "Laukaa"),
    "Pohjois-Savo": ("Kuopio", "Iisalmi", "Varkaus", "Siilinjärvi"),
    "Lappi": ("Rovaniemi", "Kemi", "Tornio", "Sodankylä"),
}
KINDS = ("motorway", "town", "village")
HEADER = (
    "id",
    "name",
    "region",
    "customers",
    "max_customers",
    "visits_per_month",
    "spend_per_visit",
    "gross_margin",
    "rating",
    "reviews",
    "market_size",
    "bad_visits",
    "visits_checked",
)


def example_rows(stations: int = 120, seed: int = 2026) -> list[dict[str, str]]:
    """The example chain's rows (text cells, as a CSV file holds them).

    >>> rows = example_rows(5)
    >>> len(rows), rows[0]["id"], sorted(rows[0]) == sorted(HEADER)
    (5, 'ST001', True)
    """
    rng = np.random.default_rng(seed)
    regions = list(REGIONS)
    weights = np.array([len(places) for places in REGIONS.values()], dtype=float)
    rows = []
    for number in range(1, stations + 1):
        region = regions[rng.choice(len(regions), p=weights / weights.sum())]
        place = REGIONS[region][rng.integers(len(REGIONS[region]))]
        kind = KINDS[rng.choice(3, p=(0.25, 0.5, 0.25))]
        scale = {"motorway": 2.2, "town": 1.0, "village": 0.45}[kind] * rng.lognormal(0.0, 0.25)
        customers = int(round(2500 * scale, -1))
        rating = float(np.clip(rng.normal(4.05, 0.3), 3.2, 4.8))
        checked = rng.random() < 1 / 3
        bad_rate = float(np.clip(rng.lognormal(np.log(0.01), 0.35), 0.003, 0.03))
        visits_checked = 400 if checked else 0
        rows.append(
            {
                "id": f"ST{number:03d}",
                "name": f"{place} {kind} {number:03d}",
                "region": region,
                "customers": str(customers),
                "visits_per_month": f"{float(np.clip(rng.normal(4.3, 0.5), 2.5, 6.5)):.1f}",
                "spend_per_visit": f"{35 * {'motorway': 1.25, 'town': 1.0, 'village': 0.85}[kind] * rng.lognormal(0, 0.1):.2f}",
                "gross_margin": f"{float(np.clip(rng.normal(0.25, 0.03), 0.15, 0.35)):.2f}",
                "rating": f"{rating:.1f}",
                "reviews": str(int(max(10, round(120 * scale * rng.lognormal(0, 0.3))))),
                # What its pumps, till and forecourt can serve: a fifth to a third more regulars than today.
                "max_customers": str(int(round(customers * rng.uniform(1.2, 1.35), -1))),
                "market_size": str(int(round(customers * rng.uniform(6.0, 10.0), -2))),
                "bad_visits": str(int(rng.binomial(visits_checked, bad_rate))) if checked else "",
                "visits_checked": str(visits_checked) if checked else "",
            }
        )
    return rows


def example_csv(stations: int = 120, seed: int = 2026) -> str:
    """The example chain as CSV text (comma-separated, a header row, one row per station)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(example_rows(stations, seed))
    return out.getvalue()
