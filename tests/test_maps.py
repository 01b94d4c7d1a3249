"""Map views: what each map ships (nodes, lines, layouts, styles), escaping, the static SVG."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from conftest import REPO, page

from builder.config import BuildConfig
from builder.errors import ValidationFailed
from builder.pipeline import check
from builder.render import maps
from builder.render.diagrams import lifecycle_svg
from builder.render.maplayout import CHAR, FONT, LINE, NODE, barycentre_order
from builder.render.maps import (
    lane_of_nodes,
    local_view,
    map_json,
    map_page_context,
    overview_view,
    pair_view,
    role_view,
    stage_view,
)

EVIL = "<img src=x onerror=window.__xss=1>"
STYLED = """
short: Alpha
colour: "#123456"
shape: star
order: 1
"""


@pytest.fixture
def checked(make_project):
    evil = page("alpha-evil", "process", EVIL, framework="alpha", parent="alpha-operation")
    styled = page("alpha", "framework", "Alpha Framework", extra=STYLED)
    return check(
        make_project(
            {"content/alpha/evil.md": evil, "content/alpha/alpha.md": styled}, minimal=True
        )
    )


def shipped(view):
    """Return the JSON a map's page carries, parsed."""
    return json.loads(map_json(view))


def by_id(data):
    return {n["id"]: n for n in data["nodes"]}


def lines(data):
    """Return the shipped lines as (from id, to id, record)."""
    ids = [n["id"] for n in data["nodes"]]
    return {(ids[e["from"]], ids[e["to"]]): e for e in data["edges"]}


def test_overview_places_aligned_elements_in_their_stage_lane(checked):
    lanes = lane_of_nodes(checked.corpus, checked.graph, ["alpha-operation"])
    assert lanes["alpha-incident"] == "alpha-operation"  # part of the stage
    assert lanes["beta-operate"] == "alpha-operation"  # aligned with it
    assert lanes["beta-tool"] == "alpha-operation"  # automates one of its processes
    data = shipped(overview_view(checked.corpus, checked.graph))
    assert set(by_id(data)) == {
        "alpha-operation",
        "alpha-change",
        "alpha-incident",
        "alpha-evil",
        "beta-operate",
        "beta-support",
        "beta-tool",
    }
    captions = [c["text"] for c in data["layouts"]["wide"]["captions"]]
    assert captions == ["Alpha Operation", "Alpha", "Beta Framework"]  # lane, then groups


def test_overview_groups_each_lane_by_framework_in_one_column(checked):
    nodes = by_id(shipped(overview_view(checked.corpus, checked.graph)))
    assert len({n["wide"][0] for n in nodes.values()}) == 1  # one lane, one column
    by_y = sorted(nodes.values(), key=lambda n: n["wide"][1])
    assert [n["framework"] for n in by_y] == ["alpha"] * 4 + ["beta"] * 3
    assert by_y[0]["id"] == "alpha-operation"  # the stage heads its lane
    # On a phone, two nodes to a row.
    assert len({n["narrow"][0] for n in nodes.values()}) == 2


def test_lines_are_styled_once_by_relation_and_weighted_by_strength(checked):
    data = shipped(overview_view(checked.corpus, checked.graph))
    shown = lines(data)
    subset = shown[("alpha-operation", "beta-operate")]
    intersects = shown[("alpha-incident", "beta-support")]
    assert (subset["relation"], subset["strength"]) == ("subset-of", 8)
    assert (intersects["relation"], intersects["strength"]) == ("intersects-with", 6)
    assert subset["width"] > intersects["width"]
    assert shown[("beta-tool", "alpha-incident")]["relation"] == "automates"
    styles = data["relations"]
    assert styles["subset-of"]["dashes"] != styles["intersects-with"]["dashes"]
    assert styles["subset-of"]["arrow"] and not styles["intersects-with"]["arrow"]
    assert not any(e["relation"] == "superset-of" for e in data["edges"])  # no derived inverses
    # Lines between two nodes of one column bow out of it instead of running over the nodes.
    assert subset["bend"]["wide"][0] == "curvedCCW"  # going down, bowing left


def test_framework_style_comes_from_front_matter(checked):
    data = shipped(overview_view(checked.corpus, checked.graph))
    alpha = data["frameworks"]["alpha"]
    assert (alpha["short"], alpha["colour"], alpha["shape"]) == ("Alpha", "#123456", "star")
    assert len(alpha["points"]) == 10  # the star's corners, drawn by the legend and the canvas
    assert data["frameworks"]["beta"]["shape"] == "dot"  # none set: the fallback
    context = map_page_context(overview_view(checked.corpus, checked.graph))
    assert [f["id"] for f in context["frameworks"]] == ["alpha", "beta"]
    svg = lifecycle_svg(checked.corpus, checked.graph)  # the SVG uses the same style
    assert "Alpha: 3" in svg and 'fill="#123456"' in svg


