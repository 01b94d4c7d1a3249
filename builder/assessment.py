"""The self-assessment: questionnaire data, answers, scoring, backlog and improvement waves.

The questionnaire (``assessment/questions.yaml``) ties every answer option to an IO maturity
level. Scoring is deliberately simple so that the site's script implements the same rules
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

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.errors import Problem, SourceLocation
from builder.load.yamlutil import LineDict, load_yaml, yaml_error_position

__all__ = [
    "CRITERIA",
    "Answers",
    "AreaResult",
    "BacklogItem",
    "Questionnaire",
    "Report",
    "load_answers",
    "load_questionnaire",
    "parse_weights",
    "score",
    "template",
]

CRITERIA = ("risk", "cost", "time", "value")
DEFAULT_WEIGHTS = {"risk": 1.0, "cost": 1.0, "time": 1.0, "value": 1.0}
WAVE_SIZE = 3
WEAK_BELOW = 3.0


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The questionnaire data: levels, areas and questions, as read (plain dicts)."""

    levels: tuple[str, ...]
    areas: tuple[dict[str, Any], ...]
    questions: tuple[dict[str, Any], ...]
    path: str = "assessment/questions.yaml"

    def area(self, area_id: str) -> dict[str, Any]:
        return next(a for a in self.areas if a["id"] == area_id)

    def to_json(self) -> str:
        """The data the site's script needs (ids, areas, estimates), as compact JSON."""
        data = {
            "levels": list(self.levels),
            "areas": [
                {k: a[k] for k in ("id", "title", "group", "problem", "opportunity", "estimates")}
                for a in self.areas
            ],
            "questions": [
                {k: q[k] for k in ("id", "area", "pages", "tasks")} for q in self.questions
            ],
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True, slots=True)
class Answers:
    """Answers by question id: a level position 1-4, or None when unanswered."""

    values: dict[str, int | None]
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True, slots=True)
class AreaResult:
    id: str
    title: str
    group: str
    answered: int
    questions: int
    score: float | None
    level: str | None


@dataclass(frozen=True, slots=True)
class BacklogItem:
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
    areas: list[AreaResult]
    backlog: list[BacklogItem]
    waves: list[list[str]]
    unanswered: list[str]
    weights: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "areas": [a.__dict__ if hasattr(a, "__dict__") else _as_dict(a) for a in self.areas],
            "backlog": [_as_dict(b) for b in self.backlog],
            "waves": self.waves,
            "unanswered": self.unanswered,
            "weights": self.weights,
        }


def _as_dict(obj: Any) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in obj.__slots__}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# -----------------------------------------------------------------------------
# Loading


def load_questionnaire(
    path: Path, rel: str, page_ids: set[str]
) -> tuple[Questionnaire | None, list[Problem]]:
    """Read and check the questionnaire; every page and task id must exist in ``page_ids``."""
    problems: list[Problem] = []
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        line, col, reason = yaml_error_position(e)
        return None, [
            Problem(SourceLocation(rel, line), "bad-yaml", f"invalid YAML: {reason} (column {col})")
        ]
    if not isinstance(data, LineDict):
        return None, [
            Problem(SourceLocation(rel, 1), "bad-yaml", "expected levels, areas and questions")
        ]
    levels = tuple(data.get("levels") or ())
    if len(levels) != 4:
        problems.append(
            Problem(
                SourceLocation(rel, data.line_of("levels")),
                "bad-levels",
                "'levels' must list four levels",
            )
        )
    areas = [a for a in data.get("areas") or [] if isinstance(a, LineDict)]
    area_ids = {a.get("id") for a in areas}
    for a in areas:
        loc = SourceLocation(rel, a.line)
        if a.get("id") not in page_ids:
            problems.append(Problem(loc, "unknown-id", f"area {a.get('id')!r} is not a page id"))
        est = a.get("estimates") or {}
        if sorted(est) != sorted(CRITERIA) or not all(
            isinstance(v, int) and 1 <= v <= 5 for v in est.values()
        ):
            problems.append(
                Problem(
                    loc, "bad-estimates", "'estimates' needs risk, cost, time and value, each 1-5"
                )
            )
    seen: set[str] = set()
    questions = [q for q in data.get("questions") or [] if isinstance(q, LineDict)]
    for q in questions:
        loc = SourceLocation(rel, q.line)
        if q.get("id") in seen:
            problems.append(Problem(loc, "duplicate-id", f"duplicate question id {q.get('id')!r}"))
        seen.add(str(q.get("id")))
        if q.get("area") not in area_ids:
            problems.append(
                Problem(
                    loc,
                    "unknown-id",
                    f"question {q.get('id')!r} names unknown area {q.get('area')!r}",
                )
            )
        options = q.get("options") or []
        if [o.get("level") for o in options if isinstance(o, dict)] != list(levels):
            problems.append(
                Problem(
                    loc,
                    "bad-options",
                    f"question {q.get('id')!r} needs one option per level, in level order",
                )
            )
        for key in ("pages", "tasks"):
            for ref in q.get(key) or []:
                if ref not in page_ids:
                    problems.append(
                        Problem(
                            loc,
                            "unknown-id",
                            f"question {q.get('id')!r} names unknown page {ref!r} in {key!r}",
                        )
                    )
        q.setdefault("pages", [])
        q.setdefault("tasks", [])
    if problems:
        return None, problems
    return Questionnaire(levels, tuple(areas), tuple(questions), rel), []


