"""The process flow SVG: well-formed, accessible, one shape per sub-process, arrows where they lead."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from builder.errors import SourceLocation
from builder.model import Decision, SubProcess
from builder.render.flow import END, START, decision_id, flow_svg

NS = {"s": "http://www.w3.org/2000/svg"}
HERE = SourceLocation("content/x.md", 1)


def step(step_id: str, name: str, no: str | None = None, yes: str | None = None) -> SubProcess:
    decision = Decision(f"{name} done?", no, HERE, yes=yes) if no else None
    return SubProcess(step_id, name, "Objective.", HERE, ("Act",), ("In",), ("Out",), decision)


STEPS = [
    step("record", "Record the request"),
    step("review", "Review it", no=END),
    step("build", "Build & test <it>"),
    step("deploy", "Deploy it", no="build"),  # a branch back up
    step("check", "Check it", yes="close", no="fix"),  # "yes" skips a step
    step("fix", "Fix it"),
    step("close", "Close it"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def shapes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-id"): g for g in root.iterfind("s:g", NS)}


def edges(root: ET.Element) -> list[tuple[str, str, str]]:
    return [
        (p.get("data-from"), p.get("data-to"), p.get("data-answer") or "")
        for p in root.iterfind("s:path[@class='pf-edge']", NS)
    ]


def points(path: ET.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML]([\d.]+),([\d.]+)", path.get("d"))]


def box(g: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a step or terminator."""
    r = g.find("s:rect", NS)
    x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def test_no_steps_no_svg():
    assert flow_svg([], title="Empty") == ""


def test_svg_is_well_formed_and_accessible():
    root = parse(flow_svg(STEPS, title="Change Management"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "flow-title flow-desc"
    assert root.find("s:title", NS).text == "Process flow of Change Management"
    desc = root.find("s:desc", NS).text
    assert desc.startswith("7 sub-processes, from start to end: 1. Record the request.")
    assert (
        "4. Deploy it. Then decide: Deploy it done? If yes, go to step 5; if no, go to step 3."
        in desc
    )
    assert (
        "2. Review it. Then decide: Review it done? If yes, go to step 3; if no, go to the end."
        in desc
    )


def test_one_labelled_box_per_step_and_a_diamond_per_decision():
    root = parse(flow_svg(STEPS, title="T"))
    found = shapes(root)
    steps = [g for g in found.values() if g.get("class") == "pf-step"]
    assert [g.get("data-id") for g in steps] == [s.id for s in STEPS]
    # Labels are real text (escaped), numbered in flow order.
    labels = ["".join(g.find("s:text", NS).itertext()) for g in steps]
    assert labels == [f"{i}. {s.name}" for i, s in enumerate(STEPS, start=1)]
    diamonds = [g for g in found.values() if g.get("class") == "pf-decision"]
    assert [g.get("data-id") for g in diamonds] == [
        decision_id(s.id) for s in STEPS if s.decision is not None
    ]
    for g in diamonds:
        assert len(g.find("s:polygon", NS).get("points").split()) == 4
    assert {START, END} <= set(found)


def test_arrows_go_where_the_front_matter_says():
    root = parse(flow_svg(STEPS, title="T"))
    assert edges(root) == [
        (START, "record", ""),
        ("record", "review", ""),
        ("review", "review.decision", ""),
        ("review.decision", "build", "yes"),
        ("review.decision", END, "no"),
        ("build", "deploy", ""),
        ("deploy", "deploy.decision", ""),
        ("deploy.decision", "check", "yes"),
        ("deploy.decision", "build", "no"),
        ("check", "check.decision", ""),
        ("check.decision", "close", "yes"),
        ("check.decision", "fix", "no"),
        ("fix", "close", ""),
        ("close", END, ""),
    ]
    # Every answer is labelled on the drawing.
    answers = [t.text for t in root.iterfind("s:text[@class='pf-answer']", NS)]
    assert sorted(answers) == ["No", "No", "No", "Yes", "Yes", "Yes"]


def test_each_arrow_ends_on_its_target_and_starts_on_its_source():
    root = parse(flow_svg(STEPS, title="T"))
    found = shapes(root)
    for path in root.iterfind("s:path[@class='pf-edge']", NS):
        source, target = found[path.get("data-from")], found[path.get("data-to")]
        (x0, y0), (x1, y1) = points(path)[0], points(path)[-1]
        assert path.get("marker-end") == "url(#flow-arrow)"
        if target.get("class") == "pf-decision":
            top = min(
                float(p.split(",")[1]) for p in target.find("s:polygon", NS).get("points").split()
            )
            assert y1 == top
        else:
            left, top, right, bottom = box(target)
            # Straight down onto the top edge, or in from the right at mid-height.
            assert (y1 == top and left < x1 < right) or (x1 == right and y1 == (top + bottom) / 2)
        if source.get("class") == "pf-decision":
            top, right, bottom, left = (
                tuple(float(v) for v in p.split(","))
                for p in source.find("s:polygon", NS).get("points").split()
            )
            # From the bottom vertex (down the column) or the right vertex (out to a lane).
            assert (x0, y0) in (bottom, right)
        else:
            assert y0 == box(source)[3]


def test_branches_to_the_side_do_not_share_a_lane_where_they_overlap():
    root = parse(flow_svg(STEPS, title="T"))
    side = [points(p) for p in root.iterfind("s:path[@class='pf-edge']", NS) if len(points(p)) == 4]
    assert len(side) == 3  # review -> end, deploy -> build, check -> close
    spans = [(p[1][0], min(p[1][1], p[2][1]), max(p[1][1], p[2][1])) for p in side]
    for i, (x, lo, hi) in enumerate(spans):
        for x2, lo2, hi2 in spans[i + 1 :]:
            if not (hi < lo2 or hi2 < lo):
                assert x != x2


def test_colours_come_from_the_page_not_the_svg():
    svg = flow_svg(STEPS, title="T")
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", svg)
    assert set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg)) <= {"none", "currentColor"}
