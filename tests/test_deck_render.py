"""The deck as a board sees it: every preset's deck rendered to PDF by LibreOffice, its words read back.

For each deck (every preset alone, and two with a pinned scenario A) this checks, slide by slide:
no text lies outside the page; every text box's words lie inside the box the deck gave that
shape (a title or body with more lines than its box holds, or a line wider than it, shows here);
every content slide has speaker notes; and the slides that state a finding carry its figure in
the title. All decks are converted in one LibreOffice run; words come from ``pdftotext -bbox``
in drawing order, and each text box is found among them by its text. Chart internals (axis,
legend and data labels, drawn by LibreOffice) are not matched to shapes, only kept on the page.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pptx import Presentation

from estimator import Report, list_presets, load_preset, paired_difference
from estimator.present.deck import build_deck
from tests.browser import require

EMU_PER_PT = 12_700
TOLERANCE_PT = 2.0
# Each deck: (preset of scenario B, preset pinned as scenario A or None).
DECKS = {name: (name, None) for name in list_presets()}
DECKS["gas_station+pinned"] = ("gas_station", "gas_station_recovered")
DECKS["airline+pinned"] = ("airline", "contact_centre")  # long names and large sums on the compare slide
TODAY = dt.date(2025, 9, 30)  # the longest month name


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class TextBox:
    """Text the deck placed in a box: a text frame, or a table cell (the box its row and column give)."""

    what: str
    text: str
    left: float
    top: float
    right: float
    bottom: float
    table: str = ""  # the table's name, for a cell


@dataclass
class Rendered:
    pptx: bytes
    pages: list[list[Word]]
    page_size: tuple[float, float]


def _squash(text: str) -> str:
    """Text as compared: Unicode-normalised (ligatures split), whitespace dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _pt(emu) -> float:
    return float(emu) / EMU_PER_PT


def _boxes(slide) -> list[TextBox]:
    """The slide's text, in drawing order, each with the box the deck gave it, in points."""
    boxes = []
    for shape in slide.shapes:
        left, top = _pt(shape.left), _pt(shape.top)
        if shape.has_text_frame and shape.text_frame.text.strip():
            what = "title" if shape == slide.shapes.title else shape.name
            boxes.append(TextBox(what, shape.text_frame.text, left, top, left + _pt(shape.width),
                                 top + _pt(shape.height)))
        elif getattr(shape, "has_table", False) and shape.has_table:
            table = shape.table
            y = top
            for r, row in enumerate(table.rows):
                x = left
                for c, column in enumerate(table.columns):
                    text = table.cell(r, c).text_frame.text
                    if text.strip():
                        boxes.append(TextBox(f"{shape.name}, row {r + 1}, column {c + 1}", text, x, y,
                                             x + _pt(column.width), y + _pt(row.height), shape.name))
                    x += _pt(column.width)
                y += _pt(row.height)
    return boxes


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _words(pdf: Path) -> tuple[list[list[Word]], tuple[float, float]]:
    """Words of every page with their boxes (points, origin top left), in the order they are drawn."""
    out = subprocess.run(["pdftotext", "-raw", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True, timeout=60).stdout
    pages, size = [], (0.0, 0.0)
    for width, height, body in _PAGE.findall(out):
        size = (float(width), float(height))
        pages.append([Word(html.unescape(t), float(a), float(b), float(c), float(d))
                      for a, b, c, d, t in _WORD.findall(body)])
    return pages, size


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Rendered]:
    require(shutil.which("libreoffice") is not None, "LibreOffice", "apt-get install libreoffice-impress")
    require(shutil.which("pdftotext") is not None, "pdftotext", "apt-get install poppler-utils")
    folder = tmp_path_factory.mktemp("decks")
    reports: dict[str, Report] = {}

    def report(name: str) -> Report:
        if name not in reports:
            reports[name] = Report(load_preset(name))
        return reports[name]

    decks = {}
    for key, (b, a) in DECKS.items():
        decks[key] = build_deck(report(b), report(a) if a else None, today=TODAY,
                                paired=paired_difference(report(a).params, report(b).params) if a else None)
        (folder / f"{key}.pptx").write_bytes(decks[key])
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"{k}.pptx") for k in decks)],
                   check=True, capture_output=True, timeout=300)
    out = {}
    for key, deck in decks.items():
        pages, size = _words(folder / f"{key}.pdf")
        out[key] = Rendered(deck, pages, size)
    return out


def _locate(box: TextBox, words: list[Word], start: int) -> tuple[list[Word] | None, int]:
    """The words that render ``box``: its text found in the page's words from word ``start`` on (shapes
    are drawn in their order), with the index after them. ``None`` if its text is not all on the page
    (what lies beyond the page's edge is not drawn, so it is not found whole)."""
    squashed = [_squash(w.text) for w in words]
    page = "".join(squashed)
    owner = [i for i, s in enumerate(squashed) for _ in s]
    begin = [0]
    for s in squashed:
        begin.append(begin[-1] + len(s))
    target = _squash(box.text)
    at = page.find(target, begin[start]) if start < len(words) else -1
    if at < 0:
        return None, start
    first, last = owner[at], owner[at + len(target) - 1]
    return words[first:last + 1], last + 1


