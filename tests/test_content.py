"""The repository's own content: valid, strict-clean, and holding the vertical slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.graph import MAPS_TO, RELATION
from builder.pipeline import check

REPO = Path(__file__).resolve().parent.parent

SLICE = {
    "itil": "framework",
    "itil-service-strategy": "stage",
    "itil-service-design": "stage",
    "itil-service-transition": "stage",
    "itil-service-operation": "stage",
    "itil-continual-service-improvement": "stage",
    "itil-change-management": "process",
    "itil-incident-management": "process",
    "mof4": "framework",
    "mof4-plan-phase": "phase",
    "mof4-deliver-phase": "phase",
    "mof4-operate-phase": "phase",
    "mof4-manage-layer": "phase",
    "mof4-change-and-configuration": "smf",
    "mof4-customer-service": "smf",
}


@pytest.fixture(scope="module")
def checked():
    return check(BuildConfig.from_root(REPO, strict=True))


def test_repository_content_is_strict_clean(checked):
    assert checked.problems == []


def test_vertical_slice_is_present(checked):
    kinds = {n: checked.corpus[n].kind for n in SLICE if n in checked.corpus}
    assert kinds == SLICE


def test_slice_elements_have_counterparts(checked):
    G = checked.graph
    for n in (
        "itil-change-management",
        "itil-incident-management",
        "mof4-change-and-configuration",
    ):
        mapped = [v for _, v, d in G.out_edges(n, data=True) if d[RELATION] == MAPS_TO]
        assert mapped, f"{n} has no counterpart"


FOLDERS = {"case-study": "case-studies", "guide": "guides", "role": "roles", "task": "tasks"}
#: Kinds kept in their own folder whatever their framework.
OWN_FOLDER = {"template": "templates"}


def test_every_content_file_sits_in_its_framework_folder(checked):
    for node in checked.corpus:
        folder = Path(node.source.path).parts[1]
        if node.kind == "framework":
            expected = node.id
        elif node.kind in OWN_FOLDER:
            expected = OWN_FOLDER[node.kind]
        else:
            expected = node.framework or FOLDERS.get(node.kind, node.kind)
        assert folder == expected, node.source.path