def test_framework_styles_are_made_once_per_corpus_and_never_shared(checked):
    import dataclasses

    from builder.model import Corpus
    from builder.render.mapstyle import framework_styles

    corpus = checked.corpus
    recoloured = Corpus.of(
        tuple(
            dataclasses.replace(n, colour="#654321") if n.id == "alpha" else n
            for n in corpus.guidance
        ),
        corpus.mappings,
    )
    first = framework_styles(corpus)
    assert first["alpha"]["colour"] == "#123456"
    first["alpha"]["colour"] = "#000000"  # a caller's copy: the next caller does not see it
    assert framework_styles(corpus)["alpha"]["colour"] == "#123456"
    assert framework_styles(recoloured)["alpha"]["colour"] == "#654321"
    assert framework_styles(recoloured)["alpha"]["border"] == "#3F2A14"
    assert framework_styles(corpus)["alpha"]["colour"] == "#123456"


def test_the_real_frameworks_have_distinct_shapes_colours_and_short_names():
    corpus = check(BuildConfig.from_root(REPO)).corpus
    frameworks = [n for n in corpus if n.kind == "framework"]
    for attribute in ("shape", "colour", "short", "order"):
        values = [getattr(n, attribute) for n in frameworks]
        assert None not in values, attribute
        assert len(set(values)) == len(values), attribute


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("colour: blue", "'colour' must be a colour such as '#0072B2'; got 'blue'"),
        (
            "shape: blob",
            "'shape' must be one of: dot, square, diamond, triangle, triangleDown, "
            "hexagon, star, pentagon; got 'blob'",
        ),
    ],
)
def test_bad_display_fields_are_reported_at_their_line(make_project, line, message):
    text = page("gamma", "framework", "Gamma", extra=line)
    with pytest.raises(ValidationFailed) as failed:
        check(make_project({"content/gamma/gamma.md": text}))
    assert f"content/gamma/gamma.md:6: {message}" in str(failed.value)


def test_pair_view_is_two_columns_labelled_outwards(checked):
    data = shipped(pair_view(checked.corpus, checked.graph, "alpha", "beta"))
    nodes = by_id(data)
    left = {n["wide"][0] for n in nodes.values() if n["framework"] == "alpha"}
    right = {n["wide"][0] for n in nodes.values() if n["framework"] == "beta"}
    assert len(left) == len(right) == 1 and max(left) < min(right)
    assert all(n["wide"][3] == "left" for n in nodes.values() if n["framework"] == "alpha")
    assert all(len(n["wide"]) == 3 for n in nodes.values() if n["framework"] == "beta")
    assert len(data["edges"]) == 2


def crossings(columns, edges):
    place = {n: i for column in columns for i, n in enumerate(column)}
    return sum(
        (place[a] - place[c]) * (place[b] - place[d]) < 0
        for (a, b), (c, d) in combinations(edges, 2)
    )


def test_barycentre_order_removes_crossings():
    edges = [("a", "z"), ("b", "y"), ("c", "x"), ("d", "w")]
    columns = [["a", "b", "c", "d"], ["w", "x", "y", "z"]]
    near: dict[str, list[str]] = {}
    for u, v in edges:
        near.setdefault(u, []).append(v)
        near.setdefault(v, []).append(u)
    assert crossings(columns, edges) == 6
    assert crossings(barycentre_order(columns, near), edges) == 0


def test_stage_view_is_three_columns_with_lines_between_neighbours(checked):
    data = shipped(stage_view(checked.corpus, checked.graph, "alpha-operation"))
    nodes = by_id(data)
    xs = sorted({n["wide"][0] for n in nodes.values()})
    assert len(xs) == 3
    assert nodes["alpha-operation"]["wide"][0] == xs[0]
    assert {"alpha-change", "alpha-incident", "beta-support", "beta-tool"} <= set(nodes)
    column = {n["id"]: xs.index(n["wide"][0]) for n in nodes.values()}
    assert all(abs(column[a] - column[b]) == 1 for a, b in lines(data))


