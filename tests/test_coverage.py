"""The content is complete: counts and coverage that the content issues ask for.

These fail when a page, a task or an alignment goes missing, so the portal cannot quietly lose
guidance.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from builder.alignment import pair_records
from builder.config import BuildConfig
from builder.graph import LINKS_TO, RELATION
from builder.pipeline import check

REPO = Path(__file__).resolve().parent.parent

#: The ITIL v3 processes of the 2007 and 2011 editions (the union), by title.
ITIL_PROCESSES = {
    "Strategy Management for IT Services",
    "Service Portfolio Management",
    "Financial Management for IT Services",
    "Demand Management",
    "Business Relationship Management",
    "Design Coordination",
    "Service Catalogue Management",
    "Service Level Management",
    "Capacity Management",
    "Availability Management",
    "IT Service Continuity Management",
    "Information Security Management",
    "Supplier Management",
    "Transition Planning and Support",
    "Change Management",
    "Service Asset and Configuration Management",
    "Release and Deployment Management",
    "Service Validation and Testing",
    "Change Evaluation",
    "Knowledge Management",
    "Event Management",
    "Incident Management",
    "Request Fulfilment",
    "Problem Management",
    "Access Management",
    "Seven-Step Improvement Process",
    "Service Measurement",
    "Service Reporting",
}
ITIL_FUNCTIONS = {
    "Service Desk",
    "Technical Management",
    "IT Operations Management",
    "Application Management",
}
KEY_TERMS = {
    "RFC", "CAB", "ECAB", "CI", "CMDB", "CMS", "DML", "SKMS", "KEDB", "SLA", "OLA", "UC", "SLR",
    "SIP", "PIR", "PSO", "VBF", "BIA", "RTO", "RPO", "MTBF", "MTRS", "MTBSI", "RACI", "PDCA",
    "KPI", "CSF",
}  # fmt: skip


@pytest.fixture(scope="module")
def checked():
    return check(BuildConfig.from_root(REPO))


def of(checked, framework: str | None, kind: str) -> list:
    return [n for n in checked.corpus if n.framework == framework and n.kind == kind]


def test_every_itil_process_and_function_has_a_page(checked):
    assert {n.title for n in of(checked, "itil", "process")} == ITIL_PROCESSES
    assert {n.title for n in of(checked, "itil", "function")} == ITIL_FUNCTIONS
    assert len(of(checked, "itil", "stage")) == 5
    assert len(of(checked, "itil", "role")) >= 30


def test_every_itil_process_links_to_another_process(checked):
    G = checked.graph
    processes = {n.id for n in of(checked, "itil", "process")} | {
        n.id for n in of(checked, "itil", "function")
    }
    lonely = [
        n
        for n in sorted(processes)
        if not any(
            d[RELATION] == LINKS_TO and v in processes for _, v, d in G.out_edges(n, data=True)
        )
    ]
    assert lonely == []


def test_glossary_holds_the_key_terms(checked):
    terms = {t.term for t in checked.corpus.glossary}
    assert len(terms) >= 80
    assert terms >= KEY_TERMS


@pytest.mark.parametrize(
    ("framework", "kind", "count"),
    [
        ("mof4", "smf", 16),
        ("mof4", "review", 6),
        ("mof4", "accountability", 7),
        ("mof4", "phase", 4),
        ("mof3", "quadrant", 4),
        ("mof3", "review", 4),
        ("mof3", "role", 7),
        ("msf", "track", 5),
        ("msf", "milestone", 5),
        ("msf", "role", 7),
        ("msf", "discipline", 3),
        ("cir", "component", 3),
        ("io", "maturity-level", 4),
        ("io", "capability", 13),
        ("accelerators", "accelerator", 9),
        (None, "case-study", 2),
    ],
)
def test_microsoft_framework_counts(checked, framework, kind, count):
    assert len(of(checked, framework, kind)) == count


def test_system_center_products_automate_something(checked):
    products = of(checked, "system-center", "product")
    assert len(products) >= 6
    assert [p.id for p in products if not p.automates] == []


def test_personas_and_tasks(checked):
    personas = of(checked, None, "role")
    tasks = of(checked, None, "task")
    assert len(personas) >= 18
    assert len(tasks) >= 80
    assert min(t.steps for t in tasks) >= 6


def test_every_process_function_and_smf_has_two_tasks(checked):
    carried = Counter(x for t in of(checked, None, "task") for x in t.carries_out)
    elements = (
        of(checked, "itil", "process")
        + of(checked, "itil", "function")
        + of(checked, "mof4", "smf")
    )
    assert [(n.id, carried[n.id]) for n in elements if carried[n.id] < 2] == []


def test_every_persona_has_four_tasks(checked):
    tasks = of(checked, None, "task")
    work = Counter(
        r for t in tasks for r in {*t.performer, *([t.accountable] if t.accountable else [])}
    )
    assert [(p.id, work[p.id]) for p in of(checked, None, "role") if work[p.id] < 4] == []


def test_every_review_and_the_cab_has_a_prepare_and_run_task(checked):
    tasks = of(checked, None, "task")
    for review in of(checked, "mof4", "review"):
        assert any(review.id in t.carries_out for t in tasks), review.id
    titles = {t.title for t in tasks}
    assert any("CAB" in title and title.startswith("Prepare and run") for title in titles)
    assert any("ECAB" in title for title in titles)


def test_itil_and_mof4_are_fully_cross_referenced(checked):
    records = pair_records(checked.corpus, "itil", "mof4")
    named = {r.source for r in records} | {r.target for r in records}
    must = of(checked, "itil", "process") + of(checked, "itil", "function")
    must += of(checked, "mof4", "smf") + of(checked, "mof4", "review")
    assert [n.id for n in must if n.id not in named] == []


def test_every_microsoft_element_is_aligned_somewhere(checked):
    named = {r.source for r in checked.corpus.mappings} | {
        r.target for r in checked.corpus.mappings
    }
    kinds = {
        "smf",
        "review",
        "quadrant",
        "track",
        "milestone",
        "discipline",
        "component",
        "capability",
    }
    missing = [
        n.id
        for n in checked.corpus
        if n.framework in {"mof3", "mof4", "msf", "cir", "io"}
        and n.kind in kinds
        and n.id not in named
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("itil", "mof4"),
    [
        ("itil-incident-management", "mof4-service-monitoring-and-control"),
        ("itil-strategy-management", "mof4-service-alignment-review"),
        ("itil-strategy-management", "mof4-portfolio-review"),
    ],
)
def test_counterparts_that_rationales_cite_are_recorded(checked, itil, mof4):
    pairs = {(r.source, r.target) for r in pair_records(checked.corpus, "itil", "mof4")}
    assert (itil, mof4) in pairs or (mof4, itil) in pairs
