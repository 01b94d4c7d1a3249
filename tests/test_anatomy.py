"""Process anatomy: sub-processes and templates in front matter, their checks and their pages."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import REPO, minimal_files, page

from builder.config import BuildConfig
from builder.errors import ValidationFailed
from builder.graph import RELATION, USED_BY
from builder.pipeline import check
from builder.render.docs import render_docs

STEPS = """
subprocesses:
  - id: record
    name: Record the change
    objective: Capture every change in one record.
    activities: [Write down what changes and why]
    inputs: [Request]
    outputs: [Change record]
  - id: review
    name: Review the change
    objective: Decide whether the change may go ahead.
    activities: [Read the record, Ask the experts]
    inputs: [Change record]
    outputs: [Decision]
    decision:
      question: Approved?
      no: close
  - id: build
    name: Build and deploy it
    objective: Make the change in its window.
    activities: [Build, Deploy]
    inputs: [Approved change]
    outputs: [Changed service]
  - id: close
    name: Close the record
    objective: Check the change worked and close it.
    activities: [Review the result]
    inputs: [Changed service]
    outputs: [Closed record]
"""

FORM = """
used_by: [alpha-change, task-fix-an-outage]
fields:
  - name: Change title
    description: One line that says what changes.
    example: Patch the mail servers
  - name: Reason
    description: Why the change is needed.
"""


def process(extra: str = STEPS) -> str:
    return page(
        "alpha-change",
        "process",
        "Alpha Change Control",
        framework="alpha",
        parent="alpha-operation",
        extra="former_ids: [alpha-change-old]\n" + textwrap.dedent(extra),
    )


def template(extra: str = FORM, node_id: str = "template-change-form") -> str:
    return page(node_id, "template", "Change form", framework="alpha", extra=extra)


def files(proc: str | None = None, form: str | None = None) -> dict[str, str]:
    return {
        "content/alpha/alpha-change.md": proc if proc is not None else process(),
        "content/templates/template-change-form.md": form if form is not None else template(),
    }


def problems(make_project, changed: dict[str, str]) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        check(make_project(changed, minimal=True))
    return [str(p) for p in info.value.problems if p.is_error]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` that contains ``needle``."""
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


# -----------------------------------------------------------------------------
# Loading


def test_subprocesses_and_fields_are_read_in_order(make_project):
    result = check(make_project(files(), minimal=True))
    assert result.problems == []
    change = result.corpus["alpha-change"]
    assert [s.id for s in change.subprocesses] == ["record", "review", "build", "close"]
    review = change.subprocesses[1]
    assert review.activities == ("Read the record", "Ask the experts")
    # `no:` is a YAML 1.1 boolean key; the loader gives it back its name.
    assert review.decision is not None
    assert (review.decision.question, review.decision.no, review.decision.yes) == (
        "Approved?",
        "close",
        None,
    )
    form = result.corpus["template-change-form"]
    assert [(f.name, f.example) for f in form.fields] == [
        ("Change title", "Patch the mail servers"),
        ("Reason", None),
    ]


def test_used_by_gives_edges_from_the_template(make_project):
    G = check(make_project(files(), minimal=True)).graph
    users = sorted(
        v for _, v, d in G.out_edges("template-change-form", data=True) if d[RELATION] == USED_BY
    )
    assert users == ["alpha-change", "task-fix-an-outage"]


# -----------------------------------------------------------------------------
# Bad input: every message at its path:line


