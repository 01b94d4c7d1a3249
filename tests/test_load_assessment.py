"""Reading the questionnaire and answers files: the schema, and every bad-input message.

Each case edits one line of a valid questionnaire and lists every problem it must produce,
as ``path:line: message``. The questionnaire is the minimal project's (tests/conftest.py); its lines are listed below.
"""

from __future__ import annotations

import pytest
from conftest import QUESTIONNAIRE

from builder.errors import SourceLocation
from builder.load.assessment import (
    AREA_FIELDS,
    OPTION_FIELDS,
    QUESTION_FIELDS,
    parse_answers,
    parse_questionnaire,
)
from builder.model import Estimates, Option

PATH = "assessment/questions.yaml"
PAGES = {"alpha-incident", "alpha-change", "task-fix-an-outage"}
# Lines: 1 levels, 2 areas, 3 area id, 4 title, 5 group, 6 problem, 7 opportunity,
# 8 estimates, 9 questions, 10 question id, 11 area, 12 text, 13 options, 14-17 the options,
# 18 pages, 19 tasks.
LEVELS = "Basic, Standardized, Rationalized, Dynamic"


def parse(text: str) -> tuple[object, list[str]]:
    questionnaire, problems = parse_questionnaire(text.encode("utf-8"), PATH, PAGES)
    return questionnaire, [str(p) for p in problems]


def edit(old: str, new: str) -> str:
    assert QUESTIONNAIRE.count(old) == 1, old
    return QUESTIONNAIRE.replace(old, new)


def test_reads_levels_areas_and_questions_as_frozen_records():
    q, problems = parse(QUESTIONNAIRE)
    assert problems == []
    (area,) = q.areas
    assert (area.id, area.title, area.group, area.source) == (
        "alpha-incident",
        "Incident handling",
        "Sample",
        SourceLocation(PATH, 3),
    )
    assert area.estimates == Estimates(risk=4, cost=3, time=3, value=4)
    (question,) = q.questions
    assert question.options[0] == Option("Basic", "Not at all.")
    assert (question.pages, question.tasks, question.source.line) == (
        ("alpha-incident",),
        ("task-fix-an-outage",),
        10,
    )
    assert q.levels == ("Basic", "Standardized", "Rationalized", "Dynamic")
    with pytest.raises(AttributeError):
        area.title = "changed"  # type: ignore[misc]


def test_the_tables_require_what_scoring_and_rendering_read():
    required = {t: {f.name for f in fields if f.required} for t, fields in [
        ("area", AREA_FIELDS), ("question", QUESTION_FIELDS), ("option", OPTION_FIELDS)
    ]}  # fmt: skip
    assert required == {
        "area": {"id", "title", "group", "problem", "opportunity", "estimates"},
        "question": {"id", "area", "text", "options"},
        "option": {"level", "text"},
    }


