"""MADE-UP example data for the gas station preset: a reviews export, a complaint log and a survey.

Nothing here is real. The three files are drawn at random (with a fixed seed, so the script
always writes the same bytes) from the gas station preset's own story, so that a newcomer can
try ``python -m estimator calibrate`` in one command:

    python docs/example_data/make_gas_station_data.py            # rewrites the files beside it
    python -m estimator calibrate gas_station --reviews docs/example_data/gas_station_reviews.csv \\
        --complaints docs/example_data/gas_station_complaints.csv \\
        --survey docs/example_data/gas_station_survey.csv --customers 2500 --visits-per-month 4.3

The story they are drawn from (assumptions/gas_station.yaml): 2 500 regulars visiting 4.3 times
a month; one visit in a hundred goes badly; 15 % of unhappy customers complain and 10 % of
complaints are resolved; unhappy, unrecovered customers review with probability 0.0024 a month
(mostly 1-2 stars), other customers 0.0026 a month (3-5 stars, mean 4.2): about 6.5 reviews a
month and a rating of about 4.1. Each file is written the way a different tool might write it:

- ``gas_station_reviews.csv``: an English review-site export, comma-separated UTF-8, ISO times,
  a quoted text column (three years, November 2023 to October 2026);
- ``gas_station_complaints.csv``: a Finnish spreadsheet log, semicolon-separated, UTF-8 with a
  byte-order mark, dates as 31.10.2026, outcome ratkaistu / ratkaisematta / blank while open
  (the last twelve months);
- ``gas_station_survey.csv``: one row per respondent of a receipt survey in October 2026
  ("Were you satisfied with your visit today?", "Did you complain?", "Was it resolved?").
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20261123
CUSTOMERS, VISITS, BAD, COMPLAIN, RECOVER = 2500, 4.3, 0.01, 0.15, 0.10
REVIEW_UNHAPPY, REVIEW_OTHER = 0.0024, 0.0026
STARS_UNHAPPY = ((1, 0.55), (2, 0.45))
STARS_OTHER = ((3, 0.18), (4, 0.44), (5, 0.38))
REVIEWS_FROM, COMPLAINTS_FROM, END = date(2023, 11, 1), date(2025, 11, 1), date(2026, 10, 31)
SURVEY_MONTH, RESPONDENTS = date(2026, 10, 1), 1200

UNHAPPY_TEXTS = ("Toilet was filthy, clerk just shrugged.", "Vessa likainen, eikä ketään kiinnostanut.",
                 "Asked for help with the pump, got a shrug.", "Dirty, slow, rude. Never again.")
OTHER_TEXTS = ("Good coffee, quick stop.", "Ok station, fair prices.", "Hyvä kahvi ja nopea palvelu.",
               "Clean enough, friendly staff.", "Always my stop on the way to work.", "", "")


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def pick(rng: random.Random, weighted: tuple[tuple[int, float], ...]) -> int:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(d) for d in range((end - start).days + 1)]


def reviews(rng: random.Random) -> str:
    unhappy = -math.expm1(-BAD * VISITS) * (1 - COMPLAIN * RECOVER) * CUSTOMERS  # N = u·(1 − c·r)·C
    per_day = (REVIEW_UNHAPPY * unhappy / 30.4375, REVIEW_OTHER * (CUSTOMERS - unhappy) / 30.4375)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Review date", "Star rating", "Reviewer", "Text"])
    number = 0
    for day in days(REVIEWS_FROM, END):
        for kind, rate in enumerate(per_day):
            for _ in range(poisson(rng, rate)):
                number += 1
                stars = pick(rng, STARS_UNHAPPY if kind == 0 else STARS_OTHER)
                moment = datetime(day.year, day.month, day.day, rng.randrange(6, 23), rng.randrange(60))
                text = rng.choice(UNHAPPY_TEXTS if kind == 0 else OTHER_TEXTS)
                writer.writerow([moment.strftime("%Y-%m-%dT%H:%M:00Z"), stars, f"Reviewer {number}", text])
    return out.getvalue()


def complaints(rng: random.Random) -> str:
    per_day = COMPLAIN * -math.expm1(-BAD * VISITS) * CUSTOMERS / 30.4375  # c·u·C a month
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["päivämäärä", "kanava", "aihe", "tulos"])
    for day in days(COMPLAINTS_FROM, END):
        for _ in range(poisson(rng, per_day)):
            open_case = (END - day).days < 14 and rng.random() < 0.5
            outcome = "" if open_case else ("ratkaistu" if rng.random() < RECOVER else "ratkaisematta")
            writer.writerow([f"{day.day}.{day.month}.{day.year}", rng.choice(("kassa", "puhelin", "sähköposti")),
                             rng.choice(("wc", "palvelu", "kahvi", "jono", "pesukone")), outcome])
    return out.getvalue()


def survey(rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["response_id", "date", "satisfied", "complained", "resolved"])
    for number in range(1, RESPONDENTS + 1):
        day = SURVEY_MONTH + timedelta(rng.randrange(31))
        bad = rng.random() < BAD
        complained = bad and rng.random() < COMPLAIN
        resolved = complained and rng.random() < RECOVER
        writer.writerow([number, day.isoformat(), "no" if bad else "yes", ("yes" if complained else "no") if bad else "",
                         ("yes" if resolved else "no") if complained else ""])
    return out.getvalue()


def write_all(folder: Path) -> list[Path]:
    """Write the three files into ``folder`` (the same bytes on every run) and return their paths."""
    rng = random.Random(SEED)
    files = {"gas_station_reviews.csv": reviews(rng).encode("utf-8"),
             "gas_station_complaints.csv": b"\xef\xbb\xbf" + complaints(rng).encode("utf-8"),
             "gas_station_survey.csv": survey(rng).encode("utf-8")}
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the made-up gas station example data.")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent), help="folder (default: beside this script)")
    for path in write_all(Path(parser.parse_args().out)):
        print(f"wrote {path}")
