"""Presenter mode: the story in steps for a projector (eight where the scenario has a menu of fixes),
headless (AppTest) and in Chromium at 1280 x 720 and 1920 x 1080, moved on with the arrow keys; the
speaker notes on the presenter's own screen only. How each step fits the screen: test_presenter_fit.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from estimator import load_preset
from estimator.model.explain.report import Report
from estimator.present.formatting import money
from estimator.present.i18n import use
from estimator.present.story_steps import STEP_KEYS, steps

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def run(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def step_html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html") if "shrug-step" in h.proto.body)


def shown_step(at: AppTest) -> str:
    return re.search(r'data-step="([a-z_]+)"', step_html(at)).group(1)


def sentence(at: AppTest) -> str:
    return re.search(r'class="shrug-step-sentence"[^>]*>([^<]*)<', step_html(at)).group(1)


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("number", range(1, len(STEP_KEYS) + 1))
def test_every_step_shows_its_title_one_sentence_with_a_figure_and_one_chart(lang, number):
    at = run({"present": "1", "step": str(number), "lang": lang})
    assert shown_step(at) == STEP_KEYS[number - 1]
    assert re.search(r"\d", sentence(at))
    assert len(at.get("plotly_chart")) == 1
    assert not at.get("tab"), "presenter mode shows no tabs"
    assert not [h for h in at.get("html") if 'data-cards="headline"' in h.proto.body]


def test_the_sentences_quote_the_model_for_the_scenario_on_the_page():
    params = load_preset("gas_station").replace(bad_visit_rate=0.03)
    report = Report(params)
    at = run({"present": "1", "step": "1", "bad_visit_rate": "0.03"})
    assert money(report.ladder.rungs[0].value, "EUR", compact=True) in sentence(at)
    at = run({"present": "1", "step": "5", "bad_visit_rate": "0.03"})
    default = run({"present": "1", "step": "5"})
    assert sentence(at) != sentence(default)
    with use("fi"):
        finnish = steps(report)
    assert finnish[0].sentence != steps(report)[0].sentence


def test_next_and_back_move_one_step_and_the_link_keeps_it():
    at = run({"present": "1", "step": "1"})
    assert at.button(key="present_back").disabled
    at.button(key="present_next").click().run()
    assert at.query_params["step"] == "2" and shown_step(at) == "friends"
    at.button(key="present_back").click().run()
    assert at.query_params["step"] == "1" and shown_step(at) == "one_shrug"
    last = run({"present": "1", "step": str(len(STEP_KEYS))})
    assert last.button(key="present_next").disabled


@pytest.mark.parametrize("step", ["0", "99", "abc", "-1", "2.5", ""])
def test_a_tampered_step_opens_the_first(step):
    at = run({"present": "1", "step": step})
    assert shown_step(at) == "one_shrug"


def test_present_enters_and_leave_returns_to_the_dashboard():
    at = run({})
    at.button[0].click().run()  # "Present", beside the title
    assert at.query_params["present"] == "1" and shown_step(at) == "one_shrug"
    at.button(key="present_leave").click().run()
    assert "present" not in at.query_params and "step" not in at.query_params
    assert [h for h in at.get("html") if 'data-cards="headline"' in h.proto.body]


def test_speaker_notes_are_on_the_presenters_screen_never_on_the_projected_one():
    with use("en"):
        story = steps(Report(load_preset("gas_station")))
    projected = run({"present": "1", "step": "3"})
    assert 'class="shrug-step-notes"' not in step_html(projected)
    assert story[2].notes[:40] not in step_html(projected).replace("&#x27;", "'")
    assert not projected.get("toggle"), "no notes toggle on the projected screen"
    assert "notes=1" in re.search(r'class="shrug-notes-link" href="([^"]*)"', step_html(projected)).group(1)
    own = run({"present": "1", "notes": "1", "step": "3"})
    assert own.query_params["present"] == "notes" and "notes" not in own.query_params  # the link keeps the view
    assert shown_step(own) == "their_friends" and not own.get("plotly_chart")
    assert story[2].notes[:40] in step_html(own).replace("&#x27;", "'")
    assert f"Next: {story[3].title}" in step_html(own)
    own.button(key="present_next").click().run()
    assert own.query_params["step"] == "4" and shown_step(own) == "not_only_one"
    last = run({"present": "notes", "step": str(len(STEP_KEYS))})
    assert "This is the last step." in step_html(last)


@pytest.mark.parametrize("query", [{"notes": "1"}, {"present": "1", "notes": "yes"}])
def test_notes_without_presenter_mode_are_ignored_quietly(query):
    at = run(query)
    assert "notes" not in at.query_params and at.query_params.get("present") != "notes"
    assert not [w for w in at.warning if "notes" in w.value]


# --- In Chromium: the arrow keys, at a projector's and a full-HD screen's size --------------------------------

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.mark.e2e
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_arrow_keys_walk_every_step_and_each_fits_the_screen(chromium, server, size):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?present=1&step=1&lang=fi")
        for number, key in enumerate(STEP_KEYS, start=1):
            title = page.locator(f'h1.shrug-step-title[data-step="{key}"]')
            expect(title).to_be_visible(timeout=60_000)
            page.wait_for_function("() => { const p = document.querySelector('.js-plotly-plot');"
                                   " return p && p._fullLayout; }")
            assert f"step={number}" in page.url
            for part in ('.shrug-step-title', '.shrug-step-sentence', '.js-plotly-plot .main-svg'):
                box = page.locator(part).first.bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, (key, part, box)
                assert box["x"] + box["width"] <= size[0] + 1, (key, part, box)
            if number < len(STEP_KEYS):
                page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no widget focused
                page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[-2]}"]')).to_be_visible()
    finally:
        context.close()
