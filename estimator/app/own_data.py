"""The "Your data" tab: calibrate the scenario from the business's own files.

A manager uploads a reviews export, a complaint log or a customer survey (any of them), and
may give the till's count of regular customers and their visits a month. The page says what it
read from each file (rows, period, the columns it used, how the file was written) or, for a
file it cannot use, why, naming the row and column; then each value before and after with what
it means in plain words, the loss before and after, and, behind a detail, the formula behind each
value and the checks. One button puts the calibrated values on the page (graded ``measured``, with
their sources), as an uploaded scenario file would; the calibrated scenario can also be downloaded.
The model does the arithmetic (``estimator.model.own_data.calibration``); this module lays it out.
"""

from __future__ import annotations

import contextlib
import threading

import pandas as pd
import streamlit as st

from ..model.explain.report import Report
from ..model.inputs.params import Params
from ..model.own_data.calibration import Calibration, Change
from ..model.scenarios.locations import located
from ..model.scenarios.scenario_files import scenario_to_yaml
from ..present import i18n
from ..present.formatting import day, escape_markdown, money, people, setting_value, value_with_range
from ..present.i18n import say, t, tn
from ..present.tables import grade_word
from .compute import calibration, waiting_turn
from .state import session
from .widgets import static_table

#: The made-up example files (docs/example_data), offered for a first try.
EXAMPLES = located("docs", "docs") / "example_data"

#: Uploads are read one visitor at a time per process: three 10 MB files hold ~135 MB for seconds.
_READING = threading.Lock()


def reading_turn() -> contextlib.AbstractContextManager[None]:
    """This process's turn to read uploaded files (``compute.waiting_turn``): another visitor's
    files are read first, then a cached result comes back at once."""
    return waiting_turn(_READING)


def kinds() -> dict[str, tuple[str, str, str]]:
    """What each upload is, what it should hold (in the reader's language), and the example file of that kind."""
    return {
        "reviews": (
            t("Reviews export"),
            t(
                "One row per review with its date and its stars (1–5), as review sites "
                "export them: the rating today, the number of reviews, how often customers "
                "write, and the stars of unhappy and other reviews."
            ),
            "gas_station_reviews.csv",
        ),
        "complaints": (
            t("Complaint log"),
            t(
                "One row per complaint with its date and, if you have it, whether it was "
                "resolved: how many unhappy customers complain, and how many complaints "
                "are put right."
            ),
            "gas_station_complaints.csv",
        ),
        "survey": (
            t("Customer survey"),
            t(
                "Counts (answer, count), one row per respondent (satisfied or "
                "dissatisfied, complained, resolved) or an NPS export (scores 0–10): how "
                "often a visit goes badly."
            ),
            "gas_station_survey.csv",
        ),
    }


#: The uploads in English, by kind (``kinds()`` says them in the reader's language).
KINDS = kinds()


def _column(role: str, header: str) -> str:
    """A column used and what it was read as (the model's name for it), in the reader's words."""
    h = escape_markdown(header)
    said = {
        "date": t("date: '{header}'", header=h),
        "stars": t("stars: '{header}'", header=h),
        "outcome": t("outcome: '{header}'", header=h),
        "bad experience": t("bad experience: '{header}'", header=h),
        "satisfied": t("satisfied: '{header}'", header=h),
        "experience": t("experience: '{header}'", header=h),
        "NPS score": t("NPS score: '{header}'", header=h),
        "complained": t("complained: '{header}'", header=h),
        "resolved": t("resolved: '{header}'", header=h),
        "label": t("label: '{header}'", header=h),
        "count": t("count: '{header}'", header=h),
    }
    return said.get(role) or f"{say(role)}: '{h}'"


def _encoding(encoding: str) -> str:
    """The encoding a file was read with (``UTF-8``, ``UTF-16``, ``Windows-1252``), in the reader's words."""
    return {"UTF-8 with byte-order mark": t("UTF-8 with byte-order mark")}.get(encoding, encoding)


def _separation(separator: str, decimal_comma: bool) -> str:
    """How a file's fields are separated (``comma``, ``semicolon``, ``tab``), and whether it has a decimal comma."""
    names = {"comma": t("comma-separated"), "semicolon": t("semicolon-separated"), "tab": t("tab-separated")}
    separated = names.get(separator) or t("{separator}-separated", separator=separator)
    return t("{separated}, decimal comma", separated=separated) if decimal_comma else separated


#: Largest data file the page reads (the model refuses anything larger with a message as well).
MAX_UPLOAD_MB = 10


def upload_limit_mb() -> int:
    """The largest file an uploader takes, in MB: the page's own limit, or the server's if that is lower
    (``server.maxUploadSize`` in .streamlit/config.toml)."""
    return min(MAX_UPLOAD_MB, int(st.get_option("server.maxUploadSize")))