def load_answers(path: Path, questionnaire: Questionnaire) -> tuple[Answers | None, list[Problem]]:
    """Read an answers file (YAML or JSON): ``answers: {question-id: level-name | 1-4 | null}``.

    Returns every problem as ``path:line: message``; unanswered questions are not problems.
    """
    rel = str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as e:
        return None, [
            Problem(SourceLocation(rel, 1), "unreadable", f"cannot read the file: {e.strerror}")
        ]
    except UnicodeDecodeError as e:
        return None, [
            Problem(SourceLocation(rel, 1), "encoding", f"not valid UTF-8 (offset {e.start})")
        ]
    if path.suffix.lower() == ".json":
        try:
            json.loads(raw)
        except json.JSONDecodeError as e:
            msg = f"invalid JSON: {e.msg} (column {e.colno})"
            return None, [Problem(SourceLocation(rel, e.lineno), "bad-syntax", msg)]
    try:
        # JSON is YAML, so one line-aware parser reads both and gives lines for both.
        data = load_yaml(raw)
    except yaml.YAMLError as e:
        line, col, reason = yaml_error_position(e)
        kind = "JSON" if path.suffix == ".json" else "YAML"
        return None, [
            Problem(
                SourceLocation(rel, line), "bad-syntax", f"invalid {kind}: {reason} (column {col})"
            )
        ]
    if not isinstance(data, LineDict) or not isinstance(data.get("answers"), LineDict):
        msg = (
            "expected a mapping with 'answers: {question-id: level}' (see portal assess --template)"
        )
        return None, [Problem(SourceLocation(rel, 1), "bad-answers", msg)]
    answers: LineDict = data["answers"]
    known = {q["id"] for q in questionnaire.questions}
    problems: list[Problem] = []
    values: dict[str, int | None] = {}
    for key, value in answers.items():
        loc = SourceLocation(rel, answers.line_of(key))
        if key not in known:
            from builder.load.schema import did_you_mean

            problems.append(
                Problem(
                    loc,
                    "unknown-question",
                    f"unknown question id {key!r}{did_you_mean(str(key), known)}",
                )
            )
            continue
        level = _level_of(value, questionnaire.levels)
        if level == -1:
            shown = ", ".join(questionnaire.levels)
            msg = f"answer to {key!r} must be one of {shown}, a number 1-4, or empty; got {value!r}"
            problems.append(Problem(loc, "bad-answer", msg))
            continue
        values[key] = level
    weights = dict(DEFAULT_WEIGHTS)
    if isinstance(data.get("weights"), dict):
        weights, found = _weights_from(
            data["weights"], SourceLocation(rel, data.line_of("weights"))
        )
        problems.extend(found)
    if problems:
        return None, problems
    for q in questionnaire.questions:
        values.setdefault(q["id"], None)
    return Answers(values, weights), []


