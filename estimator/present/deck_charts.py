"""The deck's native charts: their look, their number formats in the reader's language (the same on
every machine), and their alt text. ``deck`` lays out the slides; this module draws the charts on them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pptx.chart.data import CategoryChartData
from pptx.chart.datalabel import DataLabel, DataLabels
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation
from pptx.util import Emu, Inches, Pt

from .formatting import currency_affixes, money, unit_word
from .i18n import language, t, use
from .textfit import shrink, text_box

RED, BLUE, SLATE, GREY = (
    RGBColor(0xC0, 0x39, 0x2B),
    RGBColor(0x2E, 0x86, 0xAB),
    RGBColor(0x34, 0x49, 0x5E),
    RGBColor(0x7F, 0x8C, 0x8D),
)
WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in, 16:9
LEFT, FULL = Inches(0.6), Inches(12.1)
BODY = (LEFT, Inches(1.45), FULL, Inches(5.5))
LOWER = (LEFT, Inches(1.9), FULL, Inches(5.05))  # a chart under a line of text
NOTE = (LEFT, Inches(6.98), FULL, Inches(0.45))


def titled_slide(prs: Presentation, title: str, notes: str, footer: str = ""):
    """A 'Title Only' slide, its title placed for 16:9 and sized to fit, its notes and grey ``footer``."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.notes_slide.notes_text_frame.text = notes
    if footer:
        text_box(slide, NOTE, [(footer, 11, False, GREY)])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = box = (LEFT, Inches(0.3), FULL, Inches(1.1))
    shape.text = title
    shape.text_frame.word_wrap = True
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.font.size = Pt(int(30 * shrink([(title, 30)], box) * 2) / 2)
    paragraph.font.bold = True
    paragraph.font.color.rgb = SLATE
    return slide


class ChartFormat(str):
    """A chart's number format code that knows how to write one of its values as text (``write``).

    PowerPoint and LibreOffice write a format's decimal point and thousands separator (``.`` and
    ``,`` in the code) as the viewer's system does, whatever language the deck is in: a Finnish deck
    showed ``1,459 €`` on an English PC. So the codes here have neither (whole units, thousands or
    millions, each scaled by the code's trailing commas, which no locale changes), and the data labels,
    which must say ``2,45 milj. €`` or ``€1,459`` as the slide's title does, are written out as text.
    """

    write: Callable[[float], str]

    def __new__(cls, code: str, write: Callable[[float], str]) -> ChartFormat:
        made = super().__new__(cls, code)
        made.write = write
        return made


def money_format(currency: str, values: Sequence[float], signed: bool = False) -> ChartFormat:
    """A chart number format for money as people say it, scaled to the chart's largest value, the same on
    every machine: an axis in whole units (``€1500``), thousands (``€587 k``, ``2500 t. €``) or, from ten
    million, millions (``€17 M``), with ``+``/``−`` when ``signed``; its data labels as ``money`` writes them.

    >>> code = money_format("EUR", [2_450_000.0])
    >>> str(code), code.write(2_450_000.0)
    ('"€"0," k";"−€"0," k";"€"0', '€2.45 M')
    >>> with use("fi"):
    ...     code = money_format("EUR", [1_459.0], signed=True)
    >>> str(code).replace("\xa0", " "), code.write(1_459.0).replace("\xa0", " ")
    ('"+"0" €";"−"0" €";0" €"', '+1 459 €')
    """
    biggest = max((abs(float(v)) for v in values), default=0.0)
    number, unit = (
        ("0,,", unit_word(1e6)) if biggest >= 1e7 else ("0,", unit_word(1e3)) if biggest >= 1e4 else ("0", "")
    )
    symbol, after = currency_affixes(currency)  # where the locale puts them: "€587 k", "2500 t. €", "950 SEK"
    sections = (
        (("+" if signed else "") + symbol, number, unit + after),
        ("−" + symbol, number, unit + after),
        (symbol, "0", after),
    )
    code = ";".join((f'"{a}"' if a else "") + n + (f'"{b}"' if b else "") for a, n, b in sections)

    def write(value: float, code: str = language()) -> str:  # in the language the format was made in
        with use(code):
            text = money(value, currency, compact=True)
        return "+" + text if signed and round(value) > 0 else text

    return ChartFormat(code, write)


def number_labels(labels, number_format: str) -> None:
    """Data or tick labels in ``number_format`` (not the source data's); data labels of a ``ChartFormat``
    written out as text, point by point."""
    labels.number_format, labels.number_format_is_linked = number_format, False
    write = getattr(number_format, "write", None)
    if write is None or not isinstance(labels, DataLabels):
        return
    owner = labels._element.getparent()  # a series' labels, or a whole plot's
    for ser in [owner] if owner.tag == qn("c:ser") else owner.findall(qn("c:ser")):
        for point in ser.xpath("./c:val//c:pt"):
            DataLabel(ser, int(point.get("idx"))).text_frame.text = write(float(point.findtext(qn("c:v"))))


def native_chart(
    slide,
    kind,
    categories: Sequence[str],
    series: Mapping[str, Iterable[float]],
    number_format: str,
    colours: Sequence[RGBColor | None],
    legend: bool = True,
    box: tuple = BODY,
):
    """A native chart of ``series`` (name: values), each in its colour (``None``: invisible), without a title
    of its own (the slide's says it), its value axis in ``number_format``."""
    data = CategoryChartData()
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, [float(v) for v in values])
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.has_title, chart.has_legend = False, legend
    if legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        chart.legend.font.size = Pt(12)
    number_labels(chart.value_axis.tick_labels, number_format)
    chart.value_axis.tick_labels.font.size = chart.category_axis.tick_labels.font.size = Pt(12)
    chart.value_axis.has_major_gridlines = True
    for plotted, colour in zip(chart.plots[0].series, colours):
        if colour is None:
            plotted.format.fill.background()
            plotted.format.line.fill.background()
        elif kind == XL_CHART_TYPE.LINE:
            plotted.format.line.color.rgb = colour
            plotted.format.line.width = Pt(2.5)
            plotted.smooth = False
        else:
            plotted.format.fill.solid()
            plotted.format.fill.fore_color.rgb = colour
    return chart


def describe_charts(prs: Presentation) -> None:
    """Alt text for every chart, as screen readers and PowerPoint's accessibility checker read it:
    the slide's action title (which states the finding with its figure) and the chart's series."""
    for slide in prs.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                series = ", ".join(
                    s.name for s in shape.chart.plots[0].series if s.name and s.name.strip() and s.name != t("base")
                )  # the invisible base
                words = t("Chart: {title}", title=title) + (f" ({series})" if series else "")
                shape._element.nvGraphicFramePr.cNvPr.set("descr", words)


def fill_table(
    table,
    rows: Sequence[Sequence[str]],
    heights: Sequence[float],
    size: float,  # noqa: ANN001
    text_columns: Sequence[int],
    bold_row: int | None = None,
) -> None:
    """Write text cells into a native table: each row at its height (pt), every cell at ``size`` pt; figures
    right-aligned under centred headers, the ``text_columns`` left as they are; ``bold_row`` in bold."""
    for r, (row, height) in enumerate(zip(rows, heights)):
        table.rows[r].height = Pt(height)
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.font.size = Pt(size)
            if bold_row is not None:
                paragraph.font.bold = r == bold_row or None
            if c not in text_columns:
                paragraph.alignment = PP_ALIGN.RIGHT if r else PP_ALIGN.CENTER  # figures, their headers