def _problems(key: str, deck: Rendered) -> list[str]:
    prs = Presentation(io.BytesIO(deck.pptx))
    width, height = deck.page_size
    problems = []
    if len(deck.pages) != len(prs.slides):
        problems.append(f"{key}: {len(prs.slides)} slides but {len(deck.pages)} PDF pages")
    for number, (slide, words) in enumerate(zip(prs.slides, deck.pages), start=1):
        where = f"{key}, slide {number}"
        off = [w for w in words if w.x0 < -TOLERANCE_PT or w.y0 < -TOLERANCE_PT or w.x1 > width + TOLERANCE_PT
               or w.y1 > height + TOLERANCE_PT]
        if off:  # (a) on the page
            problems.append(f"{where}: {len(off)} word(s) lie outside the {width:.0f} × {height:.0f} pt page, from "
                            f"{off[0].x0:.0f} × {off[0].y0:.0f} pt: {' '.join(w.text for w in off)[:120]!r}")
        cursor, spilled = 0, {}  # table → [the first cell that grew beyond its box, the lowest word after it]
        for box in _boxes(slide):
            found, cursor = _locate(box, words, cursor)
            if found is None:
                problems.append(f"{where}, {box.what}: text not on the rendered page (cut at the slide's edge?): "
                                f"{box.text[:120]!r}")
                continue
            if box.right > width + TOLERANCE_PT or box.bottom > height + TOLERANCE_PT:
                problems.append(f"{where}, {box.what}: its box ends outside the page "
                                f"(right {box.right:.0f}, bottom {box.bottom:.0f} pt): {box.text[:80]!r}")
            wide = [w for w in found if w.x0 < box.left - TOLERANCE_PT or w.x1 > box.right + TOLERANCE_PT]
            tall = [w for w in found if w.y0 < box.top - TOLERANCE_PT or w.y1 > box.bottom + TOLERANCE_PT]
            if box.table in spilled:  # rows below one that grew are pushed down: count how far, once
                spilled[box.table][1] = max([spilled[box.table][1]] + [w.y1 for w in found])
                tall = []
            elif box.table and tall:
                spilled[box.table] = [box.what, max(w.y1 for w in found)]
            if wide or tall:  # (b) inside its own box
                w = (wide + tall)[0]
                problems.append(
                    f"{where}, {box.what}: text overflows its box ({box.left:.0f}–{box.right:.0f} × "
                    f"{box.top:.0f}–{box.bottom:.0f} pt): {len(set(wide + tall))} word(s) outside, first {w.text!r} "
                    f"at {w.x0:.0f}–{w.x1:.0f} × {w.y0:.0f}–{w.y1:.0f} pt; text: {box.text[:120]!r}")
        for table, (first, lowest) in spilled.items():
            problems.append(f"{where}, {table}: from {first.split(', ', 1)[1]} on, rows grow past the heights the "
                            f"deck gave them; the table's text reaches {lowest:.0f} pt (page {height:.0f} pt)")
    return problems


@pytest.mark.parametrize("key", list(DECKS))
def test_every_word_is_on_the_page_and_inside_its_box(rendered, key):
    problems = _problems(key, rendered[key])
    assert not problems, f"{len(problems)} layout problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("key", list(DECKS))
def test_content_slides_have_speaker_notes_and_findings_carry_their_figure(rendered, key):
    prs = Presentation(io.BytesIO(rendered[key].pptx))
    slides = list(prs.slides)
    assert len(slides) >= 8, f"{key}: only {len(slides)} slides"
    problems = []
    title_text = " ".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    if not re.search(r"\d", title_text):
        problems.append(f"{key}, slide 1: the title slide states no figure: {title_text[:100]!r}")
    appendix_seen = False
    for number, slide in enumerate(slides[1:], start=2):
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        notes = slide.notes_slide.notes_text_frame.text.strip() if slide.has_notes_slide else ""
        if not notes:
            problems.append(f"{key}, slide {number} ({title!r}): no speaker notes")
        elif "Say:" not in notes:
            problems.append(f"{key}, slide {number} ({title!r}): the speaker notes do not say what to say: "
                            f"{notes[:80]!r}")
        # Findings (loss, fix, one shrug, bridge, channels, tornado, compare) come first and state their
        # figure; reference slides follow in an appendix and name their topic.
        if title.startswith("Appendix"):
            appendix_seen = True
        elif appendix_seen:
            problems.append(f"{key}, slide {number} ({title!r}): a finding after the appendix")
        elif not re.search(r"\d", title):
            problems.append(f"{key}, slide {number}: the title states a finding without its figure: {title!r}")
    findings = [s for s in slides[1:] if not s.shapes.title.text.startswith("Appendix")]
    preset = load_preset(DECKS[key][0])
    expected = 5 + bool(preset.ranges) + bool(preset.menu) + (DECKS[key][1] is not None)
    if len(findings) != expected:
        problems.append(f"{key}: {len(findings)} finding slides, expected {expected} (loss, fix, + which fix first with a menu, one shrug, "
                        f"bridge, channels, + tornado with ranges, + compare when pinned)")
    if not appendix_seen:
        problems.append(f"{key}: no appendix (assumptions with grades and sources, method)")
    assert not problems, "\n".join(problems)