def _level_of(value: Any, levels: tuple[str, ...]) -> int | None:
    """Return 1-4, None for unanswered, or -1 when the value is not a level."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value if 1 <= value <= len(levels) else -1
    if isinstance(value, str):
        for i, name in enumerate(levels, 1):
            if value.strip().lower() == name.lower():
                return i
    return -1


def _weights_from(
    raw: dict[str, Any], loc: SourceLocation
) -> tuple[dict[str, float], list[Problem]]:
    weights = dict(DEFAULT_WEIGHTS)
    problems = []
    for key, value in raw.items():
        if (
            key not in CRITERIA
            or isinstance(value, bool)
            or not isinstance(value, int | float)
            or value < 0
        ):
            msg = f"weight {key!r}={value!r}: weights are risk, cost, time and value, each a number 0 or more"
            problems.append(Problem(loc, "bad-weight", msg))
        else:
            weights[key] = float(value)
    if sum(weights.values()) <= 0:
        problems.append(Problem(loc, "bad-weight", "at least one weight must be above 0"))
    return weights, problems


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``risk=2,value=3`` into weights (others stay 1).

    >>> parse_weights("risk=2, value=0.5")
    {'risk': 2.0, 'cost': 1.0, 'time': 1.0, 'value': 0.5}

    Raises:
        ValueError: an unknown criterion or a value that is not a number 0 or more.
    """
    raw: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        try:
            raw[key.strip()] = float(value)
        except ValueError:
            raw[key.strip()] = value
    weights, problems = _weights_from(raw, SourceLocation("--weights", 1))
    if problems:
        raise ValueError(problems[0].message)
    return weights


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
        qs = [q for q in questionnaire.questions if q["area"] == area["id"]]
        given = [answers.values[q["id"]] for q in qs if answers.values.get(q["id"]) is not None]
        mean = round2(sum(given) / len(given)) if given else None  # type: ignore[arg-type]
        level = levels[int(mean) - 1] if mean is not None else None
        results.append(
            AreaResult(area["id"], area["title"], area["group"], len(given), len(qs), mean, level)
        )
        if mean is None or mean >= WEAK_BELOW:
            continue
        estimate = sum(weights[c] * area["estimates"][c] for c in CRITERIA) / total_weight
        priority = round2((4 - mean) * estimate)
        low = [q for q in qs if (answers.values.get(q["id"]) or 4) < WEAK_BELOW]
        pages = _unique([area["id"], *(p for q in low for p in q["pages"])])
        tasks = _unique([t for q in low for t in q["tasks"]])
        statement = (
            f"{area['title']} is at the {level} level (score {mean:.2f} of 4). "
            f"Problem: {area['problem']} Opportunity: {area['opportunity']}"
        )
        backlog.append(
            BacklogItem(
                area["id"],
                area["title"],
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
    unanswered = [q["id"] for q in questionnaire.questions if answers.values.get(q["id"]) is None]
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
        lines.append(f"  # --- {area['title']} ({area['group']})")
        for q in (q for q in questionnaire.questions if q["area"] == area["id"]):
            lines.append(f"  # {q['text']}")
            for option in q["options"]:
                lines.append(f"  #   {option['level']}: {option['text']}")
            lines.append(f"  {q['id']}:")
    return "\n".join(lines) + "\n"


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def markdown_report(questionnaire: Questionnaire, report: Report, titles: dict[str, str]) -> str:
    """Render a report as Markdown (the CLI also turns it into HTML)."""
    out = [
        "# Self-assessment report",
        "",
        "## Maturity by area",
        "",
        "| Area | Group | Level | Score | Answered |",
        "|---|---|---|---|---|",
    ]
    for a in report.areas:
        shown = f"{a.score:.2f}" if a.score is not None else "not scored"
        out.append(
            f"| {a.title} | {a.group} | {a.level or '-'} | {shown} | {a.answered}/{a.questions} |"
        )
    out += ["", "## Improvement backlog", ""]
    w = report.weights
    out.append(
        f"Ranked by priority = (4 - score) x weighted estimate; weights risk {w['risk']:g}, cost {w['cost']:g}, time {w['time']:g}, value {w['value']:g}."
    )
    out.append("")
    for i, b in enumerate(report.backlog, 1):
        out.append(f"{i}. **{b.title}** (priority {b.priority:.2f}): {b.statement}")
        links = ", ".join(titles.get(p, p) for p in b.pages)
        out.append(f"    - Read: {links}")
        if b.tasks:
            out.append(f"    - Do: {', '.join(titles.get(t, t) for t in b.tasks)}")
    if not report.backlog:
        out.append("No area is below the Rationalized level.")
    out += ["", "## Service Improvement Program outline", ""]
    for i, wave in enumerate(report.waves, 1):
        out.append(f"- Quarter {i}: " + "; ".join(questionnaire.area(a)["title"] for a in wave))
    if report.unanswered:
        out += [
            "",
            f"## Unanswered ({len(report.unanswered)})",
            "",
            "Scored as unanswered: " + ", ".join(report.unanswered) + ".",
        ]
    return "\n".join(out) + "\n"


def problems_text(problems: list[Problem]) -> Iterator[str]:
    """The problems, one per line."""
    for p in problems:
        yield str(p)
