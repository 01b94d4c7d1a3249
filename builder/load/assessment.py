"""Read the self-assessment: the questionnaire (``assessment/questions.yaml``) and answers files.

Each record type is a table of :class:`~builder.load.schema.Field` specs, checked by
:func:`~builder.load.schema.check_fields` like front matter and mapping records; what a table
cannot say (four distinct levels, one option per level in level order, unique ids, ids that
name pages) is checked here. Every problem is a ``path:line`` :class:`~builder.errors.Problem`;
a questionnaire with an error yields no :class:`~builder.model.Questionnaire`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config import BuildConfig
from builder.errors import Problem, SourceLocation, sort_problems
from builder.load.schema import ID_FIELD, Field, check_fields, did_you_mean
from builder.load.yamlutil import LineDict, decode, parse_yaml, read_yaml
from builder.model import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Answers,
    Area,
    Estimates,
    Option,
    Question,
    Questionnaire,
)

__all__ = [
    "ANSWERS_FIELDS",
    "AREA_FIELDS",
    "ESTIMATE_FIELDS",
    "OPTION_FIELDS",
    "QUESTIONNAIRE_FIELDS",
    "QUESTION_FIELDS",
    "load_answers",
    "load_questionnaire",
    "parse_answers",
    "parse_questionnaire",
    "parse_weights",
]

#: The scoring (1-4, weak below 3) and the site's script assume exactly four levels.
LEVEL_COUNT = 4

QUESTIONNAIRE_FIELDS: tuple[Field, ...] = (
    Field("levels", list, required=True),
    # Each area and question is checked on its own, so that a message names the one at fault.
    Field("areas", list, required=True, items=object),
    Field("questions", list, required=True, items=object),
)
AREA_FIELDS: tuple[Field, ...] = (
    ID_FIELD,
    Field("title", str, required=True),
    Field("group", str, required=True),
    Field("problem", str, required=True),
    Field("opportunity", str, required=True),
    Field("estimates", dict, required=True),
)
ESTIMATE_FIELDS: tuple[Field, ...] = tuple(
    Field(c, int, required=True, min=1, max=5) for c in CRITERIA
)
QUESTION_FIELDS: tuple[Field, ...] = (
    ID_FIELD,
    Field("area", str, required=True),
    Field("text", str, required=True),
    Field("options", list, required=True, items=object),
    Field("pages", list),
    Field("tasks", list),
)
OPTION_FIELDS: tuple[Field, ...] = (
    Field("level", str, required=True),
    Field("text", str, required=True),
)
ANSWERS_FIELDS: tuple[Field, ...] = (
    Field("answers", dict, required=True),
    Field("weights", dict),
)
_NOT_A_QUESTIONNAIRE = "the questionnaire must be a mapping with 'levels', 'areas' and 'questions'"
_NOT_ANSWERS = (
    "expected a mapping with 'answers: {question-id: level}' (see portal assess --template)"
)


# -----------------------------------------------------------------------------
# The questionnaire


def load_questionnaire(
    cfg: BuildConfig, page_ids: Set[str]
) -> tuple[Questionnaire | None, list[Problem]]:
    """Read ``cfg.assessment_file`` when it exists; every page, area and task id must be a page.

    Returns:
        The questionnaire (None when the file is absent or has an error), and every problem.
    """
    path = cfg.assessment_file
    if not path.is_file():
        return None, []
    return parse_questionnaire(path.read_bytes(), cfg.relpath(path), page_ids)


def parse_questionnaire(
    raw: bytes, path: str, page_ids: Set[str]
) -> tuple[Questionnaire | None, list[Problem]]:
    """Parse the questionnaire's bytes; ``path`` is used in messages only."""
    data, problems = read_yaml(raw, path)
    if problems:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(SourceLocation(path, 1), "bad-questionnaire", _NOT_A_QUESTIONNAIRE)]
    problems = list(check_fields(data, QUESTIONNAIRE_FIELDS, path, what="the questionnaire"))
    raw_areas = list(_items(data, "areas", path, problems))
    # An area with a faulty field is still an area that questions may name; without a list
    # of areas at all, that one problem is enough.
    area_ids = {i for _, item in raw_areas if isinstance(i := item.get("id"), str)}
    known = _Known(
        levels=_levels(data, path, problems),
        areas=frozenset(area_ids) if isinstance(data.get("areas"), list) else None,
        pages=page_ids,
    )
    areas = [
        area
        for index, item in raw_areas
        if (area := _area(item, index, path, known, problems)) is not None
    ]
    questions = [
        question
        for index, item in _items(data, "questions", path, problems)
        if (question := _question(item, index, path, known, problems)) is not None
    ]
    problems.extend(_duplicates(areas, "area"))
    problems.extend(_duplicates(questions, "question"))
    problems = sort_problems(problems)
    if any(p.is_error for p in problems):
        return None, problems
    questionnaire = Questionnaire(
        known.levels, tuple(areas), tuple(questions), SourceLocation(path, 1)
    )
    return questionnaire, problems


