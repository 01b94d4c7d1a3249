"""Semantic checks: every rule has a bad-input test that pins the full message."""

from __future__ import annotations

import pytest
from conftest import minimal_files, page

from builder.errors import ValidationFailed
from builder.pipeline import check

MAP_HEADER = (
    "frameworks:\n  - {id: alpha, edition: '2011'}\n  - {id: beta, edition: '4.0'}\nrecords:\n"
)


def record(source: str, target: str, relation: str = "intersects-with", strength: int = 5) -> str:
    return (
        f"  - source: {source}\n    target: {target}\n    relation: {relation}\n"
        f"    strength: {strength}\n    basis: semantic\n"
        "    rationale: The two cover the same ground in different words.\n"
    )


def problems(make_project, files: dict[str, str]) -> list[str]:
    cfg = make_project(files, minimal=True)
    with pytest.raises(ValidationFailed) as info:
        check(cfg)
    return [str(p) for p in info.value.problems]


def test_minimal_project_is_clean(make_project):
    result = check(make_project(minimal=True))
    assert result.problems == []
    assert len(result.corpus.by_id) == 10


def test_duplicate_id(make_project):
    dup = minimal_files()["content/alpha/alpha-change.md"]
    assert problems(make_project, {"content/zz/copy.md": dup}) == [
        "content/zz/copy.md:2: duplicate id 'alpha-change': already declared at content/alpha/alpha-change.md:2"
    ]


def test_unknown_parent_framework_and_link_suggest_the_closest(make_project):
    text = page(
        "alpha-extra",
        "process",
        "Extra",
        framework="alfa",
        parent="alpha-operaton",
        body="Read [[alpha-chnage]] first.",
    )
    assert problems(make_project, {"content/alpha/extra.md": text}) == [
        "content/alpha/extra.md:5: unknown framework 'alfa'; did you mean 'alpha'?",
        "content/alpha/extra.md:6: unknown parent 'alpha-operaton'; did you mean 'alpha-operation'?",
        "content/alpha/extra.md:10: unknown link target [[alpha-chnage]]; did you mean 'alpha-change'?",
    ]


def test_missing_section_and_too_short(make_project):
    text = page(
        "alpha-extra", "process", "Extra", framework="alpha", parent="alpha-operation", words=10
    )
    text = text.replace("## Scope", "## Scop", 1).replace("## Metrics", "### Metrics", 1)
    assert problems(make_project, {"content/alpha/extra.md": text}) == [
        "content/alpha/extra.md:3: body has 234 words; kind 'process' needs at least 450",
        "content/alpha/extra.md:3: kind 'process' requires a section '## Metrics'",
        "content/alpha/extra.md:3: kind 'process' requires a section '## Scope'; did you mean 'Scop'?",
    ]


def test_missing_parent_and_framework_for_kinds_that_need_them(make_project):
    text = page("alpha-extra", "process", "Extra", body="See [[alpha]].")
    assert problems(make_project, {"content/alpha/extra.md": text}) == [
        "content/alpha/extra.md:3: kind 'process' requires a 'framework'",
        "content/alpha/extra.md:3: kind 'process' requires a 'parent'",
    ]


def test_summary_must_be_a_sentence(make_project):
    text = page("alpha-extra", "guide", "Extra", body="See [[alpha]].")
    text = text.replace("in one sentence.", "in one sentence")
    assert problems(make_project, {"content/x.md": text}) == [
        "content/x.md:5: 'summary' must be one full sentence ending with '.'"
    ]


def test_part_of_cycle(make_project):
    files = minimal_files()
    a = files["content/alpha/alpha-operation.md"].replace("parent: alpha", "parent: alpha-change")
    assert problems(make_project, {"content/alpha/alpha-operation.md": a}) == [
        "content/alpha/alpha-change.md:6: part-of cycle: alpha-change -> alpha-operation -> alpha-change"
    ]


def test_self_parent(make_project):
    a = minimal_files()["content/alpha/alpha-change.md"].replace(
        "parent: alpha-operation", "parent: alpha-change"
    )
    assert problems(make_project, {"content/alpha/alpha-change.md": a}) == [
        "content/alpha/alpha-change.md:6: a node cannot be its own parent"
    ]


