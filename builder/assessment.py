"""The self-assessment: scoring, the improvement backlog and waves, and a blank answers file.

The questionnaire (``assessment/questions.yaml``, read by :mod:`builder.load.assessment` into
:class:`~builder.model.Questionnaire`) ties every answer option to an IO maturity level. Scoring is deliberately simple so that the site's script implements the same rules
(``assets/javascripts/portal-assessment.js``; a browser test proves they agree):

- an answer scores its level's position (Basic 1 ... Dynamic 4); unanswered questions count
  for nothing;
- an area scores the mean of its answered questions, rounded half up to two decimals, and sits
  at the level of the whole part of that score;
- an area below Rationalized (score under 3) is weak, and becomes a problem-opportunity
  statement whose priority is ``(4 - score) * weighted estimate``, the estimate being the
  weighted mean of the area's risk, cost, time and value (each 1-5, higher = do sooner);
- the backlog is sorted by priority (then title) and cut into waves of three per quarter.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from builder.model import CRITERIA, Answers, Questionnaire

__all__ = [
    "WAVE_SIZE",
    "WEAK_BELOW",
    "AreaResult",
    "BacklogItem",
    "Report",
    "round2",
    "score",
    "template",
]

WAVE_SIZE = 3
WEAK_BELOW = 3.0


@dataclass(frozen=True, slots=True)
class AreaResult:
    """An area's maturity: how many of its questions were answered, its score and level."""

    id: str
    title: str
    group: str
    answered: int
    questions: int
    score: float | None
    level: str | None


@dataclass(frozen=True, slots=True)
class BacklogItem:
    """A weak area as a ranked problem-opportunity statement, with what to read and do."""

    area: str
    title: str
    level: str
    score: float
    priority: float
    statement: str
    pages: tuple[str, ...]
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """The scored answers: every area, the backlog (best first) and the waves of area ids."""

    areas: list[AreaResult]
    backlog: list[BacklogItem]
    waves: list[list[str]]
    unanswered: list[str]
    weights: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data for JSON (tuples become lists there)."""
        return asdict(self)


# -----------------------------------------------------------------------------
# Scoring


def round2(x: float) -> float:
    """Round half up to two decimals (the site's script does the same).

    >>> round2(2.125), round2(2.675)
    (2.13, 2.68)
    """
    return math.floor(x * 100 + 0.5 + 1e-9) / 100


def score(questionnaire: Questionnaire, answers: Answers) -> Report:
    """Score answers: levels per area, the weak areas' backlog, and improvement waves."""
    levels = questionnaire.levels
    results: list[AreaResult] = []
    backlog: list[BacklogItem] = []
    weights = answers.weights
    total_weight = sum(weights.values())
    for area in questionnaire.areas:
        qs = questionnaire.questions_in(area.id)
        given = [v for q in qs if (v := answers.values.get(q.id)) is not None]
        mean = round2(sum(given) / len(given)) if given else None
        level = levels[int(mean) - 1] if mean is not None else None
        results.append(
            AreaResult(area.id, area.title, area.group, len(given), len(qs), mean, level)
        )
        if mean is None or mean >= WEAK_BELOW:
            continue
        estimates = area.estimates.as_dict()
        estimate = sum(weights[c] * estimates[c] for c in CRITERIA) / total_weight
        priority = round2((4 - mean) * estimate)
        low = [q for q in qs if (answers.values.get(q.id) or 4) < WEAK_BELOW]
        pages = _unique([area.id, *(p for q in low for p in q.pages)])
        tasks = _unique([t for q in low for t in q.tasks])
        statement = (
            f"{area.title} is at the {level} level (score {mean:.2f} of 4). "
            f"Problem: {area.problem} Opportunity: {area.opportunity}"
        )
        backlog.append(
            BacklogItem(
                area.id,
                area.title,
                level or "",
                mean,
                priority,
                statement,
                tuple(pages),
                tuple(tasks),
            )
        )
    backlog.sort(key=lambda b: (-b.priority, b.title))
    waves = [
        [b.area for b in backlog[i : i + WAVE_SIZE]] for i in range(0, len(backlog), WAVE_SIZE)
    ]
    unanswered = [q.id for q in questionnaire.questions if answers.values.get(q.id) is None]
    return Report(results, backlog, waves, unanswered, dict(weights))


def template(questionnaire: Questionnaire) -> str:
    """Return a blank answers file (YAML) with each question and its options as comments."""
    lines = [
        "# Self-assessment answers. For each question write one level: "
        + ", ".join(questionnaire.levels)
        + " (or 1-4), or leave it empty.",
        "# Weights (0 or more) set how much each criterion counts when the backlog is ranked.",
        "weights: {risk: 1, cost: 1, time: 1, value: 1}",
        "answers:",
    ]
    for area in questionnaire.areas:
        lines.append(f"  # --- {area.title} ({area.group})")
        for q in questionnaire.questions_in(area.id):
            lines.append(f"  # {q.text}")
            for option in q.options:
                lines.append(f"  #   {option.level}: {option.text}")
            lines.append(f"  {q.id}:")
    return "\n".join(lines) + "\n"


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
