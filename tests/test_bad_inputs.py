"""The bad-input corpus: every case fails with exit 1, an exact message, and site/ untouched.

tests/bad_inputs/cases.yaml lists the cases. Each one changes the minimal sample project (edit,
write, copy or append a file, or give an answers file) and runs a portal command (default:
build). ``{root}`` in the expected text stands for the project folder.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import QUESTIONNAIRE, REPO, minimal_files

from builder.cli import cli
from builder.config import BuildConfig
from builder.pipeline import build

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text())


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a questionnaire, built once."""
    root = tmp_path_factory.mktemp("bad") / "base"
    files = {**minimal_files(), "assessment/questions.yaml": QUESTIONNAIRE}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    build(BuildConfig.from_root(root))
    return root


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(base, tmp_path, case):
    root = tmp_path / "project"
    shutil.copytree(base, root)
    before = digest(root / "site")
    for rel, (old, new) in case.get("edit", {}).items():
        text = (root / rel).read_text()
        assert old in text, f"{case['name']}: {old!r} not in {rel}"
        (root / rel).write_text(text.replace(old, new, 1))
    for rel, text in case.get("write", {}).items():
        (root / rel).write_text(text)
    for rel, text in case.get("write_bytes", {}).items():
        (root / rel).write_bytes(text.encode("latin-1"))
    for src, dst in case.get("copy", {}).items():
        shutil.copy(root / src, root / dst)
    for rel, text in case.get("append", {}).items():
        with (root / rel).open("a") as f:
            f.write(text)
    args = [str(a) for a in case.get("args", ["build"])]
    if "answers" in case or "answers_json" in case:
        answers = root / ("answers.json" if "answers_json" in case else "answers.yaml")
        answers.write_text(case.get("answers_json") or case["answers"])
        args = [str(answers) if a == "ANSWERS" else a for a in args]
    result = CliRunner().invoke(cli, ["-q", *args, "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert result.output == case["expected"].replace("{root}", str(root))
    assert digest(root / "site") == before