# A required field of an area or question, removed: one problem at the start of the record.
@pytest.mark.parametrize(
    ("line", "where", "expected"),
    [
        ("    title: Incident handling\n", 3, "area 'alpha-incident' is missing required field 'title'"),
        ("    group: Sample\n", 3, "area 'alpha-incident' is missing required field 'group'"),
        ("    problem: Incidents take too long to fix.\n", 3, "area 'alpha-incident' is missing required field 'problem'"),
        ("    opportunity: Faster fixes keep users working.\n", 3, "area 'alpha-incident' is missing required field 'opportunity'"),
        ("    estimates: {risk: 4, cost: 3, time: 3, value: 4}\n", 3, "area 'alpha-incident' is missing required field 'estimates'"),
        ("    area: alpha-incident\n", 10, "question 'q1' is missing required field 'area'"),
        ("    text: How are incidents logged?\n", 10, "question 'q1' is missing required field 'text'"),
    ],
)  # fmt: skip
def test_missing_field(line, where, expected):
    q, problems = parse(edit(line, ""))
    assert q is None
    assert problems == [f"{PATH}:{where}: {expected}"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # The whole file
        ("levels: [Basic, Standardized, Rationalized, Dynamic]\n", "",
         ["1: the questionnaire is missing required field 'levels'"]),
        ("levels: [Basic, Standardized, Rationalized, Dynamic]", "levels: Basic",
         ["1: 'levels' must be a list of strings; got 'Basic'"]),
        ("levels: [Basic, Standardized, Rationalized, Dynamic]", "levels: [Basic, Standardized, Rationalized]",
         ["1: 'levels' must list four different levels, lowest first; got ['Basic', 'Standardized', 'Rationalized']",
          "13: question 'q1' needs one option per level, in level order (Basic, Standardized, Rationalized); "
          "got Basic, Standardized, Rationalized, Dynamic"]),
        ("levels: [Basic, Standardized, Rationalized, Dynamic]", "levels: [Basic, Basic, Rationalized, Dynamic]",
         ["1: 'levels' must list four different levels, lowest first; got ['Basic', 'Basic', 'Rationalized', 'Dynamic']",
          "13: question 'q1' needs one option per level, in level order (Basic, Basic, Rationalized, Dynamic); "
          f"got {LEVELS}"]),
        ("areas:\n  - id: alpha-incident", "areaz:\n  - id: alpha-incident",
         ["1: the questionnaire is missing required field 'areas'",
          "2: warning: unknown field 'areaz' in the questionnaire (ignored); did you mean 'areas'?"]),
        ("questions:\n", "questions: q1\nmore:\n",
         ["9: 'questions' must be a list of mappings; got 'q1'",
          "10: warning: unknown field 'more' in the questionnaire (ignored)"]),
        ("areas:\n", "areas:\n  - just words\n",
         ["2: areas[0] must be a mapping of fields; got 'just words'"]),
        # An area
        ("    title: Incident handling", "    title: 3",
         ["4: 'title' must be a string; got 3"]),
        ("    problem: Incidents take too long to fix.", "    problem: ''",
         ["6: 'problem' must not be empty"]),
        ("    problem: Incidents", "    problm: Incidents",
         ["3: area 'alpha-incident' is missing required field 'problem'",
          "6: warning: unknown field 'problm' in area 'alpha-incident' (ignored); did you mean 'problem'?"]),
        ("    estimates: {risk: 4, cost: 3, time: 3, value: 4}", "    estimates: high",
         ["8: 'estimates' must be a mapping; got 'high'"]),
        ("{risk: 4, cost: 3,", "{risk: 9, cost: 3,",
         ["8: 'risk' must be between 1 and 5; got 9"]),
        ("{risk: 4, cost: 3,", "{risk: high, cost: 3,",
         ["8: 'risk' must be an integer; got 'high'"]),
        ("{risk: 4, cost: 3,", "{cost: 3,",
         ["8: 'estimates' of area 'alpha-incident' is missing required field 'risk'"]),
        ("  - id: alpha-incident", "  - id: Alpha Incident",
         ["3: 'id' must be lowercase letters, digits and single hyphens; got 'Alpha Incident'",
          "3: area 'Alpha Incident' must be the id of a page; did you mean 'alpha-incident'?",
          "11: question 'q1' names unknown area 'alpha-incident'; did you mean 'Alpha Incident'?"]),
        ("  - id: alpha-incident", "  - id: alpha-incidnt",
         ["3: area 'alpha-incidnt' must be the id of a page; did you mean 'alpha-incident'?",
          "11: question 'q1' names unknown area 'alpha-incident'; did you mean 'alpha-incidnt'?"]),
        ("  - id: alpha-incident", "  - id:",
         ["3: areas[0] is missing required field 'id'",
          "11: question 'q1' names unknown area 'alpha-incident'"]),
        # A question
        ("    text: How are incidents logged?", "    text: [How, logged]",
         ["12: 'text' must be a string; got ['How', 'logged']"]),
        ("  - id: q1", "  - id: Q 1",
         ["10: 'id' must be lowercase letters, digits and single hyphens; got 'Q 1'"]),
        ("  - id: q1\n", "  - area: alpha-incident\n    id:\n",
         ["10: questions[0] is missing required field 'id'"]),
        ("    area: alpha-incident\n    text", "    area: alpha-change\n    text",
         ["11: question 'q1' names unknown area 'alpha-change'; did you mean 'alpha-incident'?"]),
        ("    options:\n", "    options: four\n    old:\n",
         ["13: 'options' must be a list of mappings; got 'four'",
          "14: warning: unknown field 'old' in question 'q1' (ignored)"]),
        ("      - {level: Basic, text: Not at all.}", "      - Not at all.",
         ["13: options[0] of question 'q1' must be a mapping with level and text; got 'Not at all.'"]),
        ("{level: Standardized, text: In one tool.}", "{level: Standardized}",
         ["15: options[1] of question 'q1' is missing required field 'text'"]),
        ("{level: Standardized, text: In one tool.}", "{level: Standardized, text: 2}",
         ["15: 'text' must be a string; got 2"]),
        ("{level: Standardized, text: In one tool.}", "{level: Rationalized, text: In one tool.}",
         [f"13: question 'q1' needs one option per level, in level order ({LEVELS}); "
          "got Basic, Rationalized, Rationalized, Dynamic"]),
        ("      - {level: Dynamic, text: Automatically from monitoring.}\n", "",
         [f"13: question 'q1' needs one option per level, in level order ({LEVELS}); "
          "got Basic, Standardized, Rationalized"]),
        ("    pages: [alpha-incident]", "    pages: alpha-incident",
         ["18: 'pages' must be a list of strings; got 'alpha-incident'"]),
        ("    pages: [alpha-incident]", "    pages: [alpha-incidnt]",
         ["18: question 'q1' names unknown page 'alpha-incidnt' in 'pages'; did you mean 'alpha-incident'?"]),
        ("    tasks: [task-fix-an-outage]", "    tasks: [task-fix-an-outge]",
         ["19: question 'q1' names unknown page 'task-fix-an-outge' in 'tasks'; did you mean 'task-fix-an-outage'?"]),
        ("    tasks: [task-fix-an-outage]\n", "    tasks: [task-fix-an-outage]\n" + QUESTIONNAIRE[QUESTIONNAIRE.index("  - id: q1"):],
         ["20: duplicate question id 'q1': already declared at assessment/questions.yaml:10"]),
    ],
)  # fmt: skip
def test_bad_field(old, new, expected):
    q, problems = parse(edit(old, new))
    assert problems == [f"{PATH}:{e}" for e in expected]
    errors = [e for e in expected if ": warning: " not in e]
    assert (q is None) == bool(errors)


