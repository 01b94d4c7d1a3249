"""Map views: lanes, pairs, local maps, styling, escaping, and the static lifecycle SVG."""

from __future__ import annotations

import json

import pytest
from conftest import page

from builder.pipeline import check
from builder.render.diagrams import lifecycle_svg
from builder.render.maps import (
    FRAMEWORK_STYLE,
    lane_of_nodes,
    local_view,
    map_json,
    overview_view,
    pair_view,
    stage_view,
)

EVIL = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def checked(make_project):
    evil = page("alpha-evil", "process", EVIL, framework="alpha", parent="alpha-operation")
    return check(make_project({"content/alpha/evil.md": evil}, minimal=True))


def by_id(view):
    return {n["id"]: n for n in view.nodes}


def test_overview_places_aligned_elements_in_their_stage_lane(checked):
    lanes = lane_of_nodes(checked.corpus, checked.graph, ["alpha-operation"])
    assert lanes["alpha-incident"] == "alpha-operation"  # part of the stage
    assert lanes["beta-operate"] == "alpha-operation"  # aligned with it
    assert lanes["beta-tool"] == "alpha-operation"  # automates one of its processes
    view = overview_view(checked.corpus, checked.graph)
    assert {n["id"] for n in view.nodes} == {
        "alpha-operation",
        "alpha-change",
        "alpha-incident",
        "alpha-evil",
        "beta-operate",
        "beta-support",
        "beta-tool",
    }
    assert [lane["title"] for lane in view.lanes] == ["Alpha Operation", "Across the lifecycle"]
    assert all(not n["physics"] for n in view.nodes)


def test_edges_are_styled_by_relation_and_weighted_by_strength(checked):
    view = overview_view(checked.corpus, checked.graph)
    edges = {(e["from"], e["to"]): e for e in view.edges}
    subset = edges[("alpha-operation", "beta-operate")]
    intersects = edges[("alpha-incident", "beta-support")]
    assert (subset["relation"], subset["strength"]) == ("subset-of", 8)
    assert subset["dashes"] != intersects["dashes"]
    assert subset["width"] > intersects["width"]
    assert edges[("beta-tool", "alpha-incident")]["relation"] == "automates"
    assert not any(e["relation"] == "superset-of" for e in view.edges)  # no derived inverses


def test_frameworks_have_distinct_shapes_and_colours():
    shapes = [shape for _, shape in FRAMEWORK_STYLE.values()]
    colours = [colour for colour, _ in FRAMEWORK_STYLE.values()]
    assert len(set(shapes)) == len(shapes)
    assert len(set(colours)) == len(colours)


def test_pair_view_puts_each_framework_in_a_column(checked):
    view = pair_view(checked.corpus, checked.graph, "alpha", "beta")
    xs = {n["framework"]: n["x"] for n in view.nodes}
    assert xs["alpha"] != xs["beta"]
    assert len(view.edges) == 2


def test_stage_view_rings(checked):
    nodes = by_id(stage_view(checked.corpus, checked.graph, "alpha-operation"))
    assert (nodes["alpha-operation"]["x"], nodes["alpha-operation"]["y"]) == (0, 0)
    assert {"alpha-change", "alpha-incident", "beta-support", "beta-tool"} <= set(nodes)


def test_map_json_is_compact(checked):
    data = json.loads(map_json(overview_view(checked.corpus, checked.graph)))
    assert set(data["nodes"][0]) <= {"id", "label", "x", "y", "kind", "framework", "summary"}
    assert set(data["styles"]) == {"frameworks", "other", "relations"}
    assert data["prefix"] == "../"


def test_local_view_marks_the_current_node(checked):
    view = local_view(checked.corpus, checked.graph, "alpha-incident")
    nodes = by_id(view)
    assert nodes["alpha-incident"]["borderWidth"] > nodes["alpha-change"]["borderWidth"]
    assert {"alpha-change", "alpha-operation", "beta-support", "beta-tool"} <= set(nodes)
    assert all("alpha-incident" in (e["from"], e["to"]) or e["to"] in nodes for e in view.edges)
    assert nodes["alpha-change"]["url"] == "alpha-change.html"


def test_labels_reach_the_page_as_escaped_json(checked):
    view = overview_view(checked.corpus, checked.graph)
    text = map_json(view)
    assert "<" not in text and ">" not in text
    assert by_id(view)["alpha-evil"]["name"] == EVIL
    labels = {n["id"]: n["label"] for n in json.loads(text)["nodes"]}
    assert labels["alpha-evil"].replace("\n", " ") == EVIL


def test_lifecycle_svg_links_stages_and_marks_the_current_one(checked):
    svg = lifecycle_svg(checked.corpus, checked.graph, current="alpha-operation")
    assert svg.startswith('<svg class="portal-lifecycle"')
    assert '<a href="alpha-operation.html" aria-current="page">' in svg
    assert "alpha: 3" in svg
    assert "beta: 3" in svg
    assert "<script" not in svg


def test_role_view_rings_role_tasks_elements_counterparts(checked):
    from builder.render.maps import role_view

    view = role_view(checked.corpus, checked.graph, "role-fixer")
    nodes = by_id(view)
    assert set(nodes) == {"role-fixer", "task-fix-an-outage", "alpha-incident", "beta-support"}
    assert {(e["from"], e["to"], e["relation"]) for e in view.edges} == {
        ("role-fixer", "task-fix-an-outage", "performs"),
        ("task-fix-an-outage", "alpha-incident", "carries-out"),
        ("task-fix-an-outage", "beta-support", "carries-out"),
        ("alpha-incident", "beta-support", "intersects-with"),
    }
