"""The portal command: help everywhere, exit codes, messages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from builder import __version__
from builder.cli import cli

COMMANDS = sorted(cli.commands)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"portal, version {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: portal {command}" in result.output
    assert cli.commands[command].help


def test_expected_commands():
    assert COMMANDS == [
        "assess",
        "build",
        "check",
        "coverage",
        "export",
        "gaps",
        "links",
        "map",
        "overlay",
        "path",
        "search",
        "serve",
    ]


def test_unknown_option_is_a_usage_error():
    result = run("check", "--frobnicate")
    assert result.exit_code == 2
    assert "Error: No such option '--frobnicate'" in result.output


def test_check_ok(make_project):
    cfg = make_project(minimal=True)
    result = run("-q", "check", "--root", str(cfg.root))
    assert result.exit_code == 0
    assert result.output == "OK: 10 nodes, 2 mappings, 19 edges.\n"


def test_check_reports_problems_and_exits_1(make_project):
    cfg = make_project({"mappings/bad.yaml": "frameworks: [\n"}, minimal=True)
    result = run("-q", "check", "--root", str(cfg.root))
    assert result.exit_code == 1
    assert result.output == (
        "Error: mappings/bad.yaml:2: invalid YAML: expected the node content, "
        "but found '<stream end>' (column 1)\n"
        "Aborted with 1 error; nothing was written.\n"
    )


def test_build_into_other_site_and_build_folders(make_project, tmp_path):
    cfg = make_project(minimal=True)
    site, work = tmp_path / "out" / "site", tmp_path / "work"
    args = ["-q", "build", "--root", str(cfg.root), "--site-dir", str(site)]
    result = run(*args, "--build-dir", str(work))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Built 32 pages from 10 nodes and 2 mappings in ")
    assert "alongside, in a second process: related " in result.output
    assert (site / "alpha-change.html").is_file()
    assert (work / "docs" / "alpha-change.md").is_file()
    assert (work / "search" / "CURRENT").is_file()
    assert not cfg.site_dir.exists() and not cfg.build_dir.exists()


def test_export_json_to_stdout(make_project):
    cfg = make_project(minimal=True)
    result = run("-q", "export", "--root", str(cfg.root), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["nodes"]) == 10


def test_export_to_file(make_project, tmp_path):
    cfg = make_project(minimal=True)
    out = tmp_path / "g.csv"
    result = run("-q", "export", "--root", str(cfg.root), "--format", "csv", "--out", str(out))
    assert result.exit_code == 0
    assert out.read_text().startswith(
        "source,target,relation,strm,strength,basis,derived,rationale,origin\n"
    )


def test_export_rejects_unknown_format(make_project):
    result = run("export", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_serve_binds_loopback_by_default():
    opts = {p.name: p.default for p in cli.commands["serve"].params}
    assert opts["host"] == "127.0.0.1"
