"""Organisation overlays (builder/load/overlays.py): loading, merging, and every bad input."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.errors import ValidationFailed
from builder.load.overlays import fingerprint
from builder.pipeline import check
from tests.conftest import FILLER, page

PROJECT = "portal.yaml"


def ext(front: str, body: str) -> str:
    """Return an extension file: front matter, then ``##`` sections."""
    return f"---\n{textwrap.dedent(front).strip()}\n---\n\n{textwrap.dedent(body).strip()}\n"


def scope_fingerprint() -> str:
    """The fingerprint of alpha-incident's standard "Scope" section (filler text)."""
    return fingerprint(_section(page("alpha-incident", "process", "x"), "Scope"))


def _section(text: str, title: str) -> str:
    after = text.split(f"## {title}\n", 1)[1]
    return after.split("\n## ", 1)[0]


def problems_of(make_project, files: dict[str, str], strict: bool = False) -> list[str]:
    cfg = make_project(files, minimal=True)
    if strict:
        from dataclasses import replace

        cfg = replace(cfg, strict=True)
    try:
        return [str(p) for p in check(cfg).problems]
    except ValidationFailed as e:
        return [str(p) for p in e.problems]


REPLACE_SCOPE = {
    PROJECT: "overlays: [ours]\n",
    "ours/overlay.yaml": "name: Example Org IT\n",
    "ours/content/alpha-incident.md": ext(
        f"""
        extends: alpha-incident
        title: Incident Restoration
        aliases: [IR]
        replace:
          Scope: {scope_fingerprint()}
        insert:
          Our priorities: Key concepts
        """,
        f"""
        ## Scope

        Everything that stops the warehouse from shipping. {FILLER}

        ## Our priorities

        P1 means a site cannot dispatch; call extension 4000.

        ## Who to call

        The service desk, on extension 4000.
        """,
    ),
}


# -----------------------------------------------------------------------------
# Merging


def test_extension_merges_sections_title_and_aliases(make_project) -> None:
    result = check(make_project(REPLACE_SCOPE, minimal=True))
    node = result.corpus["alpha-incident"]
    assert node.title == "Incident Restoration"
    assert node.standard_title == "Alpha Incident Handling"
    assert {"IR", "AIH", "Alpha Incident Handling"} <= set(node.aliases)
    titles = [s.title for s in node.sections]
    # Inserted after its named section, appended at the end, replaced in place.
    assert titles.index("Our priorities") == titles.index("Key concepts") + 1
    assert titles[-1] == "Who to call"
    assert titles.count("Scope") == 1
    assert "Everything that stops the warehouse" in node.body
    assert {(c.title, c.action) for c in node.changes} == {
        ("Scope", "replaced"),
        ("Our priorities", "added"),
        ("Who to call", "added"),
    }
    replaced = next(c for c in node.changes if c.action == "replaced")
    assert replaced.standard_text is not None and FILLER.strip()[:40] in replaced.standard_text
    assert replaced.location.path == "ours/content/alpha-incident.md"
    # The section keeps the overlay file's line, for messages about it.
    scope = next(s for s in node.sections if s.title == "Scope")
    assert scope.location.path == "ours/content/alpha-incident.md"
    assert node.overlays == ("Example Org IT",)
    assert node.origin == "standard"
    assert result.problems == []


