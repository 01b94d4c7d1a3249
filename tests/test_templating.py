"""builder.render.templating: compiled templates kept between runs, never at the cost of a page."""

from __future__ import annotations

import os
import tempfile

import pytest

from builder.render.templating import environment, markdown_environment

TEMPLATE = "similar.md.j2"
RELATED = [{"id": "a", "title": "A & B", "summary": "One.", "what": "process"}]


@pytest.fixture
def temp(tmp_path, monkeypatch):
    """A temp folder of this test's own, where Jinja keeps its cache."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def render() -> str:
    return markdown_environment().get_template(TEMPLATE).render(related=RELATED)


def test_a_template_is_compiled_once_and_read_back_after(temp, monkeypatch):
    first = render()
    cached = sorted(temp.glob("_jinja2-cache-*/portal-*.cache"))
    assert len(cached) == 1
    compiled = []
    monkeypatch.setattr("jinja2.Environment._compile", lambda *a, **k: compiled.append(a))
    assert render() == first  # from the cache: compiling again would fail
    assert compiled == []


def test_a_broken_cache_file_costs_only_a_compilation(temp):
    expected = render()
    (cached,) = temp.glob("_jinja2-cache-*/portal-*.cache")
    for garbage in (b"", b"\x00" * 40, cached.read_bytes()[:30], b"j2" + b"\xff" * 100):
        cached.write_bytes(garbage)
        assert render() == expected


def test_a_cache_that_cannot_be_written_costs_only_a_compilation(temp, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jinja2.bccache.tempfile.NamedTemporaryFile", full)
    assert render() == render()
    assert list(temp.glob("_jinja2-cache-*/portal-*.cache")) == []


def test_without_a_cache_folder_every_template_is_compiled(temp):
    (temp / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")
    assert markdown_environment().bytecode_cache is None
    assert render() == render()


def test_options_that_change_the_compiled_code_change_the_cache_files(temp):
    from builder.render.templating import _bytecode_cache

    env = environment()
    same = _bytecode_cache(env)
    env.trim_blocks = False
    assert same is not None and env.bytecode_cache is not None
    assert same.pattern == env.bytecode_cache.pattern
    other = _bytecode_cache(env)
    assert other is not None and other.pattern != same.pattern
