"""A one-page PDF brief of a scenario's decision: for the owner who wants one page.

On one A4 page, in the reader's language (``with i18n.use("fi"): brief_pdf(...)``): the decision (the
"Fix it?" answer with its figure) and how sure it is, the figures behind it (profit brought back, cost,
net present value, payback month, the chance it pays off), the chart that shows it (the fix's cumulative
profit against its cost), the three assumptions that move the net present value most, the key assumptions
with their grades, the date and the link that reopens the scenario on the page. Every figure is the
report's one number (``report.mc.value`` with ``mc.band``, ``mc.payback_month``, ``mc.fix_pays``,
``mc.chance_fix_pays_off``): the same as on the page, the deck and the command line.

The PDF is written by fpdf2, a pure-Python PDF library, not by LibreOffice rendering a document: it
writes a real PDF in-process in a fraction of a second, offline, with its fonts embedded (subset), where
LibreOffice takes seconds and a user profile per call and is a large system dependency. The text is set
in Carlito (metric-compatible with Calibri, as the deck; Debian's ``fonts-crosextra-carlito``, which CI
installs) with DejaVu Sans for any glyph it lacks; without either, the built-in Helvetica with the few
characters it cannot show spelled out (``EUR`` for ``€``), so a brief is always made. The chart is a PNG
drawn by kaleido like the image export (``images.figure_image``); without Chromium the brief says so in
its place.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from urllib.parse import urlencode

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..model.explain.report import Report
from ..model.inputs.catalogue import SPECS
from ..model.inputs.params import Params
from .formatting import day, money, month, people, setting_value, share
from .i18n import DEFAULT, language, say, t
from .verdict import answer, npv_drivers_sentence
from .wording import fix_changes, fix_costs

#: Where the dashboard runs by default (``streamlit run dashboard.py``): the links the command line writes.
PAGE_URL = "http://localhost:8501"
#: The preset a page opens on, and under which it carries a scenario file (``estimator.app.state``).
DEFAULT_PRESET = "gas_station"

#: The fonts, in order of preference: a family, its regular and bold files.
FONTS: tuple[tuple[str, str, str], ...] = (
    (
        "Carlito",
        "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
        "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
    ),
    (
        "DejaVu",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
#: What the built-in Helvetica (Latin-1 only) writes for the characters it lacks.
LATIN1 = str.maketrans(
    {
        "€": "EUR",
        "−": "-",
        "–": "-",
        "—": "-",
        "→": "->",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "…": "...",
        "★": "*",
        "×": "x",
        "’": "'",
        "“": '"',
        "”": '"',
    }
)

SLATE, GREY, RED, GREEN, LINE = (44, 62, 80), (110, 117, 125), (192, 57, 43), (30, 120, 70), (205, 210, 215)
#: A4 portrait, in millimetres: the page, its margin and the width between the margins.
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 14.0
WIDTH = PAGE_W - 2 * MARGIN
#: The chart's layout in pixels (drawn at twice that): its words at about 8 pt across the page.
CHART_W, CHART_H = 820, 400

# fontTools warns about Carlito's creation date each time the font is read; nothing a reader needs to see.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


def scenario_link(params: Params, preset: str | None = None, lang: str = DEFAULT, page: str = PAGE_URL) -> str | None:
    """The link that opens this scenario on the page at ``page``, as the page writes its own
    (``estimator.app.link.write_url``): ``?preset=NAME`` and every setting, fix, menu choice, budget or
    start that differs from the preset, or, for a scenario that is not a preset (``preset`` None), the
    whole scenario in ``file=``; and the reader's language. None if the scenario is too large for a link.

    >>> from estimator import load_preset
    >>> scenario_link(load_preset("hotel"), "hotel", "fi")
    'http://localhost:8501/?preset=hotel&lang=fi'
    >>> scenario_link(load_preset("hotel").replace(bad_visit_rate=0.05), "hotel")
    'http://localhost:8501/?preset=hotel&bad_visit_rate=0.05&lang=en'
    """
    from ..model.scenarios.scenario_files import ScenarioError, load_preset
    from ..model.scenarios.scenario_link import scenario_to_link_token
    from ..model.scenarios.untrusted import changes_for_link

    query = {"preset": preset or DEFAULT_PRESET}
    base = load_preset(preset) if preset else params
    if preset is None:
        try:
            query["file"] = scenario_to_link_token(params)
        except ScenarioError:
            return None
    query.update(changes_for_link(params, base))
    query["lang"] = lang
    return f"{page.rstrip('/')}/?{urlencode(query)}"


def figures(report: Report) -> list[tuple[str, str, str]]:
    """The figures behind the decision, as the "Fix it?" cards give them: label, value, the line under it."""
    mc, cash = report.mc, _cash(report)

    def band(key: str, write) -> str:
        found = mc.band(key)
        return t("P10–P90 {low} – {high}", low=write(found[0]), high=write(found[1])) if found else ""

    payback = mc.payback_month
    return [
        (t("Profit brought back"), cash(mc.value("pv_profit_loss")), band("pv_profit_loss", cash)),
        (t("Cost of the fix"), cash(mc.value("pv_fix_cost")), fix_costs(report.params, compact=True)),
        (t("Net present value"), cash(mc.value("npv_fix")), band("npv_fix", cash)),
        (
            t("Pays back"),
            month(payback) if payback is not None else t("never"),
            band("payback_month", month) if payback is not None else t("not within the horizon"),
        ),
        (t("Chance it pays off"), share(mc.chance_fix_pays_off, 0), t("of {draws} draws", draws=people(mc.draws))),
    ]


def assumptions(report: Report, top: int = 6) -> list[tuple[str, str, str, str]]:
    """The key assumptions (those that move the net present value most), each with its value, the range
    drawn and how it is known."""
    from .tables import grade_word, unit_words

    params = report.params
    names = [r.parameter for r in report.tornado_npv if r.parameter in SPECS][:top] or [
        "bad_visit_rate",
        "churn_silent",
        "tell_unhappy",
    ]
    rows = []
    for name in names:
        spec, (low, high) = SPECS[name], params.value_range(name)
        drawn = f"{setting_value(spec.unit, low)} – {setting_value(spec.unit, high)}" if low < high else t("known")
        rows.append(
            (
                f"{say(spec.label)} ({unit_words(spec.unit, params.currency)})",
                setting_value(spec.unit, getattr(params, name)),
                drawn,
                grade_word(params.grades.get(name, "assumption")),
            )
        )
    return rows


def _cash(report: Report):
    return lambda value: money(value, report.params.currency, compact=True)


def _chart(report: Report) -> bytes | None:
    """The fix's cumulative profit against its cost, as a PNG (kaleido), or None without Chromium."""
    from .figures import fig_fix
    from .images import figure_image

    try:
        return figure_image(fig_fix(report.mc, report.params.currency), "png", width=CHART_W, height=CHART_H, scale=2)
    except Exception:  # noqa: BLE001 - no Chromium, or it failed: the brief says so in the chart's place
        logging.getLogger(__name__).warning("the brief's chart could not be drawn", exc_info=True)
        return None


