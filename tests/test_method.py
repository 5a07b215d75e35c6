"""The Method & sources tab: the methodology's formulas as LaTeX math for KaTeX (in Streamlit and on
GitHub), the rest of its Markdown made safe, and the parameter table whole and on screen."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from estimator.app import method
from estimator.app.method import METHODOLOGY, methodology_markdown
from estimator.model.inputs.catalogue import CATALOGUE
from tests.conftest import ROOT
from tests.surfaces import as_shown

TAB = "Method & sources"
DOC = METHODOLOGY.read_text(encoding="utf-8").split("## References")[0]  # what the tab shows
PROSE_AND_MATH = re.sub(r"^```.*?^```[ \t]*$", "", DOC, flags=re.S | re.M)  # fenced code removed
CODE_SPAN = re.compile(r"(`+)[\s\S]*?(?<!`)\1(?!`)")
DISPLAY = re.compile(r"^[ \t]*\$\$[ \t]*\n([\s\S]*?)\n[ \t]*\$\$[ \t]*$", re.M)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)", re.S)

#: The LaTeX commands the methodology uses; all are in KaTeX's supported list and MathJax's (GitHub).
KATEX_COMMANDS = {
    "alpha", "beta", "delta", "Delta", "eta", "kappa", "lambda", "pi", "rho", "sigma", "tau", "theta", "ell",
    "cdot", "times", "le", "ge", "ll", "ldots", "ast", "varnothing", "qquad", "quad",
    "exp", "min", "sum", "frac", "left", "right", "bar", "text", "mathrm", "operatorname",
}


def display_blocks(text: str = PROSE_AND_MATH) -> list[str]:
    return DISPLAY.findall(text)


def inline_maths(text: str = PROSE_AND_MATH) -> list[str]:
    without_display = DISPLAY.sub("", text)
    return INLINE.findall(CODE_SPAN.sub("", without_display))


def prose(text: str = PROSE_AND_MATH) -> str:
    """The text outside math and code."""
    return INLINE.sub(" ", CODE_SPAN.sub(" ", DISPLAY.sub(" ", text)))


def section(title: str) -> str:
    """One section of the methodology, from its heading to the next heading of its level or above."""
    start = DOC.index(title)
    level = title.split(" ")[0]
    after = start + len(title)
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", DOC[after:], re.M)]
    return DOC[start:after + ends[0]] if ends else DOC[start:]


# (a) the function that prepares the methodology for st.markdown -------------------------------------------

def test_math_and_code_are_left_as_written_and_underscores_in_prose_are_escaped():
    text = ("Customers $C_t$ and a_b in prose, `code_span` kept,\n\n$$\n\\pi^{n,c}_t = 1 - \\exp(-\\eta_t)\n$$\n\n"
            "```python\nmarket_size = 1\n```\nand more_text.")
    out = methodology_markdown(text)
    assert "$C_t$" in out and "`code_span`" in out and "a\\_b" in out and "more\\_text" in out
    assert "$$\n\\pi^{n,c}_t = 1 - \\exp(-\\eta_t)\n$$" in out
    assert "```python\nmarket_size = 1\n```" in out
    assert out.replace("\\_", "_") == text  # nothing else changes


def test_escaped_dollars_already_escaped_underscores_and_indented_display_math():
    text = "costs \\$5 for a_b, not \\$7; an \\_ stays\n\n1. Step\n\n   $$\n   X_{t+1} = x_t\n   $$\n\n   y_t"
    out = methodology_markdown(text)
    assert out == ("costs \\$5 for a\\_b, not \\$7; an \\_ stays\n\n1. Step\n\n   $$\n   X_{t+1} = x_t\n   $$\n\n"
                   "   y\\_t")


def test_inline_math_does_not_run_across_paragraphs():
    out = methodology_markdown("a lone $ sign in a_b\n\nand another $ in c_d")
    assert out == "a lone $ sign in a\\_b\n\nand another $ in c\\_d"


def test_the_worked_example_in_the_docstring_runs():
    failed, attempted = doctest.testmod(method, verbose=False)
    assert attempted and not failed


# (b) the methodology parses into balanced math ---------------------------------------------------------------

def test_every_display_block_is_a_paragraph_of_its_own_between_double_dollar_lines():
    lines = PROSE_AND_MATH.split("\n")
    fences = [i for i, line in enumerate(lines) if "$$" in line]
    assert fences and len(fences) % 2 == 0, "every $$ opens and closes"
    for opening, closing in zip(fences[::2], fences[1::2]):
        assert lines[opening].strip() == "$$" and lines[closing].strip() == "$$", lines[opening]
        assert lines[opening - 1].strip() == "" and lines[closing + 1].strip() == "", lines[opening + 1]
        assert all(lines[i].strip() for i in range(opening + 1, closing)), "no blank line inside display math"
    assert len(display_blocks()) == len(fences) // 2


def test_inline_dollars_pair_up_within_every_paragraph_outside_code():
    text = DISPLAY.sub("", PROSE_AND_MATH)
    for paragraph in re.split(r"\n[ \t]*\n", text):
        dollars = CODE_SPAN.sub("", paragraph).replace("\\$", "").count("$")
        assert dollars % 2 == 0, paragraph
    for tex in inline_maths():  # GitHub's rule: no space just inside the dollars
        assert tex == tex.strip(), tex


# (c) every formula is LaTeX that KaTeX and GitHub render -----------------------------------------------------

@pytest.mark.parametrize("tex", display_blocks() + inline_maths())
def test_math_is_plain_ascii_latex_with_balanced_groups_and_known_commands(tex):
    assert tex.isascii(), f"Unicode left in math (write - for −, \\cdot for ·, \\pi for π): {tex}"
    depth = 0
    for ch in tex:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, tex
    assert depth == 0, tex
    assert tex.count("\\left") == tex.count("\\right"), tex
    assert tex.count("(") == tex.count(")") and tex.count("[") == tex.count("]"), tex
    unknown = set(re.findall(r"\\([A-Za-z]+)", tex)) - KATEX_COMMANDS
    assert not unknown, f"{unknown} in {tex}"
    # GitHub's Markdown runs before its math: a backslash before punctuation (\\, \{, \,) is eaten
    # and * may start emphasis, so neither is used (\ast for stars).
    assert not re.search(r"\\[^A-Za-z]", tex) and "*" not in tex, tex


def test_no_plain_text_formula_is_left_outside_math():
    leftovers = re.findall(r".{0,30}[_^·−πηκλδαβρτσθΔΣℓ≤≥≪∅\u0304].{0,30}", prose())
    assert leftovers == []


def test_every_step_of_the_monthly_recurrence_is_math():
    recurrence = section("## 2. The monthly recurrence").split("### 2.2")[0]
    steps = re.split(r"^\d\. ", recurrence, flags=re.M)[1:]
    assert len(steps) == 9
    for number, step in enumerate(steps, 1):
        step = step.split("\n\nThe fixed arm")[0]
        assert "$" in step, f"step {number}"
    assert "\\pi^{n,c}_t = 1 - \\exp" in recurrence and "π^{n,c}_t" not in recurrence


def test_katex_renders_every_formula_without_error():
    """Streamlit's own KaTeX, run by Node where it is installed (the browser test checks the page)."""
    node = shutil.which("node")
    bundles = sorted((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("katex.*.js"))
    if not node or not bundles:
        pytest.skip("Node.js or Streamlit's KaTeX bundle not found")
    formulas = [[True, tex] for tex in display_blocks()] + [[False, tex] for tex in inline_maths()]
    script = f"""
import {{ readFileSync }} from 'node:fs';
const katex = (await import({json.dumps(bundles[0].as_uri())})).default;
const errors = [];
for (const [displayMode, tex] of JSON.parse(readFileSync(0, 'utf8'))) {{
  try {{ katex.renderToString(tex, {{displayMode, throwOnError: true, strict: 'error'}}); }}
  catch (e) {{ errors.push(e.message); }}
}}
console.log(JSON.stringify(errors));
"""
    out = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(formulas),
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout) == []