def test_orphan(make_project):
    text = page("lonely", "guide", "Lonely")
    assert problems(make_project, {"content/lonely.md": text}) == [
        "content/lonely.md:2: orphan node 'lonely': give it a 'parent', link to it, or map it"
    ]


def test_unknown_mapping_endpoints(make_project):
    text = MAP_HEADER + record("alpha-incidnet", "beta-suport")
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:5: unknown source 'alpha-incidnet'; did you mean 'alpha-incident'?",
        "mappings/x.yaml:6: unknown target 'beta-suport'; did you mean 'beta-support'?",
    ]


def test_self_mapping(make_project):
    text = MAP_HEADER + record("alpha-change", "alpha-change")
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:6: self-mapping: 'source' and 'target' are both 'alpha-change'"
    ]


def test_contradictory_pair(make_project):
    text = MAP_HEADER + record("alpha-change", "beta-support", "equal", 10)
    text += record("alpha-change", "beta-support", "subset-of", 7)
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:11: contradictory mapping: 'alpha-change' subset-of 'beta-support' here, "
        "but equal at mappings/x.yaml:5"
    ]


def test_inverse_written_twice_is_a_duplicate(make_project):
    text = MAP_HEADER + record("alpha-change", "beta-support", "subset-of", 7)
    text += record("beta-support", "alpha-change", "superset-of", 7)
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:11: duplicate mapping of 'beta-support' and 'alpha-change': "
        "first at mappings/x.yaml:5"
    ]


def test_opposite_directions_that_disagree_are_contradictory(make_project):
    text = MAP_HEADER + record("alpha-change", "beta-support", "subset-of", 7)
    text += record("beta-support", "alpha-change", "subset-of", 7)
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:11: contradictory mapping: 'beta-support' subset-of 'alpha-change' here, "
        "but superset-of at mappings/x.yaml:5 (write one record; inverses are derived)"
    ]


def test_relations_at_the_strengths_the_definition_allows_are_clean(make_project):
    text = MAP_HEADER + record("alpha-change", "beta-support", "intersects-with", 9)
    text += record("alpha-incident", "beta-operate", "subset-of", 1)
    text += record("alpha-operation", "beta-support", "superset-of", 9)
    text += record("alpha", "beta", "equal", 10)
    extra = page("gamma", "framework", "Gamma", body="See [[alpha]].")
    gamma = MAP_HEADER.replace("id: beta, edition: '4.0'", "id: gamma, edition: '1'")
    gamma += record("alpha-change", "gamma", "no-relation", 1)
    cfg = make_project(
        {"mappings/x.yaml": text, "content/gamma.md": extra, "mappings/y.yaml": gamma}, minimal=True
    )
    assert check(cfg).problems == []