def meaning(change: Change) -> str:
    """What a calibrated value means, in plain words in the reader's language (the formula is behind the
    "how each value was worked out" detail): the value, then its range as a chance."""
    value = setting_value(change.unit, change.after)
    said = {
        "customers": t("You have {value} regular customers (your own count).", value=value),
        "visits_per_month": t("A regular customer comes {value} times a month (your own count).", value=value),
        "bad_visit_rate": t("About {value} of visits go badly.", value=value),
        "complaint_rate": t("About {value} of the customers who have a bad visit complain.", value=value),
        "recovery_rate": t("About {value} of complaints are put right.", value=value),
        "review_rate_unhappy": t(
            "An unhappy customer whose complaint is not put right writes a review with a chance "
            "of about {value} a month.",
            value=value,
        ),
        "review_rate_happy": t(
            "Any other customer writes a review with a chance of about {value} a month.", value=value
        ),
        "stars_unhappy": t("Unhappy customers' reviews give {value} stars on average.", value=value),
        "stars_happy": t("Other customers' reviews give {value} stars on average.", value=value),
        "initial_rating": t("Your reviews average {value} stars today, as review sites show it.", value=value),
        "initial_reviews": t(
            "Your reviews count as {value} reviews today: recent ones fully, older ones less.", value=value
        ),
    }.get(change.name, f"{say(change.label)}: {value}.")
    if change.after_range is None:
        return said
    low, high = (setting_value(change.unit, v) for v in change.after_range)
    return (
        said
        + " "
        + t("With this much data, the true value is between {low} and {high} in 9 cases out of 10.", low=low, high=high)
    )


def changes_table(changes: tuple[Change, ...]) -> pd.DataFrame:
    """Each calibrated setting: today's value and range, the value from the data, and what it means."""
    return pd.DataFrame(
        {
            t("Setting"): [say(c.label) for c in changes],
            t("On the page now"): [
                f"{value_with_range(c.unit, c.before, c.before_range)} · {grade_word(c.before_grade)}" for c in changes
            ],
            t("From your data"): [
                f"{value_with_range(c.unit, c.after, c.after_range)} · {grade_word(c.after_grade)}" for c in changes
            ],
            t("What it means"): [meaning(c) for c in changes],
        }
    ).set_index(t("Setting"))


def _worked_out(cal: Calibration) -> None:
    """The formula behind each value, and the checks, behind a detail the reader opens if they wish."""
    with st.expander(t("How each value was worked out (formulas)"), key="own_data_formulas"):
        st.markdown(
            t(
                "A share is a count in your files divided by its total (for example respondents with a bad "
                "experience out of all respondents); its range is the 5th to the 95th percentile of the Beta "
                "posterior of that count with a flat Beta(1,1) prior. A rate a month divides a count a month "
                "by the customers it can come from (u·C: the customers a month with a bad visit); its range "
                "carries the count's Poisson posterior. Average stars carry a Dirichlet posterior on the star "
                "levels (docs/methodology.md, section 8c)."
            )
        )
        behind = t("Data behind it")
        st.markdown(
            f"**{behind}**\n\n"
            + "\n".join(f"- **{escape_markdown(say(c.label))}**: {escape_markdown(say(c.source))}" for c in cal.changes)
        )
        if cal.checks:
            st.caption(t("Checks: {checks}", checks=" · ".join(escape_markdown(say(check)) for check in cal.checks)))


def loss_sentence(cal: Calibration, currency: str) -> str:
    """The revenue lost by not fixing, before and after calibration, in one sentence (Markdown-safe)."""
    before, after = cal.loss_before, cal.loss_after
    if before is None or after is None:
        return ""

    def cash(x: float) -> str:
        return escape_markdown(money(x, currency, compact=True))

    return t(
        "Revenue lost by not fixing it (present value, mean of {draws} draws): **{before}** with the values on "
        "the page now, **{after}** with your data (8 in 10 draws: {before_low} – {before_high} now, {after_low} – "
        "{after_high} with your data).",
        draws=people(after.draws),
        before=cash(before.mean),
        after=cash(after.mean),
        before_low=cash(before.p10),
        before_high=cash(before.p90),
        after_low=cash(after.p10),
        after_high=cash(after.p90),
    )


def use_calibrated() -> None:
    """Callback of "Use these values": the calibrated scenario becomes the page's base, like an uploaded file."""
    if not session.calibrated:
        return
    params = Params.model_validate_json(session.calibrated)
    session.custom_base = session.calibrated
    session.set_values(params)
    session.notes = []
    with i18n.use(st.session_state.get(session.LANG, i18n.DEFAULT)):  # a callback runs before the page sets it
        session.loaded = t(
            "Now using '{name}': the values from your data are on the page, graded measured.", name=say(params.name)
        )


def _uploads() -> dict[str, tuple[str, bytes]]:
    """The three uploaders, side by side; what was uploaded, by kind."""
    files = {}
    for column, (kind, (label, help_text, _)) in zip(st.columns(3), kinds().items()):
        with column:
            upload = st.file_uploader(
                t("{kind} (CSV)", kind=label),
                type=["csv", "txt"],
                key=session.own_data_key(kind),
                help=help_text,
                max_upload_size=MAX_UPLOAD_MB,
            )
            st.caption(
                t(
                    "Drop one CSV or TXT file on the box above, or use its button to choose one: up to {limit} MB.",
                    limit=upload_limit_mb(),
                )
            )
            st.caption(help_text)
            if upload is not None:
                files[kind] = (upload.name[:80], upload.getvalue())
    return files


