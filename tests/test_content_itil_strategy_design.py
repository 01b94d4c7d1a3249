"""The ITIL Service Strategy and Service Design process pages: the process-anatomy minimums.

Each page gives, in its front matter, at least four sub-processes in flow order, each with an
objective, activities, inputs and outputs, and decisions that lead to a sub-process of the same
page or to ``end``; its ``## Metrics`` section holds a ``KPI | Definition | How to measure``
table of at least eight KPIs; and its ``## Roles and responsibilities`` section names the
process owner.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import body_sections, split_page

REPO = Path(__file__).resolve().parent.parent
ITIL = REPO / "content" / "itil"

PAGES = (
    # Service Strategy
    "itil-strategy-management",
    "itil-service-portfolio-management",
    "itil-financial-management",
    "itil-demand-management",
    "itil-business-relationship-management",
    # Service Design
    "itil-design-coordination",
    "itil-service-catalogue-management",
    "itil-service-level-management",
    "itil-availability-management",
    "itil-capacity-management",
    "itil-it-service-continuity-management",
    "itil-information-security-management",
    "itil-supplier-management",
)

MIN_SUBPROCESSES = 4
ACTIVITIES = (3, 6)
INPUTS = (2, 5)
OUTPUTS = (2, 5)
MIN_KPIS = 8
KPI_COLUMNS = ["KPI", "Definition", "How to measure"]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _strings(value: object, low: int, high: int, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return [f"{where} is not a list of non-empty strings"]
    if not low <= len(value) <= high:
        return [f"{where} has {len(value)} items, expected {low}-{high}"]
    return []


def subprocess_gaps(front: dict[str, object]) -> list[str]:
    """List what the ``subprocesses`` of a page lack (empty when they are complete)."""
    steps = front.get("subprocesses")
    if not isinstance(steps, list):
        return ["no 'subprocesses' list in the front matter"]
    gaps: list[str] = []
    if len(steps) < MIN_SUBPROCESSES:
        gaps.append(f"{len(steps)} sub-processes, expected at least {MIN_SUBPROCESSES}")
    ids = [s.get("id") for s in steps if isinstance(s, dict)]
    for i, step in enumerate(steps):
        where = f"subprocesses[{i}]"
        if not isinstance(step, dict):
            gaps.append(f"{where} is not a mapping")
            continue
        if not isinstance(step.get("id"), str) or not SLUG.match(step["id"]):
            gaps.append(f"{where}.id is not a slug")
        elif ids.count(step["id"]) > 1:
            gaps.append(f"{where}.id {step['id']!r} is repeated")
        for key in ("name", "objective"):
            if not isinstance(step.get(key), str) or not step[key].strip():
                gaps.append(f"{where}.{key} is missing")
        gaps += _strings(step.get("activities"), *ACTIVITIES, f"{where}.activities")
        gaps += _strings(step.get("inputs"), *INPUTS, f"{where}.inputs")
        gaps += _strings(step.get("outputs"), *OUTPUTS, f"{where}.outputs")
        decision = step.get("decision")
        if decision is None:
            continue
        if not isinstance(decision, dict):
            gaps.append(f"{where}.decision is not a mapping")
            continue
        if not isinstance(decision.get("question"), str) or not decision["question"].strip():
            gaps.append(f"{where}.decision has no question")
        # YAML 1.1 reads the key `no:` as the boolean False.
        target = decision.get("no", decision.get(False))
        if target != "end" and target not in ids:
            gaps.append(f"{where}.decision 'no' goes to {target!r}, not a sub-process or 'end'")
    return gaps


def metrics_gaps(body: str) -> list[str]:
    """List what the ``## Metrics`` table of a page lacks (empty when it is complete)."""
    metrics = body_sections(body).get("Metrics")
    if metrics is None:
        return ["no '## Metrics' section"]
    rows = [line for line in metrics.splitlines() if line.startswith("|")]
    if len(rows) < 2 or _cells(rows[0]) != KPI_COLUMNS:
        return [f"the Metrics table does not have the columns {' | '.join(KPI_COLUMNS)}"]
    gaps: list[str] = []
    kpis = [_cells(row) for row in rows[2:]]
    if len(kpis) < MIN_KPIS:
        gaps.append(f"{len(kpis)} KPIs, expected at least {MIN_KPIS}")
    for cells in kpis:
        if len(cells) != len(KPI_COLUMNS) or not all(cells):
            gaps.append(f"KPI row {' | '.join(cells)!r} does not fill the three columns")
    names = [cells[0].casefold() for cells in kpis]
    gaps += [f"KPI {name!r} is repeated" for name in sorted(set(names)) if names.count(name) > 1]
    return gaps