def test_local_node_hide_and_local_mapping(make_project) -> None:
    files = {
        PROJECT: "overlays: [ours]\n",
        "ours/overlay.yaml": textwrap.dedent(
            """\
            name: Example Org IT
            hide:
              - id: beta-support
                reason: We buy support from a supplier.
            """
        ),
        "ours/content/task-ours.md": page(
            "task-ours", "task", "Our own task", extra="carries_out: [alpha-change]"
        ),
        "ours/mappings/alpha-beta-local.yaml": textwrap.dedent(
            """\
            frameworks:
              - {id: alpha, edition: "2011"}
              - {id: beta, edition: "4.0"}
            records:
              - source: alpha-change
                target: beta-operate
                relation: intersects-with
                strength: 2
                basis: functional
                rationale: Both run the live service, and each has work the other lacks here.
            """
        ),
    }
    result = check(make_project(files, minimal=True))
    assert result.corpus["task-ours"].origin == "local"
    assert result.corpus["beta-support"].hidden == "We buy support from a supplier."
    assert result.graph.nodes["task-ours"]["origin"] == "local"
    assert result.graph.nodes["alpha"]["origin"] == "standard"
    assert result.graph.nodes["beta-support"]["hidden"] == "We buy support from a supplier."
    local = [r for r in result.corpus.mappings if r.origin == "local"]
    assert [(r.source, r.target) for r in local] == [("alpha-change", "beta-operate")]
    edge = result.graph.get_edge_data("alpha-change", "beta-operate")
    assert {d["origin"] for d in edge.values()} == {"local"}
    assert "beta-support" not in result.corpus.without_hidden()


