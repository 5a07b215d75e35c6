"""docs/evidence.md is generated, and every preset's grades obey the rules of docs/methodology.md,
section 8: ``published`` only when both the value and its range come from a figure the source line
names, with where in the source it is; anything reasoned from a source is an ``assumption``."""

from __future__ import annotations

import pytest

from estimator.model.scenarios.scenario_files import list_presets
from estimator.model.scenarios.sources import (Entry, Figure, Registry, Source, grade_by_rule, line_problems, load_registry,
                                     preset_entries, published_problems, read_preset)
from estimator.present.evidence import COMMAND, EVIDENCE_PATH, current_evidence, evidence_main, evidence_markdown

REGISTRY = load_registry()
PRESETS = list_presets()


def test_docs_evidence_md_is_what_the_generator_writes():
    assert EVIDENCE_PATH.read_text(encoding="utf-8") == current_evidence(), (
        f"docs/evidence.md is out of date: run `{COMMAND}` (and read what changed)")


def test_the_generated_document_shows_no_breach_of_the_rules():
    breaches = [line for line in current_evidence().splitlines() if line.startswith("| `") and "⚠" in line]
    assert not breaches, breaches[:3]


@pytest.mark.parametrize("name", PRESETS)
def test_every_value_of_every_preset_obeys_the_grading_rules(name):
    broken = {e.name: line_problems(e, REGISTRY) for e in preset_entries(read_preset(name))}
    broken = {k: v for k, v in broken.items() if v}
    assert not broken, f"{name}: {broken}"


@pytest.mark.parametrize("name", PRESETS)
def test_a_published_value_names_a_registry_source_a_figure_and_where(name):
    for entry in preset_entries(read_preset(name)):
        if entry.grade != "published":
            continue
        sources = REGISTRY.cited_in(entry.line)
        figures = [(s, f) for s in sources for f in s.figures_in(entry.line) if f.located]
        assert figures, f"{name}.{entry.name}: no verified figure of a registry source named"
        assert "assumption" not in entry.line.lower(), f"{name}.{entry.name}: its line calls it an assumption"


def test_complaint_rates_graded_published_name_the_figure_and_the_place_they_use():
    for name in PRESETS:
        for entry in preset_entries(read_preset(name)):
            if entry.name == "complaint_rate" and entry.grade == "published":
                fig = next(f for s in REGISTRY.cited_in(entry.line) for f in s.figures_in(entry.line)
                           if f.parameter == "complaint_rate" and not published_problems(entry, REGISTRY))
                assert fig.figure.replace("–", "-") in entry.line.replace("–", "-")
                assert fig.place in entry.line


# --- the rules, one at a time ----------------------------------------------------------------

FIG = Figure("quality", "5-30 %", "Quality problems draw 5-30 % complaints.", "notes on the article, secondary",
             "notes on the article", parameter="complaint_rate", low=0.05, high=0.30)
CALIBRATED = Figure("per_star", "5-9 %", "+1 star gives 5-9 % revenue.", "abstract", "abstract",
                    calibrates=("acquisition_per_star",), low=0.05, high=0.09)
HIDDEN = Figure("hidden", "-0.1", "A shift of -0.1.", "not verified here: tables not seen", "not seen",
                parameter="influence_negative", value=-0.1)
TOY = Registry(sources=(Source("goodman", "Goodman (1999)", ("Goodman",), "ref", "notes", "", (FIG,)),
                        Source("luca", "Luca (2011)", ("Luca",), "ref", "abstract", "", (CALIBRATED,)),
                        Source("ehl", "EHL (2008)", ("Lomax",), "ref", "abstract", "", (HIDDEN,))),
               supports=())
GOOD = "Goodman (1999), as reported by notes on the article: quality problems draw 5-30 % complaints."


def _problems(mode, rng, line=GOOD, name="complaint_rate"):
    return published_problems(Entry(name, mode, rng, "published", line), TOY)


def test_a_published_value_takes_its_range_from_the_source_and_its_mode_from_the_middle():
    assert _problems(0.15, (0.05, 0.30)) == []
    assert _problems(0.175, (0.05, 0.30)) == []
    assert any("range" in p for p in _problems(0.2, (0.1, 0.3)))              # a narrower range is a judgement
    assert any("middle third" in p for p in _problems(0.10, (0.05, 0.30)))   # so is a mode near one end
    assert any("range" in p for p in _problems(0.15, None))                  # known, but the source gives a range


def test_a_line_that_says_assumption_cannot_be_published():
    line = GOOD + " Mode 10 %, an assumption."
    assert "its source line calls it an assumption" in _problems(0.15, (0.05, 0.30), line)


def test_a_published_value_names_a_source_a_figure_and_where_it_is():
    assert _problems(0.15, (0.05, 0.3), "A survey found 5-30 %.") == ["its source line names no source of the registry"]
    assert "names no figure" in _problems(0.15, (0.05, 0.3), "Goodman (1999): many complain.")[0]
    assert any("where in the source" in p for p in _problems(0.15, (0.05, 0.3), "Goodman (1999): 5-30 % complain."))