@dataclass(frozen=True, slots=True)
class _Known:
    """What the records of a questionnaire may name: its levels, its areas, the pages."""

    levels: tuple[str, ...]
    #: None when the questionnaire has no list of areas (so no area is reported unknown).
    areas: frozenset[str] | None
    pages: Set[str]


def _levels(data: LineDict, path: str, problems: list[Problem]) -> tuple[str, ...]:
    levels = data.get("levels")
    if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
        return ()  # reported by the schema check
    if len(levels) != LEVEL_COUNT or len(set(levels)) != LEVEL_COUNT:
        msg = f"'levels' must list four different levels, lowest first; got {levels!r}"
        problems.append(Problem(SourceLocation(path, data.line_of("levels")), "bad-levels", msg))
    return tuple(levels)


def _items(
    data: LineDict, key: str, path: str, problems: list[Problem]
) -> Iterator[tuple[int, LineDict]]:
    """Yield the mappings of list ``key`` with their index; report items that are not mappings."""
    items = data.get(key)
    if not isinstance(items, list):
        return  # reported by the schema check
    for index, item in enumerate(items):
        if isinstance(item, LineDict):
            yield index, item
        else:
            loc = SourceLocation(path, data.line_of(key))
            msg = f"{key}[{index}] must be a mapping of fields; got {item!r}"
            problems.append(Problem(loc, "bad-item", msg))


def _area(
    item: LineDict, index: int, path: str, known: _Known, problems: list[Problem]
) -> Area | None:
    what = _name(item, "area", index)
    found = list(check_fields(item, AREA_FIELDS, path, what=what))
    estimates = item.get("estimates")
    if isinstance(estimates, LineDict):
        found.extend(check_fields(estimates, ESTIMATE_FIELDS, path, what=f"'estimates' of {what}"))
    if isinstance(item.get("id"), str) and item["id"] not in known.pages:
        msg = f"{what} must be the id of a page{did_you_mean(item['id'], known.pages)}"
        found.append(Problem(SourceLocation(path, item.line_of("id")), "unknown-id", msg))
    problems.extend(found)
    if any(p.is_error for p in found):
        return None
    return Area(
        id=item["id"],
        title=item["title"].strip(),
        group=item["group"].strip(),
        problem=" ".join(item["problem"].split()),
        opportunity=" ".join(item["opportunity"].split()),
        estimates=Estimates(**{c: item["estimates"][c] for c in CRITERIA}),
        source=SourceLocation(path, item.line),
    )


def _question(
    item: LineDict, index: int, path: str, known: _Known, problems: list[Problem]
) -> Question | None:
    what = _name(item, "question", index)
    found = list(check_fields(item, QUESTION_FIELDS, path, what=what))
    options = _options(item, what, path, known.levels, found)
    area = item.get("area")
    if known.areas is not None and isinstance(area, str) and area and area not in known.areas:
        loc = SourceLocation(path, item.line_of("area"))
        msg = f"{what} names unknown area {area!r}{did_you_mean(area, known.areas)}"
        found.append(Problem(loc, "unknown-id", msg))
    for key in ("pages", "tasks"):
        refs = item.get(key)
        for ref in refs if isinstance(refs, list) else ():
            if isinstance(ref, str) and ref not in known.pages:
                loc = SourceLocation(path, item.line_of(key))
                hint = did_you_mean(ref, known.pages)
                msg = f"{what} names unknown page {ref!r} in {key!r}{hint}"
                found.append(Problem(loc, "unknown-id", msg))
    problems.extend(found)
    if any(p.is_error for p in found):
        return None
    return Question(
        id=item["id"],
        area=item["area"],
        text=" ".join(item["text"].split()),
        options=options,
        source=SourceLocation(path, item.line),
        pages=tuple(item.get("pages") or ()),
        tasks=tuple(item.get("tasks") or ()),
    )


def _options(
    item: LineDict, what: str, path: str, levels: tuple[str, ...], found: list[Problem]
) -> tuple[Option, ...]:
    """Read a question's options; they must name every level once, in level order."""
    raw = item.get("options")
    if not isinstance(raw, list):
        return ()  # reported by the schema check
    loc = SourceLocation(path, item.line_of("options"))
    options: list[Option] = []
    for index, option in enumerate(raw):
        if not isinstance(option, LineDict):
            msg = (
                f"options[{index}] of {what} must be a mapping with level and text; got {option!r}"
            )
            found.append(Problem(loc, "bad-item", msg))
            continue
        checked = list(
            check_fields(option, OPTION_FIELDS, path, what=f"options[{index}] of {what}")
        )
        found.extend(checked)
        if not any(p.is_error for p in checked):
            options.append(Option(option["level"].strip(), " ".join(option["text"].split())))
    named = [o.level for o in options]
    if len(options) == len(raw) and levels and named != list(levels):
        msg = (
            f"{what} needs one option per level, in level order ({', '.join(levels)}); "
            f"got {', '.join(named) or 'none'}"
        )
        found.append(Problem(loc, "bad-options", msg))
    return tuple(options)