def test_role_view_columns_role_tasks_elements_counterparts(checked):
    data = shipped(role_view(checked.corpus, checked.graph, "role-fixer"))
    nodes = by_id(data)
    assert set(nodes) == {"role-fixer", "task-fix-an-outage", "alpha-incident", "beta-support"}
    assert {(a, b, e["relation"]) for (a, b), e in lines(data).items()} == {
        ("role-fixer", "task-fix-an-outage", "performs"),
        ("task-fix-an-outage", "alpha-incident", "carries-out"),
        ("task-fix-an-outage", "beta-support", "carries-out"),
    }
    assert nodes["role-fixer"]["framework"] == maps.NO_FRAMEWORK
    assert nodes["role-fixer"]["wide"][0] < nodes["task-fix-an-outage"]["wide"][0]


def test_local_view_marks_the_current_node_and_splits_its_neighbours(checked):
    view = local_view(checked.corpus, checked.graph, "alpha-incident")
    data = shipped(view)
    nodes = by_id(data)
    assert data["current"] == "alpha-incident" and not view.dense
    assert nodes["alpha-incident"]["size"] > nodes["alpha-operation"]["size"]
    assert nodes["alpha-incident"]["wide"][3] == "above"
    assert {"alpha-operation", "beta-support", "beta-tool", "task-fix-an-outage"} <= set(nodes)
    here = nodes["alpha-incident"]["wide"][0]
    assert nodes["beta-support"]["wide"][0] > here  # aligned: on the right
    assert nodes["alpha-operation"]["wide"][0] < here  # structure: on the left
    assert all("alpha-incident" in pair for pair in lines(data))
    assert "alpha-change" not in nodes  # linked from the text only: the text shows that link


def test_a_crowded_local_map_becomes_a_list(checked, monkeypatch):
    monkeypatch.setattr(maps, "LOCAL_LIMIT", 2)
    view = local_view(checked.corpus, checked.graph, "alpha-incident")
    assert view.dense
    groups = map_page_context(view)["neighbours"]
    assert [g["title"] for g in groups] == [
        "Roles, tasks and guides",
        "Alpha Framework",
        "Beta Framework",
    ]
    assert "alpha-incident" not in {n["id"] for g in groups for n in g["nodes"]}


def test_labels_reach_the_page_as_escaped_json(checked):
    text = map_json(overview_view(checked.corpus, checked.graph))
    assert "<" not in text and ">" not in text
    nodes = by_id(json.loads(text))
    assert nodes["alpha-evil"]["name"] == EVIL
    assert nodes["alpha-evil"]["wide"][2].replace("\n", " ") == EVIL


def test_short_names_are_drawn_and_full_names_kept(checked):
    nodes = by_id(shipped(overview_view(checked.corpus, checked.graph)))
    assert nodes["alpha-incident"]["name"] == "Alpha Incident Handling"
    assert nodes["alpha-incident"]["aliases"] == ["AIH"]  # ?focus= accepts it


def label_boxes(data, layout):
    """Return each label's box as the layout estimates it (the browser tests measure them)."""
    boxes = []
    for n in data["nodes"]:
        x, y, text, *side = n[layout]
        text_lines = (text or n["wide"][2]).split("\n")
        width = max(len(line) for line in text_lines) * CHAR
        height = len(text_lines) * LINE
        gap = n["size"] + 6
        where = side[0] if side else "right"
        left = {"left": x - gap - width, "above": x - width / 2}.get(where, x + gap)
        top = y - gap - height if where == "above" else y - height / 2
        boxes.append((n["id"], left, top, width, height))
    return boxes


def test_no_layout_of_the_real_maps_puts_two_labels_on_top_of_each_other():
    result = check(BuildConfig.from_root(REPO))
    corpus, G = result.corpus, result.graph
    views = [overview_view(corpus, G), stage_view(corpus, G, "itil-service-operation")]
    views += [pair_view(corpus, G, *h.framework_ids) for h in corpus.mapping_files]
    views.append(role_view(corpus, G, "role-operations-manager"))
    for view in views:
        data = shipped(view)
        for layout in ("wide", "narrow"):
            boxes = sorted(label_boxes(data, layout), key=lambda b: b[1])
            for i, (a, ax, ay, aw, ah) in enumerate(boxes):
                for b, bx, by, bw, bh in boxes[i + 1 :]:
                    if bx >= ax + aw:
                        break
                    overlap = min(min(ax + aw, bx + bw) - bx, ay + ah - by, by + bh - ay)
                    assert overlap <= 2, (view.id, layout, a, b)
            assert data["layouts"][layout]["width"] > 0
    assert FONT == 14 and NODE < LINE