#: Bad sub-processes: (what the page says instead, the line the message is at, the message).
BAD_STEPS = [
    (
        ("    objective: Make the change in its window.\n", ""),
        "- id: build",
        "subprocesses[2] is missing required field 'objective'",
    ),
    (
        ("activities: [Build, Deploy]", "activities: []"),
        "activities: []",
        "'activities' must list at least one item",
    ),
    (
        ("- id: build", "- id: Build It"),
        "- id: Build It",
        "'id' must be lowercase letters, digits and single hyphens; got 'Build It'",
    ),
    (
        ("no: close", "no: clos"),
        "no: clos",
        "the 'no' branch of 'review' goes to 'clos', which is not a sub-process of this page; "
        "use one of its ids or 'end'; did you mean 'close'?",
    ),
    (
        ("no: close", "no: end\n      yes: deploy"),
        "yes: deploy",
        "the 'yes' branch of 'review' goes to 'deploy', which is not a sub-process of this "
        "page; use one of its ids or 'end'",
    ),
    (
        ("      question: Approved?\n", ""),
        "no: close",
        "subprocesses[1].decision is missing required field 'question'",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    BAD_STEPS,
    ids=["missing-field", "empty-list", "bad-id", "unknown-no", "unknown-yes", "no-question"],
)
def test_a_bad_subprocess_is_reported_at_its_line(make_project, change, where, message):
    text = process(STEPS.replace(*change))
    at = line_of(text, where)
    assert problems(make_project, files(proc=text)) == [
        f"content/alpha/alpha-change.md:{at}: {message}"
    ]


def test_duplicate_subprocess_ids(make_project):
    text = process(STEPS.replace("- id: build", "- id: record"))
    first, second = (
        i for i, line in enumerate(text.split("\n"), start=1) if "- id: record" in line
    )
    assert problems(make_project, files(proc=text)) == [
        f"content/alpha/alpha-change.md:{second}: duplicate sub-process id 'record': first at "
        f"content/alpha/alpha-change.md:{first}"
    ]


def test_subprocesses_belong_to_processes_and_functions(make_project):
    task = minimal_files()["content/tasks/task-fix-an-outage.md"].replace(
        "trigger: A service is down.", STEPS.strip() + "\ntrigger: A service is down."
    )
    at = line_of(task, "subprocesses:")
    found = problems(make_project, {**files(), "content/tasks/task-fix-an-outage.md": task})
    assert found == [
        f"content/tasks/task-fix-an-outage.md:{at}: 'subprocesses' belong to process and "
        "function pages; this is a task"
    ]


def test_used_by_must_name_existing_pages_of_the_right_kind(make_project):
    form = template(
        FORM.replace("[alpha-change, task-fix-an-outage]", "[alpha-chnage, role-fixer]")
    )
    at = line_of(form, "used_by:")
    assert problems(make_project, files(form=form)) == [
        f"content/templates/template-change-form.md:{at}: 'used_by' must name a process or "
        "function or smf or review or task; 'role-fixer' is a role",
        f"content/templates/template-change-form.md:{at}: unknown id 'alpha-chnage' in "
        "'used_by'; did you mean 'alpha-change'?",
    ]


def test_a_template_needs_its_prefix_fields_and_users(make_project):
    form = template("used_by: []", node_id="change-form")
    assert problems(make_project, files(form=form)) == [
        "content/templates/template-change-form.md:2: a template's id must start with "
        "'template-'; got 'change-form'",
        "content/templates/template-change-form.md:3: kind 'template' requires 'fields'",
        f"content/templates/template-change-form.md:{line_of(form, 'used_by')}: 'used_by' of a "
        "template must list at least one item",
    ]


def test_a_template_field_needs_a_description_and_a_unique_name(make_project):
    form = template(
        FORM.replace("    description: Why the change is needed.\n", "")
        + "  - name: change title\n    description: Said twice.\n"
    )
    reason, again = line_of(form, "- name: Reason"), line_of(form, "- name: change title")
    assert problems(make_project, files(form=form)) == [
        f"content/templates/template-change-form.md:{reason}: fields[1] is missing required "
        "field 'description'",
        f"content/templates/template-change-form.md:{again}: duplicate field 'change title': "
        f"first at content/templates/template-change-form.md:{line_of(form, '- name: Change')}",
    ]


def test_fields_and_used_by_belong_to_templates(make_project):
    text = process(STEPS + "used_by: [task-fix-an-outage]\n")
    at = line_of(text, "used_by:")
    assert problems(make_project, files(proc=text)) == [
        f"content/alpha/alpha-change.md:{at}: 'used_by' belongs to template pages; this is a process"
    ]


# -----------------------------------------------------------------------------
# Pages


@pytest.fixture
def docs(make_project):
    cfg = make_project(files(), minimal=True)
    result = check(cfg)
    out = cfg.build_dir / "docs"
    render_docs(result.corpus, result.graph, out)
    return out


def test_process_page_has_flow_subprocesses_and_templates(docs):
    text = (docs / "alpha-change.md").read_text()
    assert "## Process flow" in text and '<svg class="portal-flow" role="img"' in text
    assert re.findall(r"^### (\d+\. .+?) \{ #sp-", text, re.MULTILINE) == [
        "1. Record the change",
        "2. Review the change",
        "3. Build and deploy it",
        "4. Close the record",
    ]
    assert "**Inputs:** Approved change" in text and "**Outputs:** Closed record" in text
    assert "- Read the record\n- Ask the experts\n" in text
    assert (
        "**Decision: Approved?** Yes: [3. Build and deploy it](#sp-build). "
        "No: [4. Close the record](#sp-close)." in text
    )
    assert "## Templates\n\n- [Change form](template-change-form.md): " in text


def test_task_page_links_its_template_and_the_template_links_back(docs):
    task = (docs / "task-fix-an-outage.md").read_text()
    assert "## Templates\n\n- [Change form](template-change-form.md)" in task
    assert "## Process flow" not in task
    form = (docs / "template-change-form.md").read_text()
    assert "### Processes and functions\n\n- [Alpha Change Control](alpha-change.md)" in form
    assert "### Tasks\n\n- [Fix an outage](task-fix-an-outage.md)" in form


def test_template_page_is_a_form_with_an_empty_entry_column(docs):
    form = (docs / "template-change-form.md").read_text()
    assert "| Field | What to record | Entry |" in form
    assert (
        "| **Change title** | One line that says what changes. *Example: Patch the mail servers* | |"
        in form
    )
    assert "| **Reason** | Why the change is needed. | |" in form
    assert "## Map" not in form  # a form carries no map
    # Attribute lists stand on their own line, or Markdown prints them as text.
    assert re.search(
        r"^Framework: \[Alpha Framework\]\(alpha.md\)\. ?\n\{: \.portal-form-meta \}$", form, re.M
    )


def test_pages_without_anatomy_are_unchanged(docs):
    text = (docs / "alpha-incident.md").read_text()
    assert "## Process flow" not in text and "## Templates" not in text


# -----------------------------------------------------------------------------
# The repository's content


@pytest.fixture(scope="module")
def corpus():
    return check(BuildConfig.from_root(REPO)).corpus


#: The information objects issue 19 asks for, each with the least number of fields.
REQUIRED = {
    "template-request-for-change": 10,
    "template-incident-record": 10,
    "template-problem-record": 10,
    "template-known-error-record": 10,
    "template-service-request": 10,
    "template-cab-agenda-and-minutes": 10,
    "template-change-schedule": 10,
    "template-service-level-agreement": 10,
    "template-operational-level-agreement": 10,
    "template-service-catalogue-entry": 10,
    "template-release-record": 10,
    "template-availability-plan": 10,
    "template-capacity-plan": 10,
    "template-continuity-plan": 10,
    "template-supplier-and-contract-record": 10,
    "template-csi-register-entry": 10,
}


def test_the_required_templates_exist_with_their_fields(corpus):
    counts = {t: len(corpus[t].fields) for t in REQUIRED if t in corpus}
    assert sorted(counts) == sorted(REQUIRED)
    assert {t: n for t, n in counts.items() if n < REQUIRED[t]} == {}


def test_every_itil_process_and_function_has_a_template(corpus):
    used = {u for n in corpus if n.kind == "template" for u in n.used_by}
    missing = [
        n.id
        for n in corpus
        if n.framework == "itil" and n.kind in ("process", "function") and n.id not in used
    ]
    assert missing == []


def test_change_management_has_its_flow(corpus):
    steps = corpus["itil-change-management"].subprocesses
    assert len(steps) >= 7
    assert sum(s.decision is not None for s in steps) >= 3
