"""From the folk arithmetic to the model, step by step (docs/methodology.md, section 4).

The story's own arithmetic is the folk figure: one customer's spend over the horizon, times
himself and everyone he tells, times every customer whose complaint is shrugged off. The model's
figure (the value of the scenario's fix) is far lower. The bridge goes from one to the other in
steps that each change one thing, each a model run or an exact product, and that add up exactly:

0. *The folk arithmetic*: f·s·H·(1 + k_n) × S, with S = Σ U_t·c·(1 − r) the complaints shrugged
   off over the horizon.
1. *His own loss, as the model runs it*: f·s·H becomes the ladder's first rung (he leaves only
   with probability k_i·q_u, may have left anyway, is partly replaced, later months count for less).
2. *His friends and his review, as the model runs them*: k_n·f·s·H becomes the rest of the
   ladder (only the customers among his hearers who act on it leave, prospects stay away, the
   story is retold, his review lowers the rating). The figure is now one shrug × S.
3. *Every unhappy customer, silent ones too*: S becomes Σ U_t, each still counted as one shrug.
4. *The real churn mix*: each leaves with k_i·[(1 − c)·q_s + c·(1 − r)·q_u + c·r·q_r], not k_i·q_u.
5. *Only those not helped tell or review*: he tells k_n·(1 − c·r) people and reviews with
   probability w_n·(1 − c·r). The figure is now one average unhappy customer × Σ U_t.
6. *Timing within the horizon*: a customer unhappy in month t costs only the first H − t months
   of that run, discounted from t: Σ_t U_t·δ^t·L(H − t).
7. *Overlap, saturation and replacement*: the rest of the way to the loss of a full fix (every
   bad visit gone) on the scenario's own run, from its own start (from today's, the stories
   already in the air).
8. *The fix is partial*: from the full fix's loss to the scenario's fix's, the headline; shown
   only where the fix is not a full fix.

``explain.story_over_draws`` computes the steps as means over the headline's draws, and
``explain.folk_to_model`` at the most likely values (the one-draw case of the same code);
``tests/reference_story.py`` computes them apart, run by run, as a check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..engine.fixes import FixPlan
from ..inputs.text import Text

#: The folk figure's explanation, with the number of complaints shrugged off.
FOLK_EXPLANATION = (
    "The story's own arithmetic: one customer's spend over the horizon, times himself and everyone "
    "he tells, times the {count:,.0f} complaints shrugged off over the horizon."
)
#: The count step's explanation, with the number of times a customer is unhappy.
UNHAPPY_EXPLANATION = (
    "Not only the complaints shrugged off: all {count:,.0f} times over the horizon that a customer "
    "is unhappy (most say nothing, some are helped), each counted as a shrug."
)
OWN_EXPLANATION = (
    "He leaves only with the probability that a shrugged-off customer really leaves, might have left "
    "anyway, is partly replaced, and later months count for less today: the ladder's first rung "
    "instead of his spend over the whole horizon."
)
FRIENDS_EXPLANATION = (
    "Of the people he tells, only the customers who act on the story leave and only the "
    "prospects who act on it stay away; some retell it, and his review lowers the rating: the rest "
    "of the ladder instead of everyone he tells staying away for the whole horizon."
)
CHURN_MIX_EXPLANATION = (
    "Each unhappy customer leaves with the real mix of churn: silent, shrugged off or helped, instead of a shrug's."
)
TELLERS_EXPLANATION = (
    "Only the unhappy customers who are not helped tell people and write a bad review; those "
    "whose complaint is put right do not."
)
TIMING_EXPLANATION = (
    "A customer unhappy in month t costs only what happens from then to the horizon, discounted "
    "from month t, instead of a whole horizon from today."
)
OVERLAP_FLAWLESS = (
    "The full model, with every bad visit gone: the same people hear many stories, the market "
    "saturates, lost customers are partly replaced."
)
OVERLAP_TODAY = (
    "The full model, with every bad visit gone: the same people hear many stories, the market "
    "saturates, lost customers are partly replaced, and today's stories are already in the air."
)
PARTIAL_EXPLANATION = (
    "The loss is what the fix brings back, and this fix leaves some bad visits: its value, "
    "instead of that of a business with no bad visits at all."
)
FIX_ALSO_EXPLANATION = (
    "The loss is what the fix brings back, and this fix changes other settings besides taking "
    "bad visits to zero: its value, instead of that of taking bad visits to zero alone."
)

#: The bridge's steps in order: key, label (what the step changes) and explanation. The last two
#: are alternatives (``partial_fix`` when the fix leaves bad visits, ``fix_also`` when it takes them
#: to zero and changes other settings too), and neither is shown for a fix of bad visits → 0 alone.
BRIDGE_STEPS: tuple[tuple[str, str, str], ...] = (
    ("folk", "The folk arithmetic", FOLK_EXPLANATION),
    ("own", "His own loss, as modelled", OWN_EXPLANATION),
    ("friends", "His friends and review, as modelled", FRIENDS_EXPLANATION),
    ("unhappy", "Every unhappy customer, silent ones too", UNHAPPY_EXPLANATION),
    ("churn_mix", "The real churn mix", CHURN_MIX_EXPLANATION),
    ("tellers", "Only those not helped tell or review", TELLERS_EXPLANATION),
    ("timing", "Counted from the month it happens", TIMING_EXPLANATION),
    ("overlap", "Overlap, saturation, replacement", OVERLAP_TODAY),
    ("partial_fix", "The fix is partial", PARTIAL_EXPLANATION),
    ("fix_also", "What else the fix changes", FIX_ALSO_EXPLANATION),
)
BRIDGE_LABELS: dict[str, str] = {key: label for key, label, _ in BRIDGE_STEPS}

#: The bridge's fixed texts a reader sees (labels and explanations; the folk and count steps' are templates).
BRIDGE_TEXTS: tuple[str, ...] = (
    *(label for _, label, _ in BRIDGE_STEPS),
    *(text for _, _, text in BRIDGE_STEPS),
    OVERLAP_FLAWLESS,
)

#: The running figures of the bridge (``bridge_steps``'s ``values``), in order, before the fix.
BRIDGE_FIGURES: tuple[str, ...] = ("folk", "own", "friends", "unhappy", "churn_mix", "tellers", "timing", "full_fix")


@dataclass(frozen=True)
class BridgeStep:
    """One step of the bridge: the running figure after it and what it changed."""

    key: str
    label: str
    value: float
    change: float
    explanation: str


def fix_step(plan: FixPlan) -> str | None:
    """Which last step the fix needs: ``None`` for a full fix (bad visits surely → 0 and nothing else),
    where the full fix's loss is the headline; ``fix_also`` where it takes bad visits to 0 and changes
    more; ``partial_fix`` otherwise (it leaves bad visits in some draws, or does not touch them).

    >>> from estimator.model.inputs.fix_plans import Change
    >>> from estimator.model.engine.fixes import own_plan
    >>> zero, cut = Change.model_validate(0.0), Change(change="relative", mode=-0.8, low=-0.9, high=-0.6)
    >>> fix_step(own_plan({"bad_visit_rate": zero})), fix_step(own_plan({"bad_visit_rate": cut}))
    (None, 'partial_fix')
    >>> fix_step(own_plan({"bad_visit_rate": zero, "recovery_rate": Change.model_validate(0.6)}))
    'fix_also'
    """
    if not plan.zeroes("bad_visit_rate"):
        return "partial_fix"
    return None if plan.settings == {"bad_visit_rate"} else "fix_also"


def bridge_steps(
    values: Mapping[str, float], model: float, baseline: str, fix: FixPlan, shrugged: float, unhappy: float
) -> list[BridgeStep]:
    """The bridge's steps from its running figures.

    Parameters
    ----------
    values : mapping of str to float
        ``BRIDGE_FIGURES``: the running figure after each step; ``full_fix`` (the loss of a full fix)
        is read only when the fix is not one (``fix_step``).
    model : float
        The scenario's loss (the headline): the last step's value.
    baseline : str
        The scenario's start (its overlap step says whether today's stories are in the air).
    fix : FixPlan
        The fix the headline is of (``fix_step``).
    shrugged, unhappy : float
        Complaints shrugged off (Σ U_t·c·(1 − r)) and times a customer is unhappy (Σ U_t) over the
        horizon, for the folk and count steps' explanations.

    Returns
    -------
    list of BridgeStep
        Each step's ``value`` is the running figure, ``change`` what the step added (negative: it
        took off); the changes add up to the last value minus the first.
    """
    last = fix_step(fix)
    texts = {key: (label, text) for key, label, text in BRIDGE_STEPS}
    texts["folk"] = (texts["folk"][0], Text(FOLK_EXPLANATION, count=float(shrugged)))
    texts["unhappy"] = (texts["unhappy"][0], Text(UNHAPPY_EXPLANATION, count=float(unhappy)))
    texts["overlap"] = (texts["overlap"][0], OVERLAP_TODAY if baseline == "today" else OVERLAP_FLAWLESS)
    running = [(key, float(values[key])) for key in BRIDGE_FIGURES[:-1]]
    running.append(("overlap", float(model) if last is None else float(values["full_fix"])))
    if last is not None:
        running.append((last, float(model)))
    steps, previous = [], running[0][1]
    for key, value in running:
        label, text = texts[key]
        steps.append(BridgeStep(key, label, value, value - previous, text))
        previous = value
    return steps
