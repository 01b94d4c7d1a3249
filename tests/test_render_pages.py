"""Generated Markdown: golden files for the minimal project, and escaping."""
# ruff: noqa: RUF001  (the breadcrumb separator is a real character of the output)

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, page

from builder.pipeline import check
from builder.render.docs import render_docs
from builder.render.nav import NavItem, element_nav
from builder.render.order import kind_label

GOLDEN = Path(__file__).parent / "golden" / "minimal"


def render(cfg) -> Path:
    result = check(cfg)
    docs = cfg.build_dir / "docs"
    render_docs(result.corpus, result.graph, docs)
    return docs


def markdown_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "assets" not in p.parts
    )


def test_generated_markdown_matches_golden(make_project, update_golden):
    docs = render(make_project(minimal=True))
    golden = GOLDEN / "docs"
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(docs, golden, ignore=shutil.ignore_patterns("assets"))
    assert markdown_files(docs) == markdown_files(golden)
    for rel in markdown_files(docs):
        assert (docs / rel).read_text() == (golden / rel).read_text(), rel


def test_rendering_is_deterministic(make_project, tmp_path):
    cfg = make_project(minimal=True)
    first = render(cfg)
    copy = tmp_path / "first"
    shutil.copytree(first, copy)
    shutil.rmtree(first)
    second = render(cfg)
    cmp = filecmp.dircmp(copy, second)
    assert (cmp.diff_files, cmp.left_only, cmp.right_only) == ([], [], [])


def test_page_has_breadcrumb_counterparts_and_backlinks(make_project):
    text = (render(make_project(minimal=True)) / "alpha-incident.md").read_text()
    assert (
        "[Alpha Framework](alpha.md) › [Alpha Operation](alpha-operation.md) › Alpha Incident Handling"
        in text
    )
    assert "| [Beta Support](beta-support.md) | Beta Framework | intersects with | 6/10 |" in text
    assert (
        "See [Alpha Change Control](alpha-change.md) and [the support SMF](beta-support.md)."
        in text
    )
    target = (render(make_project(minimal=True)) / "beta-support.md").read_text()
    assert (
        "## Referenced by\n\n"
        '<details class="portal-related-group" open markdown>\n<summary>Processes (1)</summary>\n\n'
        "- [Alpha Incident Handling](alpha-incident.md) (Alpha Framework)\n"
    ) in target


def test_derived_inverse_appears_on_the_other_side(make_project):
    text = (render(make_project(minimal=True)) / "beta-operate.md").read_text()
    assert (
        "| [Alpha Operation](alpha-operation.md) | Alpha Framework | superset of | 8/10 |" in text
    )


