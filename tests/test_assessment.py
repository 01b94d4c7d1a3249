"""Self-assessment: questionnaire checks, answers, scoring, backlog, waves, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.assessment import (
    Answers,
    Questionnaire,
    load_answers,
    load_questionnaire,
    parse_weights,
    round2,
    score,
    template,
)
from builder.cli import cli

REPO = Path(__file__).resolve().parent.parent


def small() -> Questionnaire:
    def q(qid: str, area: str) -> dict:
        options = [
            {"level": lvl, "text": lvl}
            for lvl in ("Basic", "Standardized", "Rationalized", "Dynamic")
        ]
        return {
            "id": qid,
            "area": area,
            "text": qid,
            "options": options,
            "pages": [area],
            "tasks": [f"task-{qid}"],
        }

    areas = (
        {"id": "a", "title": "Alpha", "group": "G", "problem": "P1.", "opportunity": "O1.",
         "estimates": {"risk": 5, "cost": 1, "time": 1, "value": 5}},
        {"id": "b", "title": "Beta", "group": "G", "problem": "P2.", "opportunity": "O2.",
         "estimates": {"risk": 1, "cost": 5, "time": 5, "value": 1}},
        {"id": "c", "title": "Gamma", "group": "G", "problem": "P3.", "opportunity": "O3.",
         "estimates": {"risk": 3, "cost": 3, "time": 3, "value": 3}},
    )  # fmt: skip
    return Questionnaire(
        ("Basic", "Standardized", "Rationalized", "Dynamic"),
        areas,
        (q("a1", "a"), q("a2", "a"), q("b1", "b"), q("c1", "c")),
    )


def test_area_levels_are_the_whole_part_of_the_mean():
    report = score(small(), Answers({"a1": 1, "a2": 2, "b1": 4, "c1": None}))
    levels = {a.id: (a.score, a.level, a.answered) for a in report.areas}
    assert levels == {"a": (1.5, "Basic", 2), "b": (4.0, "Dynamic", 1), "c": (None, None, 0)}
    assert report.unanswered == ["c1"]


def test_backlog_priority_weights_and_order():
    answers = Answers({"a1": 2, "a2": 2, "b1": 1, "c1": 4})
    report = score(small(), answers)
    # a: gap 2 x mean(5,1,1,5)=3 -> 6.0; b: gap 3 x mean(1,5,5,1)=3 -> 9.0
    assert [(b.area, b.priority) for b in report.backlog] == [("b", 9.0), ("a", 6.0)]
    weighted = score(small(), Answers(answers.values, parse_weights("risk=3,value=3")))
    # a: 2 x (15+1+1+15)/8 = 8.0; b: 3 x (3+5+5+3)/8 = 6.0
    assert [(b.area, b.priority) for b in weighted.backlog] == [("a", 8.0), ("b", 6.0)]
    item = weighted.backlog[0]
    assert (
        item.statement
        == "Alpha is at the Standardized level (score 2.00 of 4). Problem: P1. Opportunity: O1."
    )
    assert (item.pages, item.tasks) == (("a",), ("task-a1", "task-a2"))


def test_waves_of_three_per_quarter(tmp_path):
    q = load_questionnaire(REPO / "assessment" / "questions.yaml", "q.yaml", _ids())[0]
    assert q is not None
    report = score(q, Answers(dict.fromkeys((x["id"] for x in q.questions), 1)))
    assert len(report.backlog) == len(q.areas) == 21
    assert [len(w) for w in report.waves] == [3] * 7
    assert report.waves[0] == [b.area for b in report.backlog[:3]]


def test_round_half_up():
    assert (round2(2.125), round2(1.005), round2(3.3333)) == (2.13, 1.01, 3.33)


def _ids() -> set[str]:
    return {p.stem for p in (REPO / "content").rglob("*.md")}


def test_questionnaire_in_the_repo_is_valid_and_large_enough():
    q, problems = load_questionnaire(REPO / "assessment" / "questions.yaml", "q.yaml", _ids())
    assert problems == []
    assert q is not None
    assert len(q.questions) >= 60
    assert {a["group"] for a in q.areas} == {
        "Core IO capability",
        "MOF 4.0 service management function",
    }
    per_area = {a["id"]: sum(1 for x in q.questions if x["area"] == a["id"]) for a in q.areas}
    assert min(per_area.values()) >= 3


def test_questionnaire_problems_name_the_line(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(
        "levels: [Basic, Standardized, Rationalized, Dynamic]\nareas:\n"
        "  - {id: a, title: A, group: G, problem: p, opportunity: o, estimates: {risk: 9, cost: 1, time: 1, value: 1}}\n"
        "questions:\n  - id: x\n    area: zz\n    text: t\n    options: []\n"
    )
    _, problems = load_questionnaire(path, "q.yaml", {"a"})
    assert [str(p) for p in problems] == [
        "q.yaml:3: 'estimates' needs risk, cost, time and value, each 1-5",
        "q.yaml:5: question 'x' names unknown area 'zz'",
        "q.yaml:5: question 'x' needs one option per level, in level order",
    ]


@pytest.fixture
def questionnaire() -> Questionnaire:
    q, _ = load_questionnaire(REPO / "assessment" / "questions.yaml", "q.yaml", _ids())
    assert q is not None
    return q


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.yaml", "answers:\n  iam-directory: Basic\n  nope-question: Basic\n",
         "a.yaml:3: unknown question id 'nope-question'"),
        ("a.yaml", "answers:\n  iam-directory: Expert\n",
         "a.yaml:2: answer to 'iam-directory' must be one of Basic, Standardized, Rationalized, Dynamic, a number 1-4, or empty; got 'Expert'"),
        ("a.yaml", "answers:\n  iam-directory: 7\n",
         "a.yaml:2: answer to 'iam-directory' must be one of Basic, Standardized, Rationalized, Dynamic, a number 1-4, or empty; got 7"),
        ("a.yaml", "answers:\n  iam-directory: [Basic\n",
         "a.yaml:3: invalid YAML: expected ',' or ']', but got '<stream end>' (column 1)"),
        ("a.json", '{"answers": {"iam-directory": "Basic",}\n}',
         "a.json:1: invalid JSON: Expecting property name enclosed in double quotes (column 39)"),
        ("a.yaml", "- just a list\n",
         "a.yaml:1: expected a mapping with 'answers: {question-id: level}' (see portal assess --template)"),
        ("a.yaml", "weights: {risk: -1}\nanswers:\n  iam-directory: Basic\n",
         "a.yaml:1: weight 'risk'=-1: weights are risk, cost, time and value, each a number 0 or more"),
    ],
)  # fmt: skip
def test_bad_answers_files(tmp_path, questionnaire, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    answers, problems = load_answers(path, questionnaire)
    assert answers is None
    assert [str(p).replace(str(tmp_path) + "/", "") for p in problems] == [message]


def test_missing_answers_are_unanswered_not_errors(tmp_path, questionnaire):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"answers": {"iam-directory": "Dynamic", "iam-accounts": None}}))
    answers, problems = load_answers(path, questionnaire)
    assert problems == []
    assert answers is not None
    assert answers.values["iam-directory"] == 4
    assert answers.values["iam-accounts"] is None
    assert len(score(questionnaire, answers).unanswered) == len(questionnaire.questions) - 1


def test_template_lists_every_question(questionnaire):
    text = template(questionnaire)
    assert text.count("\n  iam-") == sum(
        1 for q in questionnaire.questions if q["id"].startswith("iam-")
    )
    import yaml

    assert set(yaml.safe_load(text)["answers"]) == {q["id"] for q in questionnaire.questions}


def test_cli_assess_report_and_json(tmp_path):
    out = tmp_path / "report.html"
    sample = REPO / "assessment" / "sample-answers.yaml"
    result = CliRunner().invoke(
        cli, ["-q", "assess", str(sample), "--root", str(REPO), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<h2>Improvement backlog</h2>" in html
    data = json.loads(
        CliRunner().invoke(cli, ["-q", "assess", str(sample), "--root", str(REPO), "--json"]).stdout
    )
    assert data["weights"] == {"risk": 2.0, "cost": 1.0, "time": 1.0, "value": 1.0}
    assert data["backlog"] == sorted(data["backlog"], key=lambda b: (-b["priority"], b["title"]))


def test_cli_assess_bad_input_exits_1(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("answers:\n  nope: Basic\n")
    result = CliRunner().invoke(cli, ["-q", "assess", str(bad), "--root", str(REPO)])
    assert result.exit_code == 1
    assert result.output == f"Error: {bad}:2: unknown question id 'nope'\n"
    weights = CliRunner().invoke(
        cli,
        [
            "-q",
            "assess",
            str(REPO / "assessment" / "sample-answers.yaml"),
            "--root",
            str(REPO),
            "--weights",
            "speed=2",
        ],
    )
    assert weights.exit_code == 2
    assert "weight 'speed'=2.0" in weights.output


def test_cli_assess_template(tmp_path):
    out = tmp_path / "answers.yaml"
    result = CliRunner().invoke(
        cli, ["-q", "assess", "--template", "--root", str(REPO), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert out.read_text().startswith("# Self-assessment answers.")