SUBSET_MEASURE = "how much of the larger one the smaller covers"
RELATION_RULES = {
    "equal-below-10": (
        [("alpha-change", "beta-support", "equal", 9)],
        "mappings/x.yaml:8: 'equal' means the same scope, strength 10; got 9: "
        "where the scopes differ, write subset-of, superset-of or intersects-with",
    ),
    "equal-at-1": (
        [("alpha-change", "beta-support", "equal", 1)],
        "mappings/x.yaml:8: 'equal' means the same scope, strength 10; got 1: "
        "where the scopes differ, write subset-of, superset-of or intersects-with",
    ),
    "subset-at-10": (
        [("alpha-change", "beta-support", "subset-of", 10)],
        f"mappings/x.yaml:8: strength 10 means the same scope, which is 'equal'; 'subset-of' "
        f"takes 1-9: {SUBSET_MEASURE}",
    ),
    "superset-at-10": (
        [("alpha-change", "beta-support", "superset-of", 10)],
        f"mappings/x.yaml:8: strength 10 means the same scope, which is 'equal'; 'superset-of' "
        f"takes 1-9: {SUBSET_MEASURE}",
    ),
    "intersects-at-10": (
        [("alpha-change", "beta-support", "intersects-with", 10)],
        "mappings/x.yaml:8: strength 10 means the same scope, which is 'equal'; 'intersects-with' "
        "takes 1-9: how much the two share, against all that either covers",
    ),
    "no-relation-above-1": (
        [("alpha-change", "beta", "no-relation", 3)],
        "mappings/x.yaml:8: 'no-relation' shares nothing: write strength 1 (it is not shown); got 3",
    ),
    "no-relation-to-an-element": (
        [("alpha-change", "beta-support", "no-relation", 1)],
        "mappings/x.yaml:6: 'no-relation' records an element with no counterpart in a framework: "
        "its target must be a framework, not the smf 'beta-support'",
    ),
    # alpha-incident intersects-with beta-support in the minimal project's alpha-beta.yaml.
    "no-relation-but-mapped": (
        [("alpha-incident", "beta", "no-relation", 1)],
        "mappings/x.yaml:7: 'alpha-incident' has no counterpart in 'beta' here, but it is "
        "intersects-with 'beta-support' at mappings/alpha-beta.yaml:5",
    ),
    "no-relation-but-mapped-from-the-other-side": (
        [
            ("beta-operate", "alpha-change", "superset-of", 4),
            ("alpha-change", "beta", "no-relation", 1),
        ],
        "mappings/x.yaml:13: 'alpha-change' has no counterpart in 'beta' here, but it is "
        "subset-of 'beta-operate' at mappings/x.yaml:5",
    ),
    "equal-to-two-elements": (
        [
            ("alpha-change", "beta-support", "equal", 10),
            ("alpha-change", "beta-operate", "equal", 10),
        ],
        "mappings/x.yaml:13: 'alpha-change' is equal to 'beta-operate' here and to 'beta-support' "
        "at mappings/x.yaml:5: an element has the same scope as at most one element of another "
        "framework",
    ),
}


@pytest.mark.parametrize(("records", "expected"), RELATION_RULES.values(), ids=RELATION_RULES)
def test_relation_and_strength_rules(make_project, records, expected):
    text = MAP_HEADER + "".join(record(*r) for r in records)
    assert problems(make_project, {"mappings/x.yaml": text}) == [expected]


def test_record_outside_the_files_pair(make_project):
    extra = page("gamma", "framework", "Gamma", body="See [[alpha]].")
    text = MAP_HEADER + record("alpha-change", "gamma")
    assert problems(make_project, {"content/gamma.md": extra, "mappings/x.yaml": text}) == [
        "mappings/x.yaml:6: target 'gamma' belongs to framework 'gamma', not to this file's pair (alpha, beta)"
    ]


def test_unknown_framework_in_header(make_project):
    text = MAP_HEADER.replace("id: beta", "id: bta") + record("alpha-change", "alpha-incident")
    assert problems(make_project, {"mappings/x.yaml": text}) == [
        "mappings/x.yaml:1: unknown framework 'bta' in 'frameworks'; did you mean 'beta'?"
    ]


def test_former_id_may_not_be_a_live_id(make_project):
    a = minimal_files()["content/alpha/alpha-incident.md"].replace(
        "aliases: [AIH]", "aliases: [AIH]\nformer_ids: [alpha-change]"
    )
    assert problems(make_project, {"content/alpha/alpha-incident.md": a}) == [
        "content/alpha/alpha-incident.md:9: former id 'alpha-change' is the id of a live page "
        "(content/alpha/alpha-change.md); ids are never reused"
    ]


def test_every_problem_is_reported_at_once(make_project):
    bad_kind = page("alpha-x", "guide", "X", body="See [[alpha]].").replace(
        "kind: guide", "kind: gide"
    )
    bad_map = MAP_HEADER + record("alpha-change", "alpha-change")
    found = problems(make_project, {"content/x.md": bad_kind, "mappings/x.yaml": bad_map})
    assert [p.split(":")[0] for p in found] == ["content/x.md", "mappings/x.yaml"]


def test_warnings_fail_only_in_strict_mode(make_project):
    text = page("alpha-x", "guide", "X", body="See [[alpha]].", extra="mood: blue")
    cfg = make_project({"content/x.md": text}, minimal=True)
    assert [str(p) for p in check(cfg).problems] == [
        "content/x.md:6: warning: unknown field 'mood' in front matter (ignored)"
    ]
    strict = type(cfg)(**{**{f: getattr(cfg, f) for f in cfg.__slots__}, "strict": True})
    with pytest.raises(ValidationFailed, match="Aborted with 1 warning in strict mode"):
        check(strict)


