"""Reading mappings files: header, record schema, and every load-time problem."""

from __future__ import annotations

import textwrap

from builder.load.mappings import load_mappings, parse_mapping_file

HEADER = "frameworks:\n  - {id: alpha, edition: '2011'}\n  - {id: beta, edition: '4.0'}\n"
RECORD = """\
  - source: alpha-incident
    target: beta-support
    relation: intersects-with
    strength: 6
    basis: functional
    rationale: Both restore service for users, but only one covers majors.
"""


def parse(text: str) -> tuple[list[str], list[str]]:
    _, records, problems = parse_mapping_file(text.encode(), "mappings/ab.yaml")
    return [f"{r.source} {r.relation} {r.target} @{r.location.line}" for r in records], [
        str(p) for p in problems
    ]


def test_reads_header_and_records_with_lines():
    header, records, problems = parse_mapping_file(
        (HEADER + "records:\n" + RECORD).encode(), "mappings/ab.yaml"
    )
    assert problems == []
    assert header is not None
    assert header.frameworks == (("alpha", "2011"), ("beta", "4.0"))
    assert [(r.source, r.target, r.strength, r.location.line) for r in records] == [
        ("alpha-incident", "beta-support", 6, 5)
    ]
    assert records[0].line_of("basis").line == 9


def test_malformed_yaml_keeps_line_and_column():
    assert parse(HEADER + "records:\n  - source: [a\n")[1] == [
        "mappings/ab.yaml:6: invalid YAML: expected ',' or ']', but got '<stream end>' (column 1)"
    ]


def test_missing_header():
    assert parse("records: []\n")[1] == [
        "mappings/ab.yaml:1: 'frameworks' must list the two frameworks of the pair, "
        "each as {id: ..., edition: ...}"
    ]


def test_bad_relation_strength_and_basis():
    bad = (
        RECORD.replace("intersects-with", "equals")
        .replace("strength: 6", "strength: 12")
        .replace("functional", "gut")
    )
    records, problems = parse(HEADER + "records:\n" + bad)
    assert records == []
    assert problems == [
        "mappings/ab.yaml:7: 'relation' must be one of: equal, subset-of, superset-of, "
        "intersects-with, no-relation; got 'equals'; did you mean 'equal'?",
        "mappings/ab.yaml:8: 'strength' must be between 1 and 10; got 12",
        "mappings/ab.yaml:9: 'basis' must be one of: syntactic, semantic, functional; got 'gut'",
    ]


def test_strength_must_be_an_integer():
    records, problems = parse(
        HEADER + "records:\n" + RECORD.replace("strength: 6", "strength: high")
    )
    assert records == []
    assert problems == ["mappings/ab.yaml:8: 'strength' must be an integer; got 'high'"]


def test_missing_field_is_reported_at_the_record():
    _, problems = parse(HEADER + "records:\n" + RECORD.replace("    basis: functional\n", ""))
    assert problems == ["mappings/ab.yaml:5: records[0] is missing required field 'basis'"]


def test_rationale_must_be_a_sentence():
    records, problems = parse(
        HEADER
        + "records:\n"
        + RECORD.replace("Both restore service for users, but only one covers majors.", "overlap")
    )
    assert problems == [
        "mappings/ab.yaml:10: 'rationale' must be at least one full sentence "
        "(five or more words ending with '.')"
    ]
    assert len(records) == 1


def test_unknown_key_is_a_warning():
    records, problems = parse(HEADER + "records:\n" + RECORD + "    weight: 3\n")
    assert problems == [
        "mappings/ab.yaml:11: warning: unknown field 'weight' in records[0] (ignored)"
    ]
    assert len(records) == 1


def test_records_must_be_a_list_of_mappings():
    assert parse(HEADER + "records:\n  - just text\n")[1] == [
        "mappings/ab.yaml:4: records[0] must be a mapping with source, target, relation, ...; "
        "got 'just text'"
    ]


def test_load_mappings_reads_yaml_and_yml(make_project):
    cfg = make_project(
        {
            "mappings/a.yaml": HEADER + "records:\n" + RECORD,
            "mappings/b.yml": textwrap.dedent(HEADER) + "records: []\n",
        }
    )
    files, records, problems = load_mappings(cfg)
    assert problems == []
    assert [f.location.path for f in files] == ["mappings/a.yaml", "mappings/b.yml"]
    assert len(records) == 1
