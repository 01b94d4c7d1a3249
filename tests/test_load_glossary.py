"""The glossary: terms as data, validated, rendered as a page and as hover expansions."""

from __future__ import annotations

import pytest

from builder.errors import ValidationFailed
from builder.load.glossary import parse_glossary
from builder.pipeline import check


def problems_of(text: str) -> list[str]:
    return [str(p) for p in parse_glossary(text.encode(), "content/glossary.yaml")[1]]


def test_reads_terms_with_expansion_and_see():
    terms, problems = parse_glossary(
        b"terms:\n  - term: RFC\n    expansion: Request for Change\n    definition: A formal   proposal.\n"
        b"    see: [a]\n",
        "g.yaml",
    )
    assert problems == []
    assert [(t.term, t.expansion, t.definition, t.see, t.location.line) for t in terms] == [
        ("RFC", "Request for Change", "A formal proposal.", ("a",), 2)
    ]
    assert terms[0].is_acronym


def test_glossary_must_have_a_terms_list():
    assert problems_of("- RFC\n") == [
        "content/glossary.yaml:1: the glossary must be a mapping with a 'terms' list"
    ]


def test_term_needs_a_definition():
    assert problems_of("terms:\n  - term: RFC\n    expansion: Request for Change\n") == [
        "content/glossary.yaml:2: terms[0] is missing required field 'definition'"
    ]


def test_malformed_glossary_yaml():
    assert problems_of("terms:\n  - term: [RFC\n") == [
        "content/glossary.yaml:3: invalid YAML: expected ',' or ']', but got '<stream end>' (column 1)"
    ]


def test_duplicate_terms_and_unknown_see_ids(make_project):
    glossary = (
        "terms:\n  - term: AIH\n    definition: One.\n"
        "  - term: aih\n    definition: Two.\n    see: [alpha-incidnt]\n"
    )
    cfg = make_project({"content/glossary.yaml": glossary}, minimal=True)
    with pytest.raises(ValidationFailed) as info:
        check(cfg)
    assert [str(p) for p in info.value.problems] == [
        "content/glossary.yaml:4: duplicate glossary term 'aih': first at content/glossary.yaml:2",
        "content/glossary.yaml:4: unknown id 'alpha-incidnt' in 'see' of 'aih'; did you mean 'alpha-incident'?",
    ]


def test_unknown_automates_target(make_project):
    from conftest import minimal_files

    tool = minimal_files()["content/beta/beta-tool.md"].replace(
        "id: alpha-incident", "id: alpha-incidnet"
    )
    cfg = make_project({"content/beta/beta-tool.md": tool}, minimal=True)
    with pytest.raises(ValidationFailed) as info:
        check(cfg)
    assert [str(p) for p in info.value.problems] == [
        "content/beta/beta-tool.md:9: unknown id 'alpha-incidnet' in 'automates'; did you mean 'alpha-incident'?"
    ]


def test_automates_entry_needs_a_reason(make_project):
    from conftest import minimal_files

    tool = minimal_files()["content/beta/beta-tool.md"]
    tool = tool.replace(
        "    reason: Logs incidents from e-mail and routes them to the right queue.\n", ""
    )
    cfg = make_project({"content/beta/beta-tool.md": tool}, minimal=True)
    with pytest.raises(ValidationFailed) as info:
        check(cfg)
    assert [str(p) for p in info.value.problems] == [
        "content/beta/beta-tool.md:9: automates[0] needs an 'id' and a 'reason' "
        "(one sentence saying what is automated)"
    ]
