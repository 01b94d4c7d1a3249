"""Self-assessment: answers, scoring, backlog, waves, the blank answers file, the reports, CLI.

Reading the questionnaire (its schema and every bad-input message) is in test_load_assessment.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.assessment import round2, score, template
from builder.cli import cli
from builder.config import BuildConfig
from builder.errors import SourceLocation
from builder.load.assessment import load_answers, load_questionnaire, parse_weights
from builder.load.content import load_content
from builder.model import Answers, Area, Estimates, Option, Question, Questionnaire
from builder.render.report import report_html, report_markdown

REPO = Path(__file__).resolve().parent.parent
LEVELS = ("Basic", "Standardized", "Rationalized", "Dynamic")
HERE = SourceLocation("q.yaml", 1)
#: The group of the assessment page that each IO model's capabilities are listed under.
IO_MODEL_GROUPS = {
    "io-core": "Core IO capability",
    "io-application-platform": "Application Platform IO capability",
    "io-business-productivity": "Business Productivity IO capability",
}


def small() -> Questionnaire:
    def q(qid: str, area: str) -> Question:
        options = tuple(Option(lvl, lvl) for lvl in LEVELS)
        return Question(qid, area, qid, options, HERE, pages=(area,), tasks=(f"task-{qid}",))

    areas = (
        Area("a", "Alpha", "G", "P1.", "O1.", Estimates(risk=5, cost=1, time=1, value=5), HERE),
        Area("b", "Beta", "G", "P2.", "O2.", Estimates(risk=1, cost=5, time=5, value=1), HERE),
        Area("c", "Gamma", "G", "P3.", "O3.", Estimates(risk=3, cost=3, time=3, value=3), HERE),
    )
    questions = (q("a1", "a"), q("a2", "a"), q("b1", "b"), q("c1", "c"))
    return Questionnaire(LEVELS, areas, questions, HERE)


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


def test_waves_of_three_per_quarter(questionnaire):
    q = questionnaire
    report = score(q, Answers(dict.fromkeys((x.id for x in q.questions), 1)))
    assert len(report.backlog) == len(q.areas) == 29
    assert [len(w) for w in report.waves] == [3] * 9 + [2]
    assert report.waves[0] == [b.area for b in report.backlog[:3]]


def test_round_half_up():
    assert (round2(2.125), round2(1.005), round2(3.3333)) == (2.13, 1.01, 3.33)


def _ids() -> set[str]:
    return {p.stem for p in (REPO / "content").rglob("*.md")}


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    q, problems = load_questionnaire(BuildConfig.from_root(REPO), _ids())
    assert problems == []
    assert q is not None
    return q


def test_questionnaire_in_the_repo_is_valid_and_large_enough(questionnaire):
    q = questionnaire
    assert len(q.questions) >= 60
    assert {a.group for a in q.areas} == {
        *IO_MODEL_GROUPS.values(),
        "MOF 4.0 service management function",
    }
    assert min(len(q.questions_in(a.id)) for a in q.areas) >= 3


def test_every_io_capability_is_an_area_in_its_models_group(questionnaire):
    nodes, problems, _ = load_content(BuildConfig.from_root(REPO))
    assert problems == []
    capabilities = {
        n.id: IO_MODEL_GROUPS.get(n.parent or "", f"no group for parent {n.parent!r}")
        for n in nodes
        if n.kind == "capability" and n.framework == "io"
    }
    assert set(IO_MODEL_GROUPS) <= {n.parent for n in nodes if n.id in capabilities}
    areas = {a.id: a.group for a in questionnaire.areas}
    assert {c: areas.get(c, "not an area") for c in capabilities} == capabilities


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
        1 for q in questionnaire.questions if q.id.startswith("iam-")
    )
    import yaml

    assert set(yaml.safe_load(text)["answers"]) == {q.id for q in questionnaire.questions}


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


def test_markdown_report_of_a_small_questionnaire():
    report = score(small(), Answers({"a1": 2, "a2": 2, "b1": 4, "c1": None}))
    titles = {"a": "Alpha page", "task-a1": "Do a1"}
    assert report_markdown(small(), report, titles) == (
        "# Self-assessment report\n\n## Maturity by area\n\n"
        "| Area | Group | Level | Score | Answered |\n|---|---|---|---|---|\n"
        "| Alpha | G | Standardized | 2.00 | 2/2 |\n"
        "| Beta | G | Dynamic | 4.00 | 1/1 |\n"
        "| Gamma | G | - | not scored | 0/1 |\n\n"
        "## Improvement backlog\n\n"
        "Ranked by priority = (4 - score) x weighted estimate; "
        "weights risk 1, cost 1, time 1, value 1.\n\n"
        "1. **Alpha** (priority 6.00): Alpha is at the Standardized level (score 2.00 of 4). "
        "Problem: P1. Opportunity: O1.\n"
        "    - Read: Alpha page\n    - Do: Do a1, task-a2\n\n"
        "## Service Improvement Program outline\n\n- Quarter 1: Alpha\n\n"
        "## Unanswered (1)\n\nScored as unanswered: c1.\n"
    )


def test_markdown_report_when_no_area_is_weak():
    report = score(small(), Answers({"a1": 4, "a2": 3, "b1": 4, "c1": 3}))
    text = report_markdown(small(), report, {})
    assert text.endswith(
        "value 1.\n\nNo area is below the Rationalized level.\n\n"
        "## Service Improvement Program outline\n\n"
    )


def test_html_report_is_escaped_standalone_and_styled():
    base = small()
    hostile = Area(
        "a", "<script>alert(1)</script> & Co", "G", "P1.", "O1.", base.areas[0].estimates, HERE
    )
    questionnaire = Questionnaire(LEVELS, (hostile, *base.areas[1:]), base.questions, HERE)
    report = score(questionnaire, Answers({"a1": 1, "a2": 2, "b1": 4, "c1": 3}))
    html = report_html(questionnaire, report, {"task-a1": "Fix <b>it</b>"})
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "Fix &lt;b&gt;it&lt;/b&gt;" in html
    # One table row per area, one backlog entry per weak area; nothing loaded from anywhere.
    assert html.count("<tr") == 1 + len(questionnaire.areas)
    assert html.count("<li><strong>") == len(report.backlog) == 1
    assert "prefers-color-scheme: dark" in html and "@media print" in html
    assert not re.search(r"""(?:src|href)=|@import|url\(""", html)
