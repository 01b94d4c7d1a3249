"""The exception tree drawn in builder/errors.py is the code's: every class, its parent, raised."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import builder.errors as errors

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def drawn_tree() -> dict[str, str | None]:
    """Return {class: parent} as drawn in the docstring (indentation gives the parent)."""
    tree: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        m = re.match(r"[ │├└─]*([A-Z]\w+)", line)
        if not m or not m.group(1).endswith(("Error", "Failed", "Name")):
            continue
        depth = m.start(1)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        tree[m.group(1)] = stack[-1][1] if stack else None
        stack.append((depth, m.group(1)))
    return tree


def defined_tree() -> dict[str, str | None]:
    """Return {class: parent} for the exceptions errors.py defines."""
    return {
        name: (cls.__base__.__name__ if cls is not errors.BuilderError else None)
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, Exception) and cls.__module__ == errors.__name__
    }


def modules() -> dict[str, ast.Module]:
    return {str(p.relative_to(PACKAGE)): ast.parse(p.read_text()) for p in PACKAGE.rglob("*.py")}


def test_the_drawn_tree_is_the_defined_tree():
    assert drawn_tree() == defined_tree()
    assert "AmbiguousName" in drawn_tree()  # the drawing is read, not skipped


def test_every_error_is_raised_somewhere():
    raised = {
        node.exc.func.id
        for tree in modules().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and isinstance(node.exc.func, ast.Name)
    }
    never = set(defined_tree()) - raised - {"BuilderError"}
    assert never == set()


def test_no_other_module_defines_an_exception():
    elsewhere = [
        f"{path}: {node.name}"
        for path, tree in modules().items()
        if path != "errors.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(
            isinstance(b, ast.Name)
            and (b.id.endswith(("Error", "Exception")) or b.id in defined_tree())
            for b in node.bases
        )
    ]
    assert elsewhere == []
