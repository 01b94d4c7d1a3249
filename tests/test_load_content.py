"""Reading content files: front matter, body scan, and every load-time problem."""

from __future__ import annotations

from conftest import page

from builder.load.content import count_words, load_content, parse_guidance

GOOD = page(
    "alpha-x", "guide", "X", body="Intro with [[alpha]] and [[beta|B]].\n\n## Notes\n\nText."
)


def problems_of(text: str | bytes, path: str = "content/x.md") -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [str(p) for p in parse_guidance(raw, path)[1]]


def test_parses_front_matter_body_sections_and_links():
    node, problems = parse_guidance(GOOD.encode(), "content/x.md")
    assert problems == []
    assert node is not None
    assert (node.id, node.kind, node.title) == ("alpha-x", "guide", "X")
    assert node.body_line == 7
    assert [(lk.target, lk.text, lk.location.line) for lk in node.links] == [
        ("alpha", None, 8),
        ("beta", "B", 8),
    ]
    assert [(s.title, s.location.line) for s in node.sections] == [("Notes", 10)]
    assert node.line_of("kind").line == 3


def test_links_and_headings_inside_code_fences_are_ignored():
    text = (
        "---\nid: a\nkind: guide\ntitle: A\nsummary: S.\n---\n```\n## Not\n[[nope]]\n```\n## Yes\n"
    )
    node, _ = parse_guidance(text.encode(), "c.md")
    assert node is not None
    assert [s.title for s in node.sections] == ["Yes"]
    assert node.links == ()


def test_count_words_skips_code_tags_headings_and_link_ids():
    body = "## Heading here\nOne <b>two</b> [[some-id|three four]] [[other-id]].\n```\nx y z\n```\n"
    assert count_words(body) == 5


def test_non_utf8_file_names_the_line():
    raw = b"---\nid: a\ntitle: caf\xe9\n---\n"
    assert problems_of(raw) == [
        "content/x.md:3: not valid UTF-8 (byte 0xe9 at offset 20); save the file as UTF-8"
    ]


def test_missing_front_matter():
    assert problems_of("# Title\n") == [
        "content/x.md:1: missing front matter: the file must start with a '---' line"
    ]


def test_unclosed_front_matter():
    assert problems_of("---\nid: a\n") == [
        "content/x.md:1: front matter is not closed: add a '---' line after it"
    ]


def test_malformed_yaml_gives_file_line_and_column():
    text = "---\nid: a\nkind: guide\ntitle: [unclosed\nsummary: S.\n---\n"
    assert problems_of(text) == [
        "content/x.md:5: invalid front matter: expected ',' or ']', but got ':' (column 8)"
    ]


def test_front_matter_must_be_a_mapping():
    assert problems_of("---\n- a\n- b\n---\n") == [
        "content/x.md:2: front matter must be a mapping of fields; got list"
    ]


def test_missing_required_field():
    assert problems_of("---\nid: a\nkind: guide\nsummary: S.\n---\n") == [
        "content/x.md:2: front matter is missing required field 'title'"
    ]


def test_unknown_kind_suggests_the_closest():
    text = "---\nid: a\nkind: proces\ntitle: A\nsummary: S.\n---\n"
    assert problems_of(text) == [
        "content/x.md:3: 'kind' must be one of: framework, stage, phase, quadrant, track, process, "
        "function, smf, review, milestone, accountability, role, task, discipline, component, "
        "maturity-level, capability, product, accelerator, case-study, guide, template; got 'proces'; "
        "did you mean 'process'?"
    ]


def test_bad_id_and_bad_types():
    text = "---\nid: Change_Mgmt\nkind: guide\ntitle: A\nsummary: S.\norder: first\naliases: RFC\n---\n"
    assert problems_of(text) == [
        "content/x.md:2: 'id' must be lowercase letters, digits and single hyphens; got 'Change_Mgmt'",
        "content/x.md:6: 'order' must be an integer; got 'first'",
        "content/x.md:7: 'aliases' must be a list of strings; got 'RFC'",
    ]


def test_unknown_field_is_a_warning_with_a_suggestion():
    text = "---\nid: a\nkind: guide\ntitle: A\nsummary: S.\nalias: [x]\n---\n"
    assert problems_of(text) == [
        "content/x.md:6: warning: unknown field 'alias' in front matter (ignored); did you mean 'aliases'?"
    ]


def test_load_content_reads_every_file_in_path_order(make_project):
    cfg = make_project({"content/b/b.md": GOOD.replace("alpha-x", "b"), "content/a.md": GOOD})
    nodes, problems, unreadable = load_content(cfg)
    assert unreadable == set()
    assert problems == []
    assert [(n.id, n.source.path) for n in nodes] == [
        ("alpha-x", "content/a.md"),
        ("b", "content/b/b.md"),
    ]
