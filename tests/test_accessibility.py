"""The accessibility basics both languages and presenter mode rely on: text contrast of at least
4.5:1 (WCAG 2.1 AA, normal text) for every colour our own CSS and charts set, charts that never tell
two things apart by red against green, and help that a keyboard can reach."""

from __future__ import annotations

import colorsys
import re

import pytest

from estimator import list_presets, load_preset
from estimator.app.cards import CARD_CSS, Card, cards_html
from estimator.app.presenter import PRESENTER_CSS
from estimator.model.explain.report import Report
from estimator.present import figures
from estimator.present.figures import CHARTS

WHITE = "#FFFFFF"


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""
    value = hex_colour.lstrip("#")
    value = "".join(c * 2 for c in value) if len(value) == 3 else value
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_the_standard_examples():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def _rules(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of every CSS rule that sets a text colour."""
    out = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        colour = re.search(r"(?<![-\w])color:(#[0-9A-Fa-f]{3,6})", body)
        if colour:
            background = re.search(r"background:(#[0-9A-Fa-f]{3,6})", body)
            out.append((selector.strip(), colour.group(1), background.group(1) if background else WHITE))
    return out


@pytest.mark.parametrize("css", [CARD_CSS, PRESENTER_CSS], ids=["cards", "presenter"])
def test_every_text_colour_of_our_css_has_at_least_4_5_to_1(css):
    rules = _rules(css)
    assert rules
    weak = [(s, c, b, round(contrast(c, b), 2)) for s, c, b in rules if contrast(c, b) < 4.5]
    assert not weak


def test_chart_text_has_at_least_4_5_to_1():
    assert contrast(figures.FONT["color"], WHITE) >= 4.5


def _colours(figure) -> list[str]:
    found = []
    for trace in figure.to_dict()["data"]:
        for path in (("line", "color"), ("marker", "color"), ("fillcolor",)):
            value = trace
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            found += value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for part in ("increasing", "decreasing", "totals"):
            colour = trace.get(part, {}).get("marker", {}).get("color")
            found += [colour] if colour else []
    return found


def _is_green(colour: str) -> bool:
    match = re.match(r"#([0-9A-Fa-f]{6})$", colour) or None
    if match:
        r, g, b = (int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    else:
        rgba = re.match(r"rgba?\((\d+),(\d+),(\d+)", colour.replace(" ", ""))
        if not rgba:
            return False
        r, g, b = (int(x) / 255 for x in rgba.groups())
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return 75 <= hue * 360 <= 165 and saturation > 0.25


@pytest.mark.parametrize("preset", list_presets())
def test_no_chart_tells_things_apart_by_red_against_green(preset):
    report = Report(load_preset(preset).replace(draws=512))
    for chart in CHARTS:
        colours = _colours(chart.build(report))
        assert colours, chart.slug
        assert not [c for c in colours if _is_green(c)], (chart.slug, colours)


def test_as_is_and_fixed_lines_differ_by_more_than_colour():
    report = Report(load_preset("gas_station").replace(draws=512))
    lines = [t for t in figures.fig_fix(report.mc, "EUR").to_dict()["data"] if t.get("mode", "lines") != "markers"]
    assert len({(t.get("line", {}).get("dash") or "solid") for t in lines}) == 2


def test_card_help_is_reachable_by_keyboard_and_named_for_screen_readers():
    body = cards_html([Card("Revenue lost", "3 yr", "€1.0 M", "band", "note", "help text")], "headline")
    assert 'tabindex="0"' in body and 'aria-label="About Revenue lost"' in body and 'role="tooltip"' in body


def test_the_theme_text_and_primary_buttons_have_at_least_4_5_to_1():
    import tomllib
    from pathlib import Path

    theme = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())["theme"]
    assert contrast(theme["textColor"], theme["backgroundColor"]) >= 4.5
    assert contrast(theme["textColor"], theme["secondaryBackgroundColor"]) >= 4.5
    assert contrast(WHITE, theme["primaryColor"]) >= 4.5  # the label on a primary button ("Next")


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_every_chart_in_the_deck_has_alt_text_that_states_its_finding(lang):
    import io

    from pptx import Presentation

    from estimator.present.deck import build_deck
    from estimator.present.i18n import use

    report = Report(load_preset("gas_station").replace(draws=256))
    with use(lang):
        deck = Presentation(io.BytesIO(build_deck(report)))
    charts = [(slide, shape) for slide in deck.slides for shape in slide.shapes
              if getattr(shape, "has_chart", False) and shape.has_chart]
    assert len(charts) >= 5
    for slide, shape in charts:
        words = shape._element.nvGraphicFramePr.cNvPr.get("descr")
        assert words and slide.shapes.title.text in words and re.search(r"\d", words)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_exported_images_carry_their_alt_text(lang):
    import io
    import xml.etree.ElementTree as ET

    from PIL import Image

    from estimator.present.i18n import use
    from estimator.present.images import alt_text, chromium_available, figure_image
    from tests.browser import require

    require(chromium_available(), "Chromium", "apt-get install chromium")
    report = Report(load_preset("gas_station").replace(draws=256))
    with use(lang):
        figure = CHARTS[0].build(report)
        png, svg = figure_image(figure, "png"), figure_image(figure, "svg")
        title, description = alt_text(figure)
    image = Image.open(io.BytesIO(png))
    image.load()  # checks every chunk's CRC
    assert image.size == (1600, 900) and image.text == {"Title": title, "Description": description}
    assert title == figure.layout.title.text and description.startswith(title) and len(description) > len(title)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.find(f"{ns}title").text == title
    assert root.find(f"{ns}desc").text == description