class _Page:
    """The brief's one page: text set in the font found, with the sizes scaled by ``scale``."""

    def __init__(self, scale: float) -> None:
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(False)
        self.pdf.c_margin = 1.2
        self.scale, self.family, self.latin1 = scale, "Helvetica", True
        found = [
            (family, regular, bold)
            for family, regular, bold in FONTS
            if Path(regular).is_file() and Path(bold).is_file()
        ]
        for family, regular, bold in found:
            self.pdf.add_font(family, "", regular)
            self.pdf.add_font(family, "B", bold)
        if found:
            self.family, self.latin1 = found[0][0], False
            self.pdf.set_fallback_fonts([family for family, _, _ in found[1:]], exact_match=False)
        self.pdf.add_page()

    def text(self, text: str) -> str:
        """Text as the font can show it: Carlito has no no-break space but a narrow one of the same width."""
        if self.latin1:
            return text.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")
        return text.replace("\u00a0", "\u202f") if self.family == "Carlito" else text

    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = SLATE) -> float:
        """Set the font; the height of one of its lines, in millimetres."""
        self.pdf.set_font(self.family, "B" if bold else "", size * self.scale)
        self.pdf.set_text_color(*colour)
        return size * self.scale * 0.3528 * 1.28

    def para(
        self,
        text: str,
        size: float,
        bold: bool = False,
        colour=SLATE,
        width: float = WIDTH,
        after: float = 2.0,
        link: str = "",
    ) -> None:
        line = self.font(size, bold, colour)
        self.pdf.multi_cell(width, line, self.text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT, link=link)
        self.pdf.set_y(self.pdf.get_y() + after * self.scale)