def page_gaps(text: str) -> list[str]:
    """List what a process page lacks of the anatomy minimums (empty when it has them all)."""
    front, body = split_page(text)
    gaps = subprocess_gaps(front) + metrics_gaps(body)
    roles = body_sections(body).get("Roles and responsibilities", "")
    if "process owner" not in roles.casefold():
        gaps.append("'Roles and responsibilities' does not name the process owner")
    return gaps


@pytest.mark.parametrize("page", PAGES)
def test_process_page_meets_the_anatomy_minimums(page):
    path = ITIL / f"{page}.md"
    assert page_gaps(path.read_text(encoding="utf-8")) == []


def test_the_pages_are_the_strategy_and_design_processes():
    parents = {}
    for page in PAGES:
        front, _ = split_page((ITIL / f"{page}.md").read_text(encoding="utf-8"))
        assert front["kind"] == "process"
        parents[page] = front["parent"]
    assert sorted(set(parents.values())) == ["itil-service-design", "itil-service-strategy"]


# The checker itself: a complete page passes, and each kind of gap is reported.

STEP = """
  - id: {id}
    name: Step {id}
    objective: Do {id}.
    activities: [One, Two, Three]
    inputs: [In one, In two]
    outputs: [Out one, Out two]
"""
KPI_TABLE = "| KPI | Definition | How to measure |\n|---|---|---|\n" + "".join(
    f"| K{i} | What K{i} shows | count / total, from the tool |\n" for i in range(8)
)


def _page(steps: str, table: str = KPI_TABLE, roles: str = "The process owner is X.") -> str:
    return (
        f"---\nid: x\nkind: process\nsubprocesses:{steps}---\n\n"
        f"## Roles and responsibilities\n\n{roles}\n\n## Metrics\n\n{table}\n## Common pitfalls\n"
    )


GOOD_STEPS = "".join(STEP.format(id=i) for i in ("a", "b", "c", "d"))


def test_a_complete_page_has_no_gaps():
    assert page_gaps(_page(GOOD_STEPS)) == []


def test_a_decision_may_lead_to_a_step_or_to_the_end():
    steps = GOOD_STEPS + "    decision:\n      question: Done?\n      no: a\n"
    assert page_gaps(_page(steps)) == []
    steps = GOOD_STEPS + "    decision:\n      question: Done?\n      no: end\n"
    assert page_gaps(_page(steps)) == []


def test_too_few_subprocesses_are_reported():
    steps = "".join(STEP.format(id=i) for i in ("a", "b", "c"))
    assert page_gaps(_page(steps)) == ["3 sub-processes, expected at least 4"]


def test_a_missing_field_and_a_short_list_are_reported():
    steps = GOOD_STEPS.replace("    objective: Do b.\n", "").replace(
        "outputs: [Out one, Out two]\n", "outputs: [Out one]\n", 1
    )
    assert page_gaps(_page(steps)) == [
        "subprocesses[0].outputs has 1 items, expected 2-5",
        "subprocesses[1].objective is missing",
    ]


def test_a_decision_to_an_unknown_step_is_reported():
    steps = GOOD_STEPS + "    decision:\n      question: Done?\n      no: z\n"
    assert page_gaps(_page(steps)) == [
        "subprocesses[3].decision 'no' goes to 'z', not a sub-process or 'end'"
    ]


def test_a_repeated_step_id_is_reported():
    steps = GOOD_STEPS + STEP.format(id="a")
    assert page_gaps(_page(steps)) == [
        "subprocesses[0].id 'a' is repeated",
        "subprocesses[4].id 'a' is repeated",
    ]


def test_a_short_or_wrongly_headed_metrics_table_is_reported():
    short = "\n".join(KPI_TABLE.splitlines()[:-1]) + "\n"
    assert page_gaps(_page(GOOD_STEPS, table=short)) == ["7 KPIs, expected at least 8"]
    old = KPI_TABLE.replace("| KPI | Definition |", "| CSF | KPI |", 1)
    assert page_gaps(_page(GOOD_STEPS, table=old)) == [
        "the Metrics table does not have the columns KPI | Definition | How to measure"
    ]


def test_an_empty_cell_and_a_repeated_kpi_are_reported():
    table = KPI_TABLE.replace("| K7 | What K7 shows |", "| K6 |  |")
    assert page_gaps(_page(GOOD_STEPS, table=table)) == [
        "KPI row 'K6 |  | count / total, from the tool' does not fill the three columns",
        "KPI 'k6' is repeated",
    ]


def test_a_page_without_a_process_owner_is_reported():
    assert page_gaps(_page(GOOD_STEPS, roles="The manager runs it.")) == [
        "'Roles and responsibilities' does not name the process owner"
    ]
