"""Visitors uploading their own data at the same time: the server's memory and the time to an answer.

    python -m bench.bench_uploads [--visitors 2] [--megabytes 9.9] [--rounds 1]

Starts ``streamlit run dashboard.py`` and opens ``--visitors`` pages in one headless Chromium on
the "Your data" tab. Each visitor drops three files of ``--megabytes`` MB (a reviews export, a
complaint log and a survey made up here, each under the page's 10 MB limit and 200,000 rows) on
the three uploaders at the same moment as the others, then waits for the table of what the data changes.
Every 0.1 s the server's resident memory is read. Reported: the server's memory idle (after
the first page), its peak while the files were read and calibrated, the peak above idle, and
each visitor's time from the drop to the answer. A bench, not a test: nothing is timed against
a limit. Prints the CPU model and NumPy's SIMD dispatch like every bench.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_model import machine
from tests.browser import CHROMIUM_ARGS, chromium_path, server_rss_mb, streamlit_server

KINDS = ("reviews", "complaints", "survey")
FILLER = "Jonossa odotettiin pitkään ja kassalla kohautettiin olkapäitä"


def _rows(kind: str, i: int, rng: random.Random) -> str:
    month, day = 1 + i % 12, 1 + i % 28
    if kind == "reviews":
        return f"2024-{month:02d}-{day:02d}T08:34:00Z,{rng.choice('12345')},Reviewer {i},{FILLER[: 10 + i % 40]}"
    if kind == "complaints":
        return f"2025-{month:02d}-{day:02d},email,queue,{rng.choice(['resolved', 'unresolved'])},{FILLER[: 5 + i % 30]}"
    return f"{i},2026-{month:02d}-{day:02d},{rng.choice(['yes', 'no'])},{rng.choice(['yes', ''])},,{FILLER[: 5 + i % 30]}"


HEADERS = {
    "reviews": "Review date,Star rating,Reviewer,Text",
    "complaints": "date,channel,topic,outcome,note",
    "survey": "response_id,date,satisfied,complained,resolved,comment",
}


def make_files(folder: Path, megabytes: float, seed: int) -> dict[str, Path]:
    """Three made-up files of at most ``megabytes`` MB (10^6 bytes) and 199,000 rows each."""
    rng, limit, paths = random.Random(seed), int(megabytes * 1_000_000), {}
    for kind in KINDS:
        lines, size = [HEADERS[kind]], len(HEADERS[kind]) + 1
        for i in range(199_000):
            line = _rows(kind, i, rng)
            if size + len(line.encode()) + 1 > limit:
                break
            lines.append(line)
            size += len(line.encode()) + 1
        paths[kind] = folder / f"{kind}_{seed}.csv"
        paths[kind].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def run(visitors: int, megabytes: float) -> dict[str, object]:
    """One round: ``visitors`` pages drop their files at once; memory and times."""
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp, streamlit_server() as url, sync_playwright() as pw:
        files = [make_files(Path(tmp), megabytes, seed) for seed in range(visitors)]
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pages = []
        for _ in range(visitors):
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{url}/?tab=Your+data")
            expect(page.locator('[data-cards="headline"] .shrug-card-value').first).to_be_visible(timeout=180_000)
            pages.append(page)
        time.sleep(2.0)
        idle = server_rss_mb(url) or 0.0
        samples, done = [idle], threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append(server_rss_mb(url) or 0.0)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        for page, paths in zip(pages, files):  # every drop first, then every wait: the servers read at once
            for kind in KINDS:
                page.locator(f".st-key-own_{kind} input[type=file]").set_input_files(str(paths[kind]))
        answered = []
        for page in pages:
            expect(page.locator('[data-testid="stTable"]').get_by_text("Bad-experience rate")).to_be_visible(timeout=180_000)
            expect(page.get_by_text("with your data").first).to_be_visible(timeout=180_000)
            answered.append(time.perf_counter() - started)
        time.sleep(1.0)
        done.set()
        sampler.join()
        after = server_rss_mb(url) or 0.0
        browser.close()
    return {"idle_mb": idle, "peak_mb": max(samples), "after_mb": after, "answered_s": answered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=2)
    parser.add_argument("--megabytes", type=float, default=9.9)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(machine())
    for round_number in range(1, args.rounds + 1):
        result = run(args.visitors, args.megabytes)
        times = ", ".join(f"{s:.1f} s" for s in result["answered_s"])
        print(
            f"round {round_number}: {args.visitors} visitors x 3 files of {args.megabytes} MB: server "
            f"{result['idle_mb']:.0f} MB idle, peak {result['peak_mb']:.0f} MB "
            f"(+{result['peak_mb'] - result['idle_mb']:.0f} MB), {result['after_mb']:.0f} MB after; "
            f"answers at {times} (median {statistics.median(result['answered_s']):.1f} s)"
        )


if __name__ == "__main__":
    main()