# (d) the tab in the app ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def method_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["tab"] = TAB
    at.run()
    assert not at.exception, at.exception
    return at


def test_method_tab_renders_the_methodology_with_its_math(method_app):
    text = next(m.value for m in method_app.markdown if "The monthly recurrence" in m.value)
    assert "$$" in text and text.strip() == methodology_markdown(DOC).strip()
    assert "\\pi^{n,c}_t = 1 - \\exp" in text and "$P_t = M - C_t$" in text  # math untouched
    assert "`market_size`" in text  # code untouched
    for title in ("He is not the only one: from the folk multiplication to the model",
                  "## 8b. Word of mouth on a real network", "## 9. Python API"):
        assert title in text
    assert "## References" not in text


def test_the_tab_opens_with_the_method_in_brief_and_keeps_the_specification_behind_an_expander(method_app):
    from estimator.present import i18n

    assert method_app.subheader[0].value == "The method in brief"
    texts = [m.value for m in method_app.markdown]
    brief = next(i for i, text in enumerate(texts) if text.startswith("A business has regular customers"))
    spec = next(i for i, text in enumerate(texts) if "The monthly recurrence" in text)
    assert brief < spec and texts[brief] == "\n\n".join(method.summary())
    expander = next(e for e in method_app.expander if e.label == "The full specification")
    assert any("The monthly recurrence" in m.value for m in expander.markdown)
    assert not expander.proto.expanded  # closed: the page opens on the plain words
    # Ten short paragraphs, the same as the Finnish summary (each English paragraph is its Finnish's source).
    paragraphs = method.summary()
    assert len(paragraphs) == 10 and all(len(p.split()) <= 120 for p in paragraphs)
    assert all(i18n.catalogue("fi").get(p) for p in paragraphs)