def _figures_strip(page: _Page, report: Report) -> None:
    """The figures behind the decision, side by side in boxes like the page's cards."""
    pdf, items = page.pdf, figures(report)
    gap, top = 2.5, pdf.get_y()
    width = (WIDTH - gap * (len(items) - 1)) / len(items)
    bottoms = []
    for i, (label, value, note) in enumerate(items):
        x = MARGIN + i * (width + gap)
        pdf.set_xy(x + 1.5, top + 1.5)
        for text, size, bold, colour in ((label, 8, False, GREY), (value, 14, True, SLATE), (note, 7, False, GREY)):
            line = page.font(size, bold, colour)
            pdf.multi_cell(width - 3, line, page.text(text), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottoms.append(pdf.get_y() + 1.5)
    pdf.set_draw_color(*LINE)
    for i in range(len(items)):
        pdf.rect(MARGIN + i * (width + gap), top, width, max(bottoms) - top, round_corners=True, corner_radius=1.5)
    pdf.set_xy(MARGIN, max(bottoms) + 3 * page.scale)


def _assumptions_table(page: _Page, report: Report, rows: int) -> None:
    pdf = page.pdf
    page.para(t("Key assumptions and how each is known"), 10.5, bold=True, after=1)
    page.font(8)
    pdf.set_draw_color(*LINE)
    header = (t("Assumption"), t("Value"), t("Range"), t("Grade"))
    with pdf.table(
        col_widths=(46, 14, 24, 16),
        width=WIDTH,
        line_height=page.font(8) * 0.95,
        text_align="LEFT",
        first_row_as_headings=True,
        borders_layout="HORIZONTAL_LINES",
        padding=0.8,
        headings_style=_headings(page),
    ) as table:
        for cells in [header, *assumptions(report)[:rows]]:
            row = table.row()
            for cell in cells:
                row.cell(page.text(cell))
    pdf.set_y(pdf.get_y() + 1.5 * page.scale)
    page.para(
        t("Every value's source is in the dashboard's Method & sources tab and in the deck's appendix."),
        8,
        colour=GREY,
        after=3,
    )


def _headings(page: _Page):
    from fpdf.fonts import FontFace

    return FontFace(family=page.family, emphasis="BOLD", color=SLATE, size_pt=8 * page.scale)


def _draw(
    report: Report, link: str | None, today: dt.date, chart: bytes | None, scale: float, rows: int, chart_width: float
) -> _Page:
    page = _Page(scale)
    pdf, params = page.pdf, report.params
    product, kind = t("Cost of a Shrug"), t("One-page brief")
    pdf.set_title(page.text(f"{product}: {say(params.name)}"))
    pdf.set_lang(language())
    pdf.set_creator("Cost of a Shrug")
    page.para(f"{product} · {kind} · {day(today, long=True)}", 8.5, colour=GREY, after=1)
    page.para(say(params.name), 13, bold=True, after=2.5)
    headline, sure = answer(report)
    page.para(headline, 16, bold=True, colour=GREEN if report.mc.fix_pays else RED, after=1.5)
    page.para(sure, 10, after=3)
    _figures_strip(page, report)
    page.para(
        t("The fix: {fix}.", fix=t("{changes}; costs {costs}", changes=fix_changes(params), costs=fix_costs(params))),
        9,
        after=2,
    )
    if chart is not None:
        pdf.image(
            _bytes(chart),
            x=MARGIN + (WIDTH - chart_width) / 2,
            w=chart_width,
            h=chart_width * CHART_H / CHART_W,
            alt_text=page.text(t("Does fixing it pay?")),
        )
        pdf.set_y(pdf.get_y() + 2 * scale)
    else:
        page.para(
            t("The chart is drawn with Chromium, which this machine does not have (apt-get install chromium)."),
            9,
            colour=GREY,
            after=3,
        )
    page.para(npv_drivers_sentence(report), 9.5, after=3)
    _assumptions_table(page, report, rows)
    page.para(
        t(
            "{date} · means of {draws} Monte Carlo draws · seed {seed}",
            date=day(today, long=True),
            draws=people(report.mc.draws),
            seed=report.mc.seed,
        ),
        8,
        colour=GREY,
        after=0.5,
    )
    if link is None:
        page.para(t("This scenario is too large for a link: share its scenario file."), 8, colour=GREY)
    else:
        shown = link if len(link) <= 160 else link[:157] + "..."
        page.para(t("Open this scenario: {link}", link=shown), 8, colour=(40, 90, 160), link=link)
    return page


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def brief_pdf(report: Report, link: str | None, today: dt.date | None = None) -> bytes:
    """The one-page brief of ``report`` (its words in the reader's language) as PDF bytes, with ``link``
    (``scenario_link``, or the page's own address) to reopen the scenario; dated ``today`` (default: today).
    The page is laid out at full size and, should a long scenario not fit, again a little smaller."""
    today, chart = today or dt.date.today(), _chart(report)
    for scale, rows, chart_width in ((1.0, 6, WIDTH), (0.92, 5, WIDTH * 0.85), (0.84, 4, WIDTH * 0.7)):
        page = _draw(report, link, today, chart, scale, rows, chart_width)
        if page.pdf.get_y() <= PAGE_H - MARGIN / 2:
            break
    return bytes(page.pdf.output())


def error_brief(reason: str) -> bytes:
    """A one-page PDF that says why the brief could not be made, so that a download always brings an answer."""
    page = _Page(1.0)
    page.para(t("The brief could not be made"), 16, bold=True, colour=RED, after=3)
    page.para(" ".join(say(reason).split())[:600], 10, after=3)
    page.para(
        t(
            "Try again, or export the data (Excel) and the scenario file, and report this message with the "
            "scenario file."
        ),
        9,
        colour=GREY,
    )
    return bytes(page.pdf.output())