def test_cli_overlay_option_applies_in_order_and_overrides_project_file(make_project) -> None:
    cfg = make_project(
        {
            PROJECT: "overlays: [missing-folder]\n",
            "one/content/a.md": ext("extends: alpha-change\ntitle: Change One", "## Notes\n\nOne."),
            "two/content/b.md": ext("extends: alpha-change\naliases: [C2]", "## More\n\nTwo."),
        },
        minimal=True,
    )
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--root",
            str(cfg.root),
            "--overlay",
            str(cfg.root / "one"),
            "--overlay",
            str(cfg.root / "two"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"title": "Change One"' in result.output
    assert '"origin": "standard"' in result.output


# -----------------------------------------------------------------------------
# Upgrade safety


def test_no_warning_while_the_standard_section_is_unchanged(make_project) -> None:
    assert problems_of(make_project, REPLACE_SCOPE) == []


def test_an_overlay_saved_with_windows_line_endings_reads_the_same(make_project) -> None:
    rel = "ours/content/alpha-incident.md"
    files: dict[str, str | bytes] = dict(REPLACE_SCOPE)
    files[rel] = REPLACE_SCOPE[rel].replace("\n", "\r\n").encode()
    result = check(make_project(files, minimal=True))
    assert result.problems == []
    titles = [s.title for s in result.corpus["alpha-incident"].sections]
    assert titles.count("Scope") == 1 and titles[-1] == "Who to call"


def test_warning_when_the_standard_section_changed(make_project) -> None:
    files = dict(REPLACE_SCOPE)
    changed = page("alpha-incident", "process", "Alpha Incident Handling").replace(
        "## Scope\n\n", "## Scope\n\nNow also covers suppliers. ", 1
    )
    files["content/alpha/alpha-incident.md"] = changed.replace(
        "id: alpha-incident", "id: alpha-incident\nframework: alpha\nparent: alpha-operation", 1
    )
    new = fingerprint(_section(changed, "Scope"))
    expected = (
        'ours/content/alpha-incident.md:6: warning: replaces section "Scope" of alpha-incident, '
        "which changed since; review the new standard text (content/alpha/alpha-incident.md:"
    )
    found = problems_of(make_project, files)
    assert len(found) == 1 and found[0].startswith(expected)
    assert found[0].endswith(f"then record its fingerprint: 'Scope: {new}'")
    # --strict makes it an error: exit 1, with the same message.
    cfg = make_project(files, minimal=True)
    result = CliRunner().invoke(cli, ["check", "--strict", "--root", str(cfg.root)])
    assert result.exit_code == 1
    assert 'ours/content/alpha-incident.md:6: warning: replaces section "Scope"' in result.output
    assert "Aborted with 1 warning in strict mode" in result.output


def test_a_replacement_without_fingerprint_says_what_to_write(make_project) -> None:
    files = dict(REPLACE_SCOPE)
    files["ours/content/alpha-incident.md"] = ext(
        "extends: alpha-incident\nreplace:\n  Scope:", "## Scope\n\nOurs."
    )
    assert problems_of(make_project, files) == [
        "ours/content/alpha-incident.md:4: warning: replaces section 'Scope' of alpha-incident "
        "but records no fingerprint of the standard text; write it as "
        f"'Scope: {scope_fingerprint()}' under 'replace'"
    ]


# -----------------------------------------------------------------------------
# Bad input: each a path:line message


def one_file(text: str) -> dict[str, str]:
    return {PROJECT: "overlays: [ours]\n", "ours/content/x.md": text}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ext("extends: alpha-incidnt", "## Notes\n\nx."),
            "ours/content/x.md:2: extends unknown id 'alpha-incidnt'; did you mean 'alpha-incident'?",
        ),
        (
            ext("extends: alpha-incident\nreplace:\n  Scpe: abc", "## Scpe\n\nx."),
            "ours/content/x.md:4: replaces section 'Scpe' of alpha-incident, which has no such "
            "section; did you mean 'Scope'?",
        ),
        (
            ext("extends: alpha-incident\nreplace:\n  Scope: abc", "## Notes\n\nx."),
            "ours/content/x.md:4: 'replace' names section 'Scope', but this file has no '## Scope'",
        ),
        (
            ext("extends: alpha-incident\ninsert:\n  Notes: Scoop", "## Notes\n\nx."),
            "ours/content/x.md:4: inserts 'Notes' after section 'Scoop' of alpha-incident, which "
            "has no such section; did you mean 'Scope'?",
        ),
        (
            ext("extends: alpha-incident", "## Scope\n\nx."),
            "ours/content/x.md:5: 'alpha-incident' already has a section 'Scope': list it under "
            "'replace' to replace it, or give the new section another heading",
        ),
        (
            ext("extends: alpha-incident\nperformer: [role-nobody]", "## Notes\n\nx."),
            "ours/content/x.md:3: unknown id 'role-nobody' in 'performer'",
        ),
        (
            ext("extends: alpha-incident", "Loose text.\n\n## Notes\n\nx."),
            "ours/content/x.md:5: text before the first '## ' heading: an extension adds whole "
            "sections",
        ),
        (
            page("alpha-change", "process", "Ours", framework="alpha", parent="alpha-operation"),
            "ours/content/x.md:2: id 'alpha-change' is a standard element "
            "(content/alpha/alpha-change.md); an overlay changes it with 'extends: alpha-change' "
            "instead of declaring it again",
        ),
    ],
    ids=[
        "unknown-id",
        "replace-missing-section",
        "replace-without-section",
        "insert-after-missing",
        "add-existing-section",
        "unknown-performer",
        "loose-text",
        "redeclare-standard",
    ],
)
def test_bad_extension(make_project, text: str, expected: str) -> None:
    assert expected in problems_of(make_project, one_file(text))


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("<script>alert(1)</script>", "a <script> element; pages may not run scripts"),
        (
            '<img src="x.png" onerror="go()">',
            "an inline event handler (on...=); pages may not run scripts",
        ),
        ("[intranet](https://intranet.example/changes)", "a link outside the portal"),
        ('<a href="//cdn.example/x">x</a>', "a link outside the portal"),
        ("[up](../content/x.md)", "a link that leaves content/ (../)"),
        # Markdown passes a tag through whole when its attributes spread over lines.
        (
            '<img src="x.png"\n     onerror="go()">',
            "an inline event handler (on...=); pages may not run scripts",
        ),
        ("[intranet](\nhttps://intranet.example/changes)", "a link outside the portal"),
    ],
)
def test_markup_in_an_overlay_is_refused(make_project, line: str, what: str) -> None:
    text = ext("extends: alpha-incident", f"## Notes\n\nFine.\n{line}")
    found = problems_of(make_project, one_file(text))
    assert any(p.startswith(f"ours/content/x.md:8: the body contains {what}") for p in found), found
    # Nothing of the file reaches the corpus.
    cfg = make_project(one_file(text), minimal=True)
    with pytest.raises(ValidationFailed):
        check(cfg)


