"""An overlay's own glossary terms (builder/load/glossary.py): added and marked local, an
explicit override of a standard term, and every way to get it wrong, each at path:line."""

from __future__ import annotations

import textwrap

import pytest

from builder.model import LOCAL, STANDARD
from tests.test_overlays import PROJECT, problems_of

GLOSSARY = "ours/content/glossary.yaml"


def glossary(text: str) -> str:
    return "terms:\n" + textwrap.indent(textwrap.dedent(text).strip() + "\n", "  ")


def project(text: str, **more: str) -> dict[str, str]:
    return {PROJECT: "overlays: [ours]\n", GLOSSARY: glossary(text), **more}


OURS = """
- term: DCC
  expansion: Daily Change Call
  definition: Our fifteen-minute call that approves tonight's changes.
  see: [alpha-change]
- term: workaround
  overrides: true
  definition: At our sites, a workaround must be written in the incident record.
"""


def test_local_terms_join_the_glossary_and_an_override_keeps_the_standard(make_project) -> None:
    from builder.pipeline import check

    cfg = make_project(project(OURS), minimal=True)
    result = check(cfg)
    assert result.problems == []
    terms = {t.term: t for t in result.corpus.glossary}
    assert sorted(terms) == ["AIH", "DCC", "workaround"]
    assert terms["AIH"].origin == STANDARD and terms["AIH"].standard_definition is None
    dcc = terms["DCC"]
    assert (dcc.origin, dcc.expansion, dcc.see) == (LOCAL, "Daily Change Call", ("alpha-change",))
    assert dcc.standard_definition is None
    assert str(dcc.location) == f"{GLOSSARY}:2"
    ours = terms["workaround"]
    assert ours.origin == LOCAL
    assert ours.definition.startswith("At our sites")
    assert ours.standard_definition == (
        "A way to reduce or remove the impact of an incident without fixing it."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a standard term again, without saying it overrides
            "- term: Workaround\n  definition: Ours.",
            "glossary term 'Workaround' is already a standard term (content/glossary.yaml:6); "
            "to give it this organisation's definition, add 'overrides: true', or name it "
            "differently",
        ),
        (  # an override of a term the standard glossary does not have
            "- term: workarond\n  overrides: true\n  definition: Ours.",
            "glossary term 'workarond' overrides no standard term; did you mean 'workaround'?",
        ),
        (
            "- term: DCC\n  definition: Ours.\n  see: [alpha-chnage]",
            "unknown id 'alpha-chnage' in 'see' of 'DCC'; did you mean 'alpha-change'?",
        ),
    ],
)
def test_one_bad_local_term(make_project, text: str, expected: str) -> None:
    assert problems_of(make_project, project(text)) == [f"{GLOSSARY}:2: {expected}"]


def test_twice_in_one_overlay_and_a_bad_field(make_project) -> None:
    text = """
    - term: DCC
      definition: One.
    - term: dcc
      definition: Two.
    - term: P1
      overrides: maybe
      definition: Three.
    """
    assert problems_of(make_project, project(text)) == [
        f"{GLOSSARY}:4: duplicate glossary term 'dcc': first at {GLOSSARY}:2",
        f"{GLOSSARY}:7: 'overrides' must be true or false; got 'maybe'",
    ]


def test_two_overlays_overriding_one_term_conflict(make_project) -> None:
    files = project("- term: workaround\n  overrides: true\n  definition: Ours.")
    files[PROJECT] = "overlays: [ours, site]\n"
    files["site/content/glossary.yaml"] = glossary(
        "- term: workaround\n  overrides: true\n  definition: The site's.\n"
        "- term: dcc\n  overrides: true\n  definition: The site's call."
    )
    files[GLOSSARY] += "  - term: DCC\n    definition: Our call.\n"
    # The later overlay may override what the earlier one added, not what it overrode.
    assert problems_of(make_project, files) == [
        "site/content/glossary.yaml:2: conflicts with ours/content/glossary.yaml:2: both "
        "override glossary term 'workaround'; keep the definition in one of them"
    ]


def test_the_standard_glossary_cannot_override(make_project) -> None:
    files = {"content/glossary.yaml": glossary("- term: AIH\n  overrides: true\n  definition: x.")}
    assert problems_of(make_project, files) == [
        "content/glossary.yaml:3: warning: unknown field 'overrides' in terms[0] (ignored)"
    ]
