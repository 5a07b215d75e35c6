"""The one-page PDF brief: exactly one A4 page in English and Finnish for every preset, its figures the
report's one number (the same net present value as the page and the deck), its link reopening the scenario.

The PDF's text is read back with pypdf, as a reader's tools would. Without Chromium the brief says so where
its chart would be; the text checked here is the same either way.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

import tests.surfaces as S
from estimator import list_presets, load_preset
from estimator.present import brief, i18n
from estimator.present.brief import brief_pdf, error_brief, scenario_link

CASES = [(preset, lang) for preset in list_presets() for lang in ("en", "fi")]


def pdf_text(data: bytes) -> tuple[int, str]:
    """The number of pages and the text, lines joined as a sentence wraps; Carlito's narrow no-break space read
    as the no-break space the figures are written with."""
    pages = PdfReader(io.BytesIO(data)).pages
    text = "\n".join(page.extract_text() for page in pages).replace("\u202f", "\u00a0")
    return len(pages), re.sub(r"[ \t\r\n]+", " ", text)


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("preset,lang", CASES)
def test_the_brief_is_one_page_and_states_the_pages_and_the_decks_figures(reports, preset, lang):
    from estimator.app.decision import answer

    report = reports(preset)
    with i18n.use(lang):
        data = brief_pdf(report, scenario_link(report.params, preset, lang))
        headline, sure = answer(report)  # the "Fix it?" tab's own sentences
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert pages == 1, (preset, lang, pages)
    media = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(media.width)), round(float(media.height))) == (595, 842)  # A4 portrait, in points
    assert plain(headline) in plain(text) and plain(sure) in plain(text), (preset, lang, text[:400])
    expected = S.expected_of(report, lang)
    with i18n.use(lang):
        assert S.states(text, expected, "npv_fix"), (preset, lang, expected.canonical("npv_fix"), text[:400])
        deck = S.collect_deck(report, lang)
        deck_text = "\n".join(piece.text for piece in deck.pieces)
        assert S.states(deck_text, expected, "npv_fix")  # the deck says the same net present value
        if report.mc.payback_month is not None:
            assert expected.canonical("payback_month") in text
        for row in report.tornado_npv[:3]:  # the three biggest drivers
            assert plain(i18n.say(row.label)) in plain(text)
    assert f"preset={preset}" in text and f"lang={lang}" in text
    surface = S.Surface("brief", pieces=[S.Piece("brief", text)])
    problems = S.check(surface, expected)  # no median or value at the modes anywhere; payback as the mean's
    assert not problems, S.report_problems(f"brief · {preset} · {lang}", problems)


def test_a_brief_from_a_ready_report_runs_nothing_again(reports, monkeypatch):
    """The brief shows the report's figures; it computes none of its own (how fast it is made is bench work)."""
    from estimator.model.explain import report as report_module

    report = reports("hotel")
    first = pdf_text(brief_pdf(report, None))

    def computed_again(*args, **kwargs):
        raise AssertionError("the brief ran the model again")

    for name in ("monte_carlo", "simulate", "evaluate_menu"):
        if hasattr(report_module, name):
            monkeypatch.setattr(report_module, name, computed_again)
    assert pdf_text(brief_pdf(report, None)) == first


def test_finnish_letters_and_the_euro_sign_are_embedded_and_the_fallback_font_still_makes_a_page(reports,
                                                                                              monkeypatch):
    report = reports("gas_station")
    with i18n.use("fi"):
        text = pdf_text(brief_pdf(report, None))[1]
    assert "€" in text and "ä" in text and "ö" in text and "Keskeiset oletukset" in text
    monkeypatch.setattr(brief, "FONTS", ())  # no TrueType font on this machine: the built-in Helvetica
    with i18n.use("fi"):
        pages, text = pdf_text(brief_pdf(report, None))
    assert pages == 1 and "EUR" in text and "€" not in text and "Keskeiset oletukset" in text


def test_the_link_reopens_the_scenario_as_the_page_writes_it():
    from urllib.parse import parse_qs, urlsplit

    from estimator.model.scenarios.scenario_link import scenario_from_link_token

    hotel = load_preset("hotel")
    assert scenario_link(hotel, "hotel", "fi") == "http://localhost:8501/?preset=hotel&lang=fi"
    changed = hotel.replace(bad_visit_rate=0.05, seed=7).model_copy(update={"fix": {}})
    query = parse_qs(urlsplit(scenario_link(changed, "hotel")).query)
    assert query == {"preset": ["hotel"], "fix": ["none"], "bad_visit_rate": ["0.05"], "seed": ["7"], "lang": ["en"]}
    own = hotel.replace(name="My hotel", customers=1234)  # a scenario file: carried whole, as the page does
    query = parse_qs(urlsplit(scenario_link(own, None, "en")).query)
    assert scenario_from_link_token(query["file"][0]) == own


def test_a_brief_that_cannot_be_made_says_why_on_one_page():
    pages, text = pdf_text(error_brief("ValueError: something broke"))
    assert pages == 1 and "The brief could not be made" in text and "something broke" in text


@pytest.mark.e2e
def test_the_export_tab_downloads_the_brief_and_the_deck_named_in_the_readers_language(chromium, server, reports):
    """In Finnish, "Lataa yhden sivun yhteenveto (PDF)" brings a one-page PDF named in Finnish whose net present
    value is the page's card's, with the page's link in it; the deck's file is named in Finnish too."""
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?preset=gas_station&lang=fi&tab=Vienti")
        expect(page.locator('[data-cards="headline"] .shrug-card')).to_have_count(6, timeout=60_000)
        card = page.locator('.shrug-card[data-label="Korjauksen nettoarvo"] .shrug-card-value').inner_text()
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Lataa yhden sivun yhteenveto (PDF)").click()
        assert download.value.suggested_filename == "lyhyt_yhteenveto_huoltoasema_vessa_ja_olankohautus.pdf"
        pages, text = pdf_text(open(download.value.path(), "rb").read())
        assert pages == 1 and plain(card) in plain(text), (card, text[:300])
        assert f"{server}/?" in text and "preset=gas_station" in text and "lang=fi" in text and "tab=" not in text
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=re.compile(r"^Diat \(PowerPoint")).click()
        assert download.value.suggested_filename == "huoltoasema_vessa_ja_olankohautus.pptx"
    finally:
        context.close()