def test_mail_and_phone_links_are_allowed(make_project) -> None:
    text = ext(
        "extends: alpha-incident",
        "## Who to call\n\n[desk](mailto:desk@example.org), [phone](tel:+441632960400)",
    )
    assert problems_of(make_project, one_file(text)) == []


def test_conflicting_overlays(make_project) -> None:
    files = {
        PROJECT: "overlays: [corporate, site]\n",
        "corporate/overlay.yaml": "name: Corporate IT\n",
        "site/overlay.yaml": "name: Site IT\n",
        "corporate/content/a.md": ext(
            f"extends: alpha-incident\ntitle: Restoration\nreplace:\n  Scope: {scope_fingerprint()}",
            "## Scope\n\nCorporate scope.",
        ),
        "site/content/a.md": ext(
            f"extends: alpha-incident\ntitle: Fixing\nreplace:\n  Scope: {scope_fingerprint()}",
            "## Scope\n\nSite scope.",
        ),
    }
    found = problems_of(make_project, files)
    assert (
        "site/content/a.md:5: conflicts with corporate/content/a.md:5: both change the section "
        "'Scope' of 'alpha-incident' (overlays 'Corporate IT' and 'Site IT'); keep the change in "
        "one of them"
    ) in found
    assert (
        "site/content/a.md:3: conflicts with corporate/content/a.md:3: both change the title of "
        "'alpha-incident' (overlays 'Corporate IT' and 'Site IT'); keep the change in one of them"
    ) in found


def test_hiding_what_another_overlay_extends_is_a_conflict(make_project) -> None:
    files = {
        PROJECT: "overlays: [corporate, site]\n",
        "corporate/content/a.md": ext("extends: alpha-change\ntitle: Ours", "## Notes\n\nx."),
        "site/overlay.yaml": "hide:\n  - id: alpha-change\n    reason: Not here.\n",
    }
    assert problems_of(make_project, files) == [
        "site/overlay.yaml:2: hides 'alpha-change', which corporate/content/a.md:3 changes; "
        "keep one of the two"
    ]


def test_the_same_local_id_in_two_overlays(make_project) -> None:
    task = page("task-ours", "task", "Our task", extra="carries_out: [alpha-change]")
    files = {PROJECT: "overlays: [a, b]\n", "a/content/t.md": task, "b/content/t.md": task}
    assert (
        "b/content/t.md:2: duplicate id 'task-ours': already declared at a/content/t.md:2"
        in problems_of(make_project, files)
    )


def test_hide_unknown_id_and_bad_project_file(make_project) -> None:
    files = {
        PROJECT: "overlays:\n  - ours\n  - nowhere\n",
        "ours/overlay.yaml": "hide:\n  - id: alpha-chnge\n    reason: Not here.\n  - id: beta\n",
    }
    assert problems_of(make_project, files) == [
        "ours/overlay.yaml:2: hides unknown id 'alpha-chnge'; did you mean 'alpha-change'?",
        "ours/overlay.yaml:4: hide[1] is missing required field 'reason'",
        "portal.yaml:3: overlay folder 'nowhere' not found (relative to .)",
    ]


def test_a_bad_local_mapping_is_reported_like_any_other(make_project) -> None:
    files = {
        PROJECT: "overlays: [ours]\n",
        "ours/mappings/m.yaml": textwrap.dedent(
            """\
            frameworks:
              - {id: alpha, edition: "2011"}
              - {id: beta, edition: "4.0"}
            records:
              - source: alpha-operation
                target: beta-operat
                relation: equal
                strength: 4
                basis: functional
                rationale: Both run the live service, and each has work the other lacks here.
            """
        ),
    }
    found = problems_of(make_project, files)
    assert (
        "ours/mappings/m.yaml:6: unknown target 'beta-operat'; did you mean 'beta-operate'?"
        in found
    )
