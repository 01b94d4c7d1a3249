"""The public API: a curated __all__ whose names all resolve (httpx style)."""

from __future__ import annotations

import subprocess
import sys

import builder


def test_all_names_resolve():
    for name in builder.__all__:
        assert getattr(builder, name) is not None, name


def test_unknown_name_is_an_attribute_error():
    try:
        builder.nope  # noqa: B018
    except AttributeError as e:
        assert str(e) == "module 'builder' has no attribute 'nope'"
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_cli_does_not_load_the_pipeline():
    code = "import sys, builder.cli; print('networkx' in sys.modules, 'mkdocs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
