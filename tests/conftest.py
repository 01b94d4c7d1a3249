"""Shared fixtures: throwaway projects written into tmp_path, and golden-file support."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.config import BuildConfig
from builder.load.schema import kind_spec

REPO = Path(__file__).resolve().parent.parent
FILLER = (
    "Teams record what they change, check it against the plan, and tell the people affected "
    "before the work starts so that nothing surprises the service desk. "
)


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """Return the front matter (read with yaml) and the body of a content file."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def body_sections(body: str) -> dict[str, str]:
    """Map each `##` heading of a page body to the text under it."""
    parts = re.split(r"^## (.+)$", body, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
#: How long a browser action or an `expect` may wait for the state it needs. A ceiling, not a
#: pause: each returns as soon as the state holds. Playwright's defaults (30 s for actions, 5 s
#: for `expect`) were too short on a 2-core machine running two suites at once.
BROWSER_TIMEOUT_MS = 90_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: run `make test`, which installs it")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


class Offline:
    """A page whose non-file requests are aborted; console errors and blocked URLs recorded."""

    def __init__(self, browser, **context_options: Any) -> None:
        self.context = browser.new_context(**context_options)
        self.context.set_default_timeout(BROWSER_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def page(
    node_id: str,
    kind: str,
    title: str,
    *,
    framework: str | None = None,
    parent: str | None = None,
    body: str = "",
    extra: str = "",
    words: int | None = None,
) -> str:
    """Return a valid content file of ``kind``: required sections filled with filler text.

    ``body`` is added before the filler sections; ``extra`` is added to the front matter.
    """
    spec = kind_spec(kind, framework)
    assert spec is not None, kind
    lines = ["---", f"id: {node_id}", f"kind: {kind}", f"title: {title}"]
    if framework:
        lines.append(f"framework: {framework}")
    if parent:
        lines.append(f"parent: {parent}")
    lines.append(f"summary: What {title} is for, in one sentence.")
    if extra:
        lines.extend(textwrap.dedent(extra).strip().splitlines())
    lines.append("---")
    need = spec.min_words if words is None else words
    per_section = max(need // max(len(spec.sections), 1) + 10, 10)
    sentences = (FILLER * (per_section // 20 + 1)).strip()
    parts = [body.strip()] if body.strip() else []
    steps = "\n".join(f"{i}. **Do step {i}.** {FILLER}" for i in range(1, 7))
    parts += [f"## {s}\n\n{steps if s == 'Steps' else sentences}" for s in spec.sections]
    if not spec.sections and need:
        parts.append(f"## Notes\n\n{sentences}")
    return "\n".join(lines) + "\n\n" + "\n\n".join(parts) + "\n"


#: A questionnaire for the minimal project: one area (a page of it), one question.
QUESTIONNAIRE = textwrap.dedent(
    """\
    levels: [Basic, Standardized, Rationalized, Dynamic]
    areas:
      - id: alpha-incident
        title: Incident handling
        group: Sample
        problem: Incidents take too long to fix.
        opportunity: Faster fixes keep users working.
        estimates: {risk: 4, cost: 3, time: 3, value: 4}
    questions:
      - id: q1
        area: alpha-incident
        text: How are incidents logged?
        options:
          - {level: Basic, text: Not at all.}
          - {level: Standardized, text: In one tool.}
          - {level: Rationalized, text: With categories and priorities.}
          - {level: Dynamic, text: Automatically from monitoring.}
        pages: [alpha-incident]
        tasks: [task-fix-an-outage]
    """
)


def minimal_files() -> dict[str, str]:
    """Return the files of the minimal sample project: two frameworks and one mapping file."""
    return {
        "content/alpha/alpha.md": page("alpha", "framework", "Alpha Framework", extra="order: 1"),
        "content/alpha/alpha-operation.md": page(
            "alpha-operation", "stage", "Alpha Operation", framework="alpha", parent="alpha"
        ),
        "content/alpha/alpha-incident.md": page(
            "alpha-incident",
            "process",
            "Alpha Incident Handling",
            framework="alpha",
            parent="alpha-operation",
            body="See [[alpha-change]] and [[beta-support|the support SMF]].",
            extra="aliases: [AIH]\neditions: ['2007', '2011']",
        ),
        "content/alpha/alpha-change.md": page(
            "alpha-change",
            "process",
            "Alpha Change Control",
            framework="alpha",
            parent="alpha-operation",
            extra="former_ids: [alpha-change-old]",
        ),
        "content/beta/beta.md": page("beta", "framework", "Beta Framework", extra="order: 2"),
        "content/beta/beta-operate.md": page(
            "beta-operate", "phase", "Beta Operate Phase", framework="beta", parent="beta"
        ),
        "content/beta/beta-support.md": page(
            "beta-support", "smf", "Beta Support", framework="beta", parent="beta-operate"
        ),
        "content/beta/beta-tool.md": page(
            "beta-tool",
            "product",
            "Beta Tool",
            framework="beta",
            parent="beta",
            extra="""
                automates:
                  - id: alpha-incident
                    reason: Logs incidents from e-mail and routes them to the right queue.
                """,
        ),
        "content/roles/role-fixer.md": page("role-fixer", "role", "Fixer"),
        "content/tasks/task-fix-an-outage.md": page(
            "task-fix-an-outage",
            "task",
            "Fix an outage",
            body="",
            extra="""
                performer: [role-fixer]
                accountable: role-fixer
                stage: alpha-operation
                carries_out: [alpha-incident, beta-support]
                tools: [beta-tool]
                trigger: A service is down.
                frequency: Weekly.
                inputs: [incident record]
                outputs: [restored service]
                """,
        ),
        "content/glossary.yaml": textwrap.dedent(
            """\
            terms:
              - term: AIH
                expansion: Alpha Incident Handling
                definition: The Alpha process that restores service after an interruption.
                see: [alpha-incident]
              - term: workaround
                definition: A way to reduce or remove the impact of an incident without fixing it.
            """
        ),
        "mappings/alpha-beta.yaml": textwrap.dedent(
            """\
            frameworks:
              - {id: alpha, edition: "2011"}
              - {id: beta, edition: "4.0"}
            records:
              - source: alpha-incident
                target: beta-support
                relation: intersects-with
                strength: 6
                basis: functional
                rationale: Both restore service for users, but only Alpha covers major incidents.
              - source: alpha-operation
                target: beta-operate
                relation: subset-of
                strength: 8
                basis: semantic
                rationale: Everything Alpha runs day to day sits inside the Beta operate phase.
            """
        ),
    }


MakeProject = Callable[..., BuildConfig]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Return a function that writes ``files`` into a project folder and returns its config."""

    def make(files: dict[str, str | bytes] | None = None, *, minimal: bool = False) -> BuildConfig:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        merged: dict[str, str | bytes] = dict(minimal_files()) if minimal else {}
        merged.update(files or {})
        for rel, text in merged.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        (root / "content").mkdir(exist_ok=True)
        return BuildConfig.from_root(root)

    return make


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's real content into a temporary site (once per test run)."""
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("real")
    cfg = BuildConfig.from_root(REPO, site_dir=out / "site", build_dir=out / "build")
    return build(cfg).site_index.parent