def test_task_references_must_exist_and_have_the_right_kind(make_project):
    task = minimal_files()["content/tasks/task-fix-an-outage.md"]
    task = (
        task.replace("performer: [role-fixer]", "performer: [role-fixr]")
        .replace("tools: [beta-tool]", "tools: [alpha-change]")
        .replace("stage: alpha-operation", "stage: alpha-change")
    )
    assert problems(make_project, {"content/tasks/task-fix-an-outage.md": task}) == [
        "content/tasks/task-fix-an-outage.md:6: unknown id 'role-fixr' in 'performer'; did you mean 'role-fixer'?",
        "content/tasks/task-fix-an-outage.md:8: 'stage' must name a stage; 'alpha-change' is a process",
        "content/tasks/task-fix-an-outage.md:10: 'tools' must name a product or accelerator; 'alpha-change' is a process",
    ]


def test_carries_out_must_name_framework_elements(make_project):
    task = minimal_files()["content/tasks/task-fix-an-outage.md"].replace(
        "carries_out: [alpha-incident, beta-support]", "carries_out: [role-fixer]"
    )
    assert problems(make_project, {"content/tasks/task-fix-an-outage.md": task}) == [
        "content/tasks/task-fix-an-outage.md:9: 'carries_out' must name framework elements; 'role-fixer' is a role"
    ]


def test_a_task_needs_six_steps(make_project):
    task = minimal_files()["content/tasks/task-fix-an-outage.md"].replace(
        "6. **Do step 6.**", "Finally, **do step 6.**"
    )
    assert problems(make_project, {"content/tasks/task-fix-an-outage.md": task}) == [
        "content/tasks/task-fix-an-outage.md:3: '## Steps' has 5 numbered steps; a task needs at least 6"
    ]


def test_persona_sections(make_project):
    persona = minimal_files()["content/roles/role-fixer.md"].replace(
        "## Learning path", "## Reading"
    )
    assert problems(make_project, {"content/roles/role-fixer.md": persona}) == [
        "content/roles/role-fixer.md:3: kind 'role' requires a section '## Learning path'"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "a <script> element; pages may not run scripts"),
        (
            '<img src="x.png" onerror="alert(1)">',
            "an inline event handler (on...=); pages may not run scripts",
        ),
        ("[click](javascript:alert(1))", "a javascript: URL; pages may not run scripts"),
        # The patterns ignore case as Python's re does, where a long s matches an s.
        ("[click](JAVA\u017fCRIPT:alert(1))", "a javascript: URL; pages may not run scripts"),
        # A tag whose attributes spread over lines is still one tag to Markdown; the problem
        # is reported at the line where it starts.
        (
            '<img src="x.png"\n  onerror="alert(1)">',
            "an inline event handler (on...=); pages may not run scripts",
        ),
        (
            "See [the file](\n../../etc/passwd).",
            "a link that leaves content/ (../); link pages with [[id]]",
        ),
        (
            "See [the file](../../etc/passwd).",
            "a link that leaves content/ (../); link pages with [[id]]",
        ),
        (
            '<a href="../secret.html">x</a>',
            "a link that leaves content/ (../); link pages with [[id]]",
        ),
    ],
)
def test_unsafe_bodies_are_rejected(make_project, body, message):
    text = page("alpha-x", "guide", "X", body=f"See [[alpha]].\n\n{body}")
    assert problems(make_project, {"content/x.md": text}) == [
        f"content/x.md:10: the body contains {message}"
    ]


def test_code_blocks_may_show_unsafe_examples(make_project):
    text = page("alpha-x", "guide", "X", body="See [[alpha]].\n\n```html\n<script>x</script>\n```")
    assert check(make_project({"content/x.md": text}, minimal=True)).problems == []


def test_links_to_an_unreadable_file_are_not_reported_twice(make_project):
    broken = minimal_files()["content/alpha/alpha-change.md"].replace(
        "title: Alpha Change Control", "title: [Alpha Change Control"
    )
    assert problems(make_project, {"content/alpha/alpha-change.md": broken}) == [
        "content/alpha/alpha-change.md:5: invalid front matter: expected ',' or ']', but got ':' (column 10)"
    ]