def test_the_finnish_tab_opens_the_same_way():
    from estimator.present import i18n

    from estimator.app.page import tab_labels

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    with i18n.use("fi"):
        at.query_params["tab"], at.query_params["lang"] = tab_labels()[-1], "fi"  # the tab's Finnish label
    at.run()
    assert not at.exception, at.exception
    with i18n.use("fi"):
        assert at.subheader[0].value == i18n.t("The method in brief")
        paragraphs = method.summary()
        label = i18n.t("The full specification (in English)")
    assert "\n\n".join(paragraphs) in [m.value for m in at.markdown]
    expander = next(e for e in at.expander if e.label == label)
    assert any("The monthly recurrence" in m.value for m in expander.markdown)


def test_method_tab_table_has_one_row_per_catalogue_entry(method_app):
    table = as_shown(method_app.table[0].value)
    assert len(table) == len(CATALOGUE)
    assert list(table["Name"]) == [spec.name for spec in CATALOGUE]
    assert list(table.columns) == ["Name", "Unit", "This scenario", "Range", "Grade", "Source"]


# In a real browser: typeset math, no KaTeX error, the table on screen ------------------------------------------

@pytest.fixture(scope="module")
def browser(chromium):
    """The shared Chromium (``tests/conftest.py``), under the name the tests here use."""
    return chromium


@pytest.mark.e2e
def test_method_tab_typesets_every_formula_and_keeps_the_table_on_screen_at_1280(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?tab=Method+%26+sources")
        expect(page.get_by_text("A business has regular customers")).to_be_visible(timeout=90_000)  # plain words first
        page.locator(".st-key-method_specification summary").click()  # the full specification behind them
        doc = page.locator('[data-testid="stMarkdownContainer"]').filter(
            has=page.get_by_role("heading", name="Methodology: the word-of-mouth loss model"))
        expect(doc.locator(".katex-display")).to_have_count(len(display_blocks()), timeout=90_000)
        expect(doc.locator(".katex")).to_have_count(len(display_blocks()) + len(inline_maths()))
        assert page.locator(".katex-error").count() == 0
        expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
        table = page.locator('.st-key-method_parameters [data-testid="stTable"]')
        expect(table.locator("tbody tr")).to_have_count(len(CATALOGUE))
        fits = table.evaluate("""t => ({scroll: t.scrollWidth, width: t.clientWidth,
            right: t.getBoundingClientRect().right, window: window.innerWidth,
            overflowing: Array.from(t.querySelectorAll('td, th')).filter(c => c.scrollWidth > c.clientWidth + 1)
                .map(c => c.innerText.slice(0, 40))})""")
        assert fits["scroll"] <= fits["width"] and fits["right"] <= fits["window"], fits
        assert fits["overflowing"] == [], fits
        # A source from a scenario file may hold a long link: it wraps instead of widening the table.
        scroll, width = table.evaluate("""t => { t.querySelector('tbody td:last-child p').textContent =
            'See https://example.org/' + 'a'.repeat(300); return [t.scrollWidth, t.clientWidth]; }""")
        assert scroll <= width
    finally:
        context.close()
