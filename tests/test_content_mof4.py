"""The MOF 4.0 SMF pages: the minimums that MOF fidelity asks of each one.

Every SMF page gives, per process, key questions, inputs, outputs and a best practice; a
"Goals, outcomes and measures" table; a "Key terms" list; a note on where its process names come
from; and none of the old "practical reading" stand-ins for MOF's own processes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import body_sections, split_page

REPO = Path(__file__).resolve().parent.parent
MOF4 = REPO / "content" / "mof4"

PROCESS_LABELS = ("**Key questions:**", "**Inputs:**", "**Outputs:**", "**Best practice:**")
MIN_PROCESSES = 3
MIN_GOAL_ROWS = 3
MIN_TERMS = 4


def smf_page_gaps(text: str) -> list[str]:
    """List what an SMF page lacks of the MOF 4.0 minimums (empty when it has them all)."""
    _, body = split_page(text)
    sections = body_sections(body)
    gaps: list[str] = []
    if re.search(r"practical\s+reading", body):
        gaps.append("uses 'practical reading' instead of MOF's processes")

    processes = sections.get("Processes and activities", "")
    blocks = re.split(r"^### (.+)$", processes, flags=re.MULTILINE)
    names, texts = blocks[1::2], blocks[2::2]
    if len(names) < MIN_PROCESSES:
        gaps.append(f"{len(names)} process subsections, expected at least {MIN_PROCESSES}")
    for name, block in zip(names, texts, strict=True):
        for label in PROCESS_LABELS:
            if label not in block:
                gaps.append(f"process {name.strip()!r} has no {label}")
    if "Sources for the processes" not in processes:
        gaps.append("no note on where the process names come from")

    goals = sections.get("Goals, outcomes and measures")
    if goals is None:
        gaps.append("no 'Goals, outcomes and measures' section")
    else:
        rows = [line for line in goals.splitlines() if line.startswith("|")]
        if not rows or [c.strip() for c in rows[0].strip("|").split("|")] != [
            "Goal",
            "Outcome",
            "Measure",
        ]:
            gaps.append("goals table does not have the columns Goal | Outcome | Measure")
        elif len(rows) - 2 < MIN_GOAL_ROWS:
            gaps.append(f"{len(rows) - 2} goal rows, expected at least {MIN_GOAL_ROWS}")

    terms = sections.get("Key terms")
    if terms is None:
        gaps.append("no 'Key terms' section")
    else:
        count = len(re.findall(r"^- \*\*[^*]+\*\*", terms, flags=re.MULTILINE))
        if count < MIN_TERMS:
            gaps.append(f"{count} key terms, expected at least {MIN_TERMS}")
    return gaps


def _smf_pages() -> list[Path]:
    pages = []
    for path in sorted(MOF4.glob("*.md")):
        front, _ = split_page(path.read_text(encoding="utf-8"))
        if front.get("kind") == "smf":
            pages.append(path)
    return pages


SMF_PAGES = _smf_pages()


def test_all_sixteen_smfs_are_checked():
    assert len(SMF_PAGES) == 16


@pytest.mark.parametrize("path", SMF_PAGES, ids=lambda p: p.stem)
def test_smf_page_meets_the_mof_minimums(path):
    assert smf_page_gaps(path.read_text(encoding="utf-8")) == []


GOOD = """---
id: x
kind: smf
---

## Goals, outcomes and measures

| Goal | Outcome | Measure |
|---|---|---|
| a | b | c |
| d | e | f |
| g | h | i |

## Key terms

- **One**: a.
- **Two**: b.
- **Three**: c.
- **Four**: d.

## Processes and activities

!!! note "Sources for the processes"
    Names confirmed.

### 1. First

- **Key questions:** Why?
- **Inputs:** a.
- **Outputs:** b.
- **Best practice:** c.

### 2. Second

- **Key questions:** Why?
- **Inputs:** a.
- **Outputs:** b.
- **Best practice:** c.

### 3. Third

- **Key questions:** Why?
- **Inputs:** a.
- **Outputs:** b.
- **Best practice:** c.

## Deliverables

- d
"""


def test_a_complete_page_has_no_gaps():
    assert smf_page_gaps(GOOD) == []


def test_a_process_without_inputs_is_a_gap():
    text = GOOD.replace(
        "### 2. Second\n\n- **Key questions:** Why?\n- **Inputs:** a.\n",
        "### 2. Second\n\n- **Key questions:** Why?\n",
    )
    assert smf_page_gaps(text) == ["process '2. Second' has no **Inputs:**"]


def test_missing_goals_and_terms_and_practical_reading_are_gaps():
    text = GOOD.replace("## Goals, outcomes and measures", "## Goals").replace(
        "- **Three**: c.\n- **Four**: d.\n", ""
    )
    text = text.replace("Names confirmed.", "This portal's practical reading.")
    assert smf_page_gaps(text) == [
        "uses 'practical reading' instead of MOF's processes",
        "no 'Goals, outcomes and measures' section",
        "2 key terms, expected at least 4",
    ]


def test_too_few_processes_and_no_source_note_are_gaps():
    text = GOOD.split("### 2. Second")[0].replace("Sources for the processes", "About")
    text += "## Deliverables\n\n- d\n"
    assert smf_page_gaps(text) == [
        "1 process subsections, expected at least 3",
        "no note on where the process names come from",
    ]
