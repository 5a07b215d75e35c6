"""The result tabs: the loss over time, where it comes from, what matters most."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..model.explain.analyses import CHANNEL_LABELS
from ..model.explain.report import Report
from ..present.figures import OVER_TIME_VIEWS, fig_over_time
from ..present.formatting import money, share
from ..present.i18n import say, t
from .state import session
from .widgets import chart, report_chart, static_table, view_switch


def view_labels() -> dict[str, str]:
    """Each "Over time" view's label in the reader's language, in ``OVER_TIME_VIEWS`` order.

    >>> view_labels() == OVER_TIME_VIEWS
    True
    """
    labels = {
        "cumulative": t("Revenue lost, cumulative"),
        "monthly": t("Revenue lost each month"),
        "customers": t("Customers"),
        "rating": t("Rating"),
    }
    return {view: labels[view] for view in OVER_TIME_VIEWS}


def over_time_tab(report: Report) -> None:
    """Loss, customers or rating month by month, with the Monte Carlo bands: one chart at a time,
    chosen with a switch kept in the link (``?over_time=Customers``; the label in the page's language)."""
    labels = view_labels()
    view_by_label = {label: view for view, label in labels.items()}
    view = view_by_label.get(view_switch(list(labels.values()), session.OVER_TIME_VIEW), "cumulative")
    chart(fig_over_time(report.mc, report.params.currency, view), "chart_over_time")
    if view in ("customers", "rating"):
        st.caption(t("Lines: the mean over the Monte Carlo draws, as it is and with the fix."))
    else:
        st.caption(
            t(
                "Shaded band: P10–P90 of the Monte Carlo draws; line: their mean. The cumulative curve is in "
                "present value and ends at the headline; monthly losses are undiscounted."
            )
        )


def channels_tab(report: Report) -> None:
    """The loss split by channel (Shapley), as a chart and a table."""
    parts, cur = report.channels, report.params.currency
    report_chart(report, "channels")
    total = sum(parts.values())
    channel = t("Channel")
    lost = t("Revenue lost (present value)")
    table = pd.DataFrame(
        {
            channel: [say(CHANNEL_LABELS[k]) for k in CHANNEL_LABELS],
            lost: [money(parts[k], cur, compact=True) for k in CHANNEL_LABELS],
            t("Share"): [share(parts[k] / total) if total else "–" for k in CHANNEL_LABELS],
        }
    )
    static_table(table.set_index(channel))
    st.caption(
        t(
            "Each channel's share is its Shapley value: its average extra loss over every order of switching "
            "the channels on, so the parts add up exactly to the total. Lost upside is what remains with all "
            "three channels off: fewer delighted customers, fewer good stories. Means over the same draws as "
            "the headline, which they add up to."
        )
    )


def tornado_tab(report: Report) -> None:
    """Which assumption moves the mean loss most (conditional means over the headline's draws)."""
    if not report.tornado:
        if report.params.ranges and report.mc.draws < 2:
            st.info(t("What matters most compares the draws with each other: it needs at least 2 draws."))
        else:
            st.info(t("This scenario has no uncertain parameters (no ranges), so there is nothing to rank."))
        return
    report_chart(report, "tornado")
    st.caption(
        t(
            "Each bar: the mean revenue lost over the draws where one assumption is in its lowest (blue) or "
            "highest (red) fifth, everything else as drawn; the line is the mean over all draws. The longest "
            "bars are the assumptions worth checking first."
        )
    )