def test_a_figure_of_another_quantity_counts_only_through_a_stated_calibration():
    line = "Luca (2011), abstract: +1 star gives 5-9 % more revenue. Calibrated so that a one-star rise gives 7 %."
    assert published_problems(Entry("acquisition_per_star", 0.19, (0.14, 0.25), "published", line), TOY) == []
    assert any("calibrated" in p for p in published_problems(
        Entry("acquisition_per_star", 0.19, (0.14, 0.25), "published", line.split(" Calibrated")[0]), TOY))
    transfer = published_problems(Entry("spend_per_star", 0.07, (0.05, 0.09), "published", line), TOY)
    assert any("does not measure spend_per_star" in p for p in transfer)     # a transfer is an assumption


def test_a_figure_not_verified_in_its_source_is_never_published_and_is_said_to_be_unverified():
    line = "Lomax (2008): a shift of about -0.1."
    entry = Entry("influence_negative", -0.1, None, "published", line)
    assert any("not verified" in p for p in published_problems(entry, TOY))
    assert any("without saying so" in p for p in line_problems(Entry("influence_negative", 0.03, None, "assumption",
                                                                     "Assumption, starting from " + line), TOY))
    assert not line_problems(Entry("influence_negative", 0.03, None, "assumption",
                                   "Assumption: the -0.1 often attributed to Lomax (2008) is not verified."), TOY)


def test_a_value_graded_assumption_says_so_in_its_line():
    assert line_problems(Entry("x", 1, None, "assumption", "Goodman (1999): 5-30 %."), TOY)
    for line in ("Assumption: a guess.", "Simulation setting: three years.", "The folk story's own figure: he left."):
        assert not line_problems(Entry("x", 1, None, "assumption", line), TOY)


def test_a_parameter_the_generator_does_not_know_is_listed_as_written_and_graded_by_the_rule():
    data = {"name": "New", "parameters": {"deterrence_ratio": {"mode": 4, "low": 2, "high": 8},
                                          "complaint_rate": {"mode": 0.15, "low": 0.05, "high": 0.3}},
            "sources": {"deterrence_ratio": "Assumption, starting from East et al. (2017): more than four times.",
                        "complaint_rate": "Goodman, J. (1999), as reported by notes on the article: 5-30 %."}}
    entries = {e.name: e for e in preset_entries(data)}
    assert grade_by_rule(entries["deterrence_ratio"], REGISTRY) == "assumption"
    assert grade_by_rule(entries["complaint_rate"], REGISTRY) == "published"
    text = evidence_markdown([("new", data)], REGISTRY)
    assert "| `deterrence_ratio` | 4 (2–8) | assumption (by rule) | Assumption, starting from East et al. (2017)" in text
    assert "| `complaint_rate` | 0.15 (0.05–0.3) | published (by rule) |" in text


# --- the registry -----------------------------------------------------------------------------

def test_every_source_has_a_reference_what_was_read_and_findings_and_every_figure_says_where():
    ids = [s.id for s in REGISTRY.sources]
    assert len(ids) == len(set(ids))
    for source in REGISTRY.sources:
        assert source.reference and source.read and source.findings and source.cited_as, source.id
        assert len({f.id for f in source.figures}) == len(source.figures), source.id
        for fig in source.figures:
            assert fig.figure and fig.says and fig.where and fig.place, (source.id, fig.id)
            if fig.parameter or fig.calibrates:
                assert fig.value is not None or (fig.low is not None and fig.high is not None), (source.id, fig.id)


def test_the_two_citations_the_model_leans_on_are_registered_as_verified():
    east = next(s for s in REGISTRY.sources if s.id == "east_2017")
    assert "Romaniuk, J., Chawdhary, R., & Uncles, M. (2017)" in east.reference and "321-334" in east.reference
    assert "more than four times" in east.findings and "volume and issue" in east.unverified
    matos = next(s for s in REGISTRY.sources if s.id == "de_matos_2007")
    assert "Journal of Service Research 10(1)" in matos.reference
    assert {f.id for f in matos.figures} >= {"satisfaction", "repurchase", "word_of_mouth"}


@pytest.mark.parametrize("name", PRESETS)
def test_a_source_line_that_cites_a_year_cites_a_registry_source(name):
    import re

    for entry in preset_entries(read_preset(name)):
        if re.search(r"\((?:19|20)\d\d\)|\b(?:19|20)\d\d\b", entry.line) and not entry.line.startswith("Simulation"):
            assert REGISTRY.cited_in(entry.line), f"{name}.{entry.name}: a citation not in the registry"


def test_the_command_checks_and_writes(tmp_path, capsys):
    out = tmp_path / "evidence.md"
    assert evidence_main(["--check", "--out", str(out)]) == 1
    assert evidence_main(["--out", str(out)]) == 0 and out.read_text(encoding="utf-8") == current_evidence()
    assert evidence_main(["--check", "--out", str(out), "--lang", "fi"]) == 0
    assert "ajan tasalla" in capsys.readouterr().out