def test_former_ids_become_redirect_pages(make_project):
    html = (render(make_project(minimal=True)) / "alpha-change-old.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=alpha-change.html">' in html


def test_titles_and_summaries_are_escaped(make_project):
    evil = page(
        "alpha-evil",
        "guide",
        "<img src=x onerror=alert(1)>",
        body="See [[alpha]].",
    )
    docs = render(make_project({"content/evil.md": evil}, minimal=True))
    text = (docs / "alpha-evil.md").read_text()
    assert "<img" not in text
    assert "# &lt;img src=x onerror=alert(1)&gt;" in text
    assert "<img" not in (docs / "alpha.md").read_text()


def shipped_nav(cfg) -> list[NavItem]:
    """The nav render_docs returns for the project, which the build writes into mkdocs.yml."""
    result = check(cfg)
    return render_docs(
        result.corpus, result.graph, cfg.build_dir / "docs", questionnaire=result.questionnaire
    ).nav


def test_nav_follows_part_of_tree_in_order(make_project):
    result = check(make_project(minimal=True))
    nav = element_nav(result.corpus)
    assert nav[0] == {
        "Alpha Framework": [
            "alpha.md",
            {
                "Alpha Operation": [
                    "alpha-operation.md",
                    {"Alpha Change Control": "alpha-change.md"},
                    {"Alpha Incident Handling": "alpha-incident.md"},
                ]
            },
        ]
    }


def test_nav_puts_each_renderers_entries_in_reading_order(make_project):
    cfg = make_project(minimal=True)
    nav = shipped_nav(cfg)
    assert [next(iter(item)) for item in nav] == [
        "Home",
        "Maps",
        "Crosswalks",
        "Alpha Framework",
        "Beta Framework",
        "Roles",
        "Tasks",
        "Browse",
    ]
    sections = {title: entries for item in nav for title, entries in item.items()}
    assert sections["Crosswalks"] == [
        {
            "Alpha Framework and Beta Framework": [
                "crosswalks/alpha-beta.md",
                {"Gap analysis": "crosswalks/alpha-beta-gaps.md"},
            ]
        }
    ]
    assert sections["Roles"] == [{"Find your role": "roles.md"}, {"Fixer": "role-fixer.md"}]
    assert sections["Browse"][0] == {"All of Alpha Framework": "browse/framework-alpha.md"}
    assert sections["Browse"][-1] == {"Glossary": "glossary.md"}

    def paths(entries: list[NavItem]) -> list[str]:
        found = []
        for entry in entries:
            for value in [entry] if isinstance(entry, str) else entry.values():
                found += paths(value) if isinstance(value, list) else [value]
        return found

    listed = paths(nav)
    assert len(listed) == len(set(listed))  # no page twice
    docs = cfg.build_dir / "docs"
    assert [p for p in listed if not (docs / p).is_file()] == []


def test_kind_labels():
    assert kind_label("process", plural=True) == "Processes"
    assert kind_label("capability", plural=True) == "Capabilities"
    assert kind_label("smf", plural=True) == "Service management functions (SMF)"
    assert kind_label("case-study") == "Case study"


def test_acronyms_get_hover_expansions_and_a_glossary_page(make_project):
    docs = render(make_project(minimal=True))
    assert "*[AIH]: Alpha Incident Handling" in (docs / "alpha-incident.md").read_text()
    assert "*[AIH]" not in (docs / "beta.md").read_text()
    glossary = (docs / "glossary.md").read_text()
    assert "**AIH** (Alpha Incident Handling) { #term-aih }" in glossary
    assert "See [Alpha Incident Handling](alpha-incident.md)." in glossary
    assert glossary.index("## A") < glossary.index("## W")


def test_framework_members_without_parent_are_grouped_by_kind_in_the_nav(make_project):
    role = page(
        "alpha-role-owner", "role", "Process Owner", framework="alpha", body="See [[alpha]]."
    )
    result = check(make_project({"content/alpha/role.md": role}, minimal=True))
    alpha = element_nav(result.corpus)[0]["Alpha Framework"]
    assert alpha[-1] == {"Roles": [{"Process Owner": "alpha-role-owner.md"}]}


def test_tasks_are_grouped_by_their_stage_in_the_nav(make_project):
    """One flat list of tasks made every task page list every task (quadratic at scale)."""
    loose = page(
        "task-tidy-up",
        "task",
        "Tidy up",
        extra="""
            performer: [role-fixer]
            accountable: role-fixer
            carries_out: [alpha-incident]
            trigger: Monthly.
            frequency: Monthly.
            inputs: [list]
            outputs: [tidy list]
            """,
    )
    result = check(make_project({"content/tasks/task-tidy-up.md": loose}, minimal=True))
    tasks = next(item["Tasks"] for item in element_nav(result.corpus) if "Tasks" in item)
    assert tasks == [
        {"Alpha Operation": [{"Fix an outage": "task-fix-an-outage.md"}]},
        {"Tidy up": "task-tidy-up.md"},
    ]


def test_find_your_role_learning_path_and_checklist_pages(make_project):
    docs = render(make_project(minimal=True))
    roles = (docs / "roles.md").read_text()
    assert "| [Fixer](role-fixer.md) | What Fixer is for, in one sentence. | 1 |" in roles
    learning = (docs / "learning" / "role-fixer.md").read_text()
    assert learning.startswith('---\ntitle: "Learning path: Fixer"\n---')
    assert "1. [Fix an outage](../task-fix-an-outage.md)" in learning
    checklist = (docs / "checklists" / "role-fixer.md").read_text()
    assert (
        "## Fix an outage\n\n[Full procedure](../task-fix-an-outage.md) · When: A service is down."
        in checklist
    )


def test_related_lists_are_grouped_told_apart_and_collapsed_when_long(make_project):
    files = {
        "content/alpha/role.md": page(
            "alpha-role-fixer", "role", "Fixer", framework="alpha", body="See [[alpha-change]]."
        ),
        "content/roles/role-fixer.md": page(
            "role-fixer", "role", "Fixer", body="Works on [[alpha-change]]."
        ),
    }
    for i in range(16):
        files[f"content/guides/g{i:02}.md"] = page(
            f"guide-{i:02}", "guide", f"Guide {i:02}", body="Read [[alpha-change]]."
        )
    text = (render(make_project(files, minimal=True)) / "alpha-change.md").read_text()
    people = text[text.index("## Related roles and tasks") : text.index("## Referenced by")]
    assert "<summary>IT pro roles (1)</summary>\n\n- [Fixer](role-fixer.md)\n" in people
    assert (
        "<summary>Framework roles (1)</summary>\n\n- [Fixer](alpha-role-fixer.md) (Alpha Framework)"
        in people
    )
    backlinks = text[text.index("## Referenced by") :]
    # Sixteen guides: past fifteen the group starts collapsed.
    assert '<details class="portal-related-group" markdown>\n<summary>Guides (16)</summary>' in (
        backlinks
    )
    assert backlinks.count("](guide-") == 16


def test_role_page_links_its_checklists_and_learning_path(make_project):
    text = (render(make_project(minimal=True)) / "role-fixer.md").read_text()
    assert "[Print the checklists of these tasks](checklists/role-fixer.md)" in text
    assert "[30-day learning path](learning/role-fixer.md)" in text


def test_not_found_page_links_relatively(make_project):
    text = (render(make_project(minimal=True)) / "404.md").read_text()
    assert "[Start from the home page](index.md)" in text
    assert "[Find your role](roles.md)" in text
    assert "](/" not in text


_RENDER_DIGESTS = """
import hashlib, sys
from pathlib import Path
from builder.config import BuildConfig
from builder.pipeline import check
from builder.render.docs import render_docs
cfg = BuildConfig.from_root(sys.argv[1], build_dir=sys.argv[2])
result = check(cfg)
docs = Path(sys.argv[2]) / "docs"
render_docs(result.corpus, result.graph, docs)
for p in sorted(docs.rglob("*.md")):
    print(p.relative_to(docs).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
"""


def test_real_content_renders_the_same_under_any_hash_seed(tmp_path):
    """Set order changes with PYTHONHASHSEED, so from one build process to the next: no page,
    map layouts included, may depend on it (one process rendering twice cannot show this)."""
    digests = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _RENDER_DIGESTS, str(REPO), str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        digests.append(dict(line.split() for line in done.stdout.splitlines()))
    assert len(digests[0]) > 400
    differing = sorted(p for p in digests[0] if digests[0][p] != digests[1].get(p))
    assert (differing, digests[0].keys() == digests[1].keys()) == ([], True)


_RENDER_MODULES = """
import sys
from pathlib import Path
from builder.config import BuildConfig
from builder.pipeline import check
from builder.render.docs import render_docs
checked = check(BuildConfig.from_root(Path(sys.argv[1])))
render_docs(checked.corpus, checked.graph, Path(sys.argv[2]), {}, checked.questionnaire)
print(" ".join(sorted(m for m in ("pyvis", "IPython") if m in sys.modules)))
"""


def test_rendering_copies_vis_network_without_importing_pyvis(make_project, tmp_path):
    """pyvis's import pulls in IPython, a quarter of a second of CPU for a file that is only
    copied (run in a new process, where nothing imported it before)."""
    cfg = make_project(minimal=True)
    docs = tmp_path / "docs"
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_MODULES, str(cfg.root), str(docs)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        docs / "assets" / "vendor" / "vis-network" / "vis-network.min.js"
    ).stat().st_size > 400_000
    assert done.stdout.split() == []


def test_acronym_pattern_finds_what_one_pattern_per_acronym_finds():
    """The glossary's one pattern (grouped by first letter) against each acronym on its own,
    over every page of the real content and some made-up edge cases."""
    import re

    from builder.config import BuildConfig
    from builder.render.glossary import acronym_pattern

    corpus = check(BuildConfig.from_root(REPO)).corpus
    acronyms = {t.term for t in corpus.glossary if t.is_acronym}
    pattern = acronym_pattern(corpus.glossary)
    assert pattern is not None and len(acronyms) > 50
    texts = ["\n".join([n.title, n.summary, n.body]) for n in corpus]
    texts += [" ".join(sorted(acronyms)), "-".join(sorted(acronyms)), "ITILv3 CABs e-CAB (CAB)"]
    for text in texts:
        expected = {a for a in acronyms if re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text)}
        found = set(pattern.findall(text))
        # One match cannot hide another: acronyms overlap only where one contains a space.
        if not any(" " in a for a in expected):
            assert found == expected, text[:80]
        assert found <= expected