def _facts() -> tuple[int | None, float | None]:
    """The till's counts, if given (empty boxes leave the scenario's values)."""
    left, right, examples = st.columns(3)
    customers = left.number_input(
        t("Regular customers (your own count)"),
        min_value=1,
        max_value=10_000_000,
        value=None,
        step=100,
        key=session.OWN_CUSTOMERS,
        placeholder=t("leave empty to keep the scenario's"),
        help=t("From the till or loyalty data: customers who come back regularly."),
    )
    visits = right.number_input(
        t("Visits per customer a month (your own count)"),
        min_value=0.01,
        max_value=100.0,
        value=None,
        step=0.1,
        key=session.OWN_VISITS,
        placeholder=t("leave empty to keep it"),
        help=t(
            "From the till or loyalty data; used with the complaint log to turn complaints "
            "a month into a share of unhappy customers."
        ),
    )
    with examples.popover(t("No data at hand? Example files"), width="stretch"):
        st.caption(t("Made up for the gas station (every row is invented): download them, then upload them here."))
        for kind, (label, _, file_name) in kinds().items():
            path = EXAMPLES / file_name
            if path.is_file():
                st.download_button(
                    label,
                    data=path.read_bytes(),
                    file_name=file_name,
                    mime="text/csv",
                    key=f"example_{kind}",
                    width="stretch",
                    on_click="ignore",
                )
    return (int(customers) if customers is not None else None), (float(visits) if visits is not None else None)


def _show_files(cal: Calibration) -> None:
    """What was read from each file, or why a file could not be used."""
    for info in cal.files:
        columns = ", ".join(_column(role, header) for role, header in info.columns.items())
        period = (
            ", " + t("{low} to {high}", low=day(info.first), high=day(info.last)) if info.first and info.last else ""
        )
        rows = tn("{n} row", "{n} rows", info.rows, n=people(info.rows))
        st.markdown(
            t(
                "**{name}**: {summary} ({rows}{period}). Columns used: {columns}. Read as {encoding}, {separation}.",
                name=escape_markdown(info.name),
                summary=escape_markdown(say(info.summary)),
                rows=rows,
                period=period,
                columns=columns,
                encoding=_encoding(info.encoding),
                separation=_separation(info.separator, info.decimal_comma),
            )
        )
        for note in info.notes:
            st.caption(escape_markdown(say(note)))
    for kind, message in cal.errors.items():
        st.error(
            t("{kind}: could not use it. {message}", kind=kinds()[kind][0], message=escape_markdown(say(message))),
            icon="⚠️",
        )


def own_data_tab(report: Report) -> None:
    """Uploads, what each file says, and what it changes."""
    st.markdown(
        t(
            "Put your own figures in place of the preset's: upload any of the three files below. Each value "
            "they give is graded **measured**, with a range from the amount of data behind it (a dozen answers "
            "give a wide range, a thousand a narrow one), and the rest of the scenario stays as it is."
        )
    )
    files = _uploads()
    customers, visits = _facts()
    if not files and customers is None and visits is None:
        st.info(t("Upload a file or give a count to see what your data changes."), icon="📄")
        return
    params = report.params
    with reading_turn():
        uploads = tuple((kind, name, data) for kind, (name, data) in files.items())
        cal = calibration(params.model_dump_json(), uploads, customers, visits)
    if isinstance(cal, str):
        st.error(escape_markdown(say(cal)), icon="⚠️")
        return
    _show_files(cal)
    if not cal.changes:
        st.warning(t("Nothing to calibrate from these files yet."), icon="⚠️")
        return
    session.calibrated = cal.params.model_dump_json()
    st.subheader(t("What your data changes"))
    static_table(changes_table(cal.changes))
    sentence = loss_sentence(cal, params.currency)
    if sentence:
        st.markdown(sentence)
    for warning in cal.warnings:
        st.warning(escape_markdown(say(warning)), icon="⚠️")
    _worked_out(cal)
    in_use = all(c.before == c.after and c.before_range == c.after_range for c in cal.changes)
    left, right = st.columns(2)
    left.button(
        t("These values are on the page") if in_use else t("Use these values"),
        type="primary",
        width="stretch",
        disabled=in_use,
        on_click=use_calibrated,
        key="use_calibrated",
        help=t(
            "Start the scenario from the calibrated values (like an uploaded scenario file); the sidebar's "
            "'Reset to preset' goes back to the preset."
        ),
    )
    right.download_button(
        t("Download the calibrated scenario (YAML)"),
        data=scenario_to_yaml(cal.params),
        file_name="calibrated_scenario.yaml",
        mime="application/x-yaml",
        width="stretch",
        on_click="ignore",
    )