def test_duplicate_area():
    area = QUESTIONNAIRE[
        QUESTIONNAIRE.index("  - id: alpha-incident") : QUESTIONNAIRE.index("questions:")
    ]
    _, problems = parse(edit("questions:\n", area + "questions:\n"))
    assert problems == [
        f"{PATH}:9: duplicate area id 'alpha-incident': already declared at {PATH}:3"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"levels: [Basic\n", "2: invalid YAML: expected ',' or ']', but got '<stream end>' (column 1)"),
        (b"- levels\n", "1: the questionnaire must be a mapping with 'levels', 'areas' and 'questions'"),
        (b"levels: [Basic]\nareas: []\nquestions: [caf\xe9]\n",
         "3: not valid UTF-8 (byte 0xe9 at offset 41); save the file as UTF-8"),
    ],
)  # fmt: skip
def test_unreadable_questionnaire(raw, expected):
    q, problems = parse_questionnaire(raw, PATH, PAGES)
    assert q is None
    assert [str(p) for p in problems] == [f"{PATH}:{expected}"]


@pytest.fixture(scope="module")
def questionnaire():
    q, problems = parse_questionnaire(QUESTIONNAIRE.encode(), PATH, PAGES)
    assert problems == []
    return q


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weights: {risk: 2}\n", ["1: the answers file is missing required field 'answers'"]),
        ("answers: [q1]\n", ["1: 'answers' must be a mapping; got ['q1']"]),
        ("answers: {q1: Basic}\nweights: 3\n", ["2: 'weights' must be a mapping; got 3"]),
        ("answers:\n  q1: Basic\nweights:\n  risk: 1\n  speed: 2\n",
         ["5: weight 'speed'=2: weights are risk, cost, time and value, each a number 0 or more"]),
        ("answers: {q1: Basic}\nweights: {risk: 0, cost: 0, time: 0, value: 0}\n",
         ["2: at least one weight must be above 0"]),
        ("answers: {q1: Basic}\nnotes: hello\n",
         ["2: warning: unknown field 'notes' in the answers file (ignored)"]),
    ],
)  # fmt: skip
def test_bad_answers(questionnaire, text, expected):
    answers, problems = parse_answers(text.encode(), "a.yaml", questionnaire)
    assert [str(p) for p in problems] == [f"a.yaml:{e}" for e in expected]
    assert (answers is None) == any(": warning: " not in e for e in expected)


def test_answers_json_errors_speak_json(questionnaire):
    _, problems = parse_answers(
        b'{"answers": {"q1": "Basic"', "a.json", questionnaire, is_json=True
    )
    assert [str(p) for p in problems] == [
        "a.json:1: invalid JSON: Expecting ',' delimiter (column 27)"
    ]
