"""Imports point upstream only: model/errors <- load <- graph <- validate <- index, render <- site, indexer <- pipeline <- search, cli; and no modules import each other round a cycle (within render/, say)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "builder"

# Each module's stage; a module may import only from stages at or below its own.
STAGES = {
    "errors": 0,
    "config": 0,
    "timing": 0,
    "jsontext": 0,
    "model": 1,
    "fsutil": 1,
    "search.store": 1,
    "search.fields": 1,
    "search.matchers": 1,
    "search.segment": 1,
    "search.text": 1,
    "search.intent": 1,
    "linkcheck": 1,
    "load": 2,
    "graph": 3,
    "validate": 4,
    "assessment": 2,
    "alignment": 4,
    "export": 4,
    "render": 5,
    "search.index": 5,
    "search.export": 5,
    "site": 6,
    "search.worker": 6,
    "pipeline": 7,
    "search": 8,
    "search.engine": 8,
    "cli": 8,
    "__init__": 9,
    "__main__": 9,
}


def stage_of(module: str) -> int:
    parts = module.split(".")
    if ".".join(parts[1:3]) in STAGES:  # a module of a package staged on its own
        return STAGES[".".join(parts[1:3])]
    return STAGES[parts[1] if len(parts) > 1 else "__init__"]


def imported(
    tree: ast.Module, module: str, is_package: bool = False
) -> Iterator[tuple[str, list[str]]]:
    """Yield every builder module ``module`` imports, with the names it takes from it.

    All three forms count: ``from builder.x import y``, ``import builder.x`` (also ``as y``)
    and relative ``from .x import y``.
    """
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "builder" or alias.name.startswith("builder."):
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "builder" or target.startswith("builder."):
                yield target, [a.name for a in node.names]


def wrong_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """Return "a imports b" for every import in ``source`` (module ``module``) that points down."""
    mine = STAGES["__init__"] if module == "builder" else stage_of(module)
    wrong = []
    for target, names in imported(ast.parse(source), module, is_package):
        if target == "builder":
            if names == ["__version__"]:
                continue  # the version string only
            theirs = STAGES["__init__"]
        else:
            theirs = stage_of(target)
        if theirs > mine:
            wrong.append(f"{module} imports {target}")
    return wrong


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def test_imports_point_upstream():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        is_package = path.name == "__init__.py"
        wrong.extend(wrong_imports(path.read_text(), module_name(path), is_package))
    assert wrong == []


@pytest.mark.parametrize(
    "source",
    [
        "from builder.pipeline import build",
        "import builder.pipeline",
        "import builder.pipeline as p",
        "import json, builder.cli as c",
        "from ..pipeline import build",
        "from .. import pipeline",
        "def f():\n    import builder.render.pages as pages\n",
        "from builder import build",
    ],
)
def test_every_form_of_import_is_caught(source):
    found = wrong_imports(source, "builder.load.content")
    assert len(found) == 1
    assert found[0].startswith("builder.load.content imports builder")


@pytest.mark.parametrize(
    "source",
    [
        "import builder.errors as e",
        "from . import schema",
        "from .yamlutil import LineDict",
        "from builder import __version__",
        "import json",
    ],
)
def test_upstream_imports_pass(source):
    assert wrong_imports(source, "builder.load.content") == []


def test_relative_imports_in_a_package_resolve_from_the_package():
    assert wrong_imports("from .content import load_content", "builder.load", True) == []
    assert wrong_imports("from ..cli import main", "builder.load", True) == [
        "builder.load imports builder.cli"
    ]


def is_module(name: str) -> bool:
    """Whether ``builder.x.y`` is a module or package of the builder."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph() -> dict[str, set[str]]:
    """Every builder module and the builder modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        targets = set()
        for target, names in imported(
            ast.parse(path.read_text()), name, path.name == "__init__.py"
        ):
            # ``from builder.render import maps`` imports the module builder.render.maps.
            modules = [f"{target}.{n}" for n in names if is_module(f"{target}.{n}")]
            targets.update(modules or [target])
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle through each module that lies on one (depth-first search)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_cycle():
    graph = import_graph()
    assert "builder.render.nav" in graph["builder.render.docs"]  # the graph sees the imports
    assert cycles(graph) == []


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
