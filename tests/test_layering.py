"""Imports point upstream only: model/errors <- load <- graph <- validate <- index, render <- site, indexer <- pipeline <- search, cli."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"

# Each module's stage; a module may import only from stages at or below its own.
STAGES = {
    "errors": 0,
    "config": 0,
    "model": 1,
    "fsutil": 1,
    "search.store": 1,
    "search.fields": 1,
    "search.matchers": 1,
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


def test_imports_point_upstream():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module.endswith(".__init__") and module != "builder.__init__":
            module = module.removesuffix(".__init__")
        mine = stage_of(module) if module != "builder.__init__" else STAGES["__init__"]
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("builder")
            ):
                target = node.module
                if target == "builder":
                    theirs = STAGES["__init__"]
                    if node.names[0].name == "__version__":
                        continue  # the version string only
                else:
                    theirs = stage_of(target)
                if theirs > mine:
                    wrong.append(f"{module} imports {target}")
    assert wrong == []