def _name(item: LineDict, kind: str, index: int) -> str:
    """Name a record by its id in messages (``question 'x'``), or by its place when it has none."""
    record_id = item.get("id")
    return f"{kind} {record_id!r}" if isinstance(record_id, str) else f"{kind}s[{index}]"


def _duplicates(records: list[Area] | list[Question], kind: str) -> Iterator[Problem]:
    first: dict[str, SourceLocation] = {}
    for record in records:
        if record.id in first:
            msg = f"duplicate {kind} id {record.id!r}: already declared at {first[record.id]}"
            yield Problem(record.source, "duplicate-id", msg)
        first.setdefault(record.id, record.source)


# -----------------------------------------------------------------------------
# Answers


def load_answers(path: Path, questionnaire: Questionnaire) -> tuple[Answers | None, list[Problem]]:
    """Read an answers file (YAML, or JSON when it ends in .json); see :func:`parse_answers`."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        msg = f"cannot read the file: {e.strerror}"
        return None, [Problem(SourceLocation(str(path), 1), "unreadable", msg)]
    return parse_answers(raw, str(path), questionnaire, is_json=path.suffix.lower() == ".json")


def parse_answers(
    raw: bytes, path: str, questionnaire: Questionnaire, *, is_json: bool = False
) -> tuple[Answers | None, list[Problem]]:
    """Parse answers: ``answers: {question-id: level-name | 1-4 | null}`` and optional weights.

    Unanswered questions (absent or empty) are not problems; they are scored as unanswered.

    Returns:
        The answers, or None and every problem as ``path:line: message``.
    """
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    if is_json:
        # JSON's own parser says what is wrong in JSON terms; YAML then reads it with lines.
        try:
            json.loads(text)
        except json.JSONDecodeError as e:
            msg = f"invalid JSON: {e.msg} (column {e.colno})"
            return None, [Problem(SourceLocation(path, e.lineno), "bad-yaml", msg)]
    data, problems = parse_yaml(text, path, what="JSON" if is_json else "YAML")
    if problems:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(SourceLocation(path, 1), "bad-answers", _NOT_ANSWERS)]
    problems = list(check_fields(data, ANSWERS_FIELDS, path, what="the answers file"))
    values: dict[str, int | None] = {}
    answers = data.get("answers")
    if isinstance(answers, LineDict):
        values = _answer_values(answers, path, questionnaire, problems)
    weights = dict(DEFAULT_WEIGHTS)
    if isinstance(data.get("weights"), LineDict):
        weights, found = _weights_from(data["weights"], path)
        problems.extend(found)
    if any(p.is_error for p in problems):
        return None, problems
    for q in questionnaire.questions:
        values.setdefault(q.id, None)
    return Answers(values, weights), problems


def _answer_values(
    answers: LineDict, path: str, questionnaire: Questionnaire, problems: list[Problem]
) -> dict[str, int | None]:
    known = {q.id for q in questionnaire.questions}
    values: dict[str, int | None] = {}
    for key, value in answers.items():
        loc = SourceLocation(path, answers.line_of(key))
        if key not in known:
            msg = f"unknown question id {key!r}{did_you_mean(str(key), known)}"
            problems.append(Problem(loc, "unknown-question", msg))
            continue
        level = _level_of(value, questionnaire.levels)
        if level == -1:
            shown = ", ".join(questionnaire.levels)
            msg = f"answer to {key!r} must be one of {shown}, a number 1-4, or empty; got {value!r}"
            problems.append(Problem(loc, "bad-answer", msg))
            continue
        values[key] = level
    return values


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


def _weights_from(raw: dict[str, Any], path: str) -> tuple[dict[str, float], list[Problem]]:
    """Read ``{criterion: weight}``; each problem sits at the line of its key when known."""
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
            problems.append(Problem(SourceLocation(path, _line(raw, key)), "bad-weight", msg))
        else:
            weights[key] = float(value)
    if sum(weights.values()) <= 0:
        msg = "at least one weight must be above 0"
        problems.append(Problem(SourceLocation(path, _line(raw, None)), "bad-weight", msg))
    return weights, problems


def _line(data: dict[Any, Any], key: Any) -> int:
    """Return the line of ``key`` (or of the mapping) when ``data`` was read from a file, else 1."""
    return data.line_of(key) if isinstance(data, LineDict) else 1


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``risk=2,value=3`` (the ``--weights`` option) into weights; the others stay 1.

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
    weights, problems = _weights_from(raw, "--weights")
    if problems:
        raise ValueError(problems[0].message)
    return weights
