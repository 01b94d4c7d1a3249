"""The ``portal`` command: a thin shell that parses options and calls the library.

Every :class:`~builder.errors.BuilderError` becomes exit status 1 with its message; usage
errors exit 2 (click's convention); anything unexpected keeps its traceback.
"""

from __future__ import annotations

import atexit
import gc
import json
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from builder import __version__
from builder.config import BuildConfig
from builder.errors import BuilderError

if TYPE_CHECKING:
    from builder.errors import Problem
    from builder.model import Answers, Corpus, Questionnaire
    from builder.pipeline import CheckResult

T = TypeVar("T")
C = TypeVar("C")

log = logging.getLogger("builder")

_root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder holding content/, mappings/ and mkdocs.yml.",
)
_strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_overlay_option = click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An organisation overlay folder; repeat to apply several, in order "
    "[default: the 'overlays' list of ROOT/portal.yaml].",
)


@click.group(name="portal", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portal")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the result.")
@click.option("-v", "--verbose", is_flag=True, help="Print debugging detail.")
def cli(quiet: bool, verbose: bool) -> None:
    """Build and query the offline ITSM guidance portal.

    \b
    Examples:
      portal check                 validate content/ and mappings/
      portal build                 build site/ (open site/index.html)
      portal serve                 serve site/ on 127.0.0.1 and rebuild on change
      portal export --format json  the alignment graph as node-link JSON
    """
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("portal: %(message)s"))
    logger = logging.getLogger("builder")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


@cli.command()
@_root_option
@_strict_option
@click.option(
    "--site-dir", type=click.Path(path_type=Path), help="Output folder [default: ROOT/site]."
)
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path),
    help="Work folder for the generated docs and the search index [default: ROOT/build].",
)
@_overlay_option
def build(
    root: Path,
    strict: bool,
    site_dir: Path | None,
    build_dir: Path | None,
    overlays: tuple[Path, ...],
) -> None:
    """Build site/ from content/ and mappings/, atomically.

    A failed build leaves the previous site/ exactly as it was.
    """
    from builder.pipeline import build as run_build

    cfg = BuildConfig.from_root(
        root, site_dir=site_dir, build_dir=build_dir, strict=strict, overlays=overlays or None
    )
    result = _run(run_build, cfg)
    _print_warnings(result.check.problems)
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    alongside = ", ".join(f"{k} {v:.2f}s" for k, v in result.worker_timings.items())
    click.echo(
        f"Built {result.pages} pages from {len(result.check.corpus.by_id)} nodes and "
        f"{len(result.check.corpus.mappings)} mappings in {result.seconds:.2f}s ({timings}; "
        f"alongside, in a second process: {alongside})."
    )
    click.echo(str(result.site_index))


@cli.command()
@_root_option
@_strict_option
@_overlay_option
def check(root: Path, strict: bool, overlays: tuple[Path, ...]) -> None:
    """Validate content/, mappings/ and the overlays; write nothing."""
    from builder.pipeline import check as run_check

    cfg = BuildConfig.from_root(root, strict=strict, overlays=overlays or None)
    result = _run(run_check, cfg)
    _print_warnings(result.problems)
    click.echo(
        f"OK: {len(result.corpus.by_id)} nodes, {len(result.corpus.mappings)} mappings, "
        f"{result.graph.number_of_edges()} edges."
    )


@cli.command()
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "graphml", "csv"]),
    default="json",
    show_default=True,
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of stdout.",
)
@_overlay_option
def export(root: Path, fmt: str, out: Path | None, overlays: tuple[Path, ...]) -> None:
    """Export the graph: json (node-link), graphml (Gephi, yEd) or csv (edges).

    Each node and record carries its origin: standard, or local (from an overlay).
    """
    from builder.export import export_graph
    from builder.pipeline import check as run_check

    result = _run(run_check, BuildConfig.from_root(root, overlays=overlays or None))
    _emit(export_graph(result.graph, fmt), out)


@cli.command("map")
@click.argument("name", nargs=-1, required=True)
@_root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def map_command(name: tuple[str, ...], root: Path, as_json: bool) -> None:
    """Show the counterparts of an element in every other framework.

    NAME is an id or the start of a title (e.g. "change man").
    """
    from builder.graph import counterparts

    checked = _run(_checked, BuildConfig.from_root(root))
    node_id = _resolve(checked.corpus, " ".join(name))
    G = checked.graph
    rows = [
        {
            "id": other,
            "title": G.nodes[other]["title"],
            "framework": G.nodes[other]["framework"] or other,
            "relation": d["strm"],
            "strength": d["strength"],
            "derived": d["derived"],
            "rationale": d["rationale"],
        }
        for other, d in counterparts(G, node_id)
    ]
    if as_json:
        click.echo(json.dumps({"id": node_id, "counterparts": rows}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{G.nodes[node_id]['title']} ({node_id})")
    if not rows:
        click.echo("  No counterpart is recorded.")
    for r in rows:
        click.echo(
            f"  {r['relation']:<16} {r['strength']:>2}/10  {r['title']} ({r['framework']}, {r['id']})"
        )
        click.echo(f"      {r['rationale']}")


@cli.command("path")
@click.argument("source")
@click.argument("target")
@_root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def path_command(source: str, target: str, root: Path, as_json: bool) -> None:
    """Explain the shortest chain of typed relations that connects two elements.

    SOURCE and TARGET are ids or title prefixes (quote titles with spaces).
    """
    import networkx as nx

    from builder.alignment import path

    checked = _run(_checked, BuildConfig.from_root(root))
    a, b = _resolve(checked.corpus, source), _resolve(checked.corpus, target)
    try:
        hops = path(checked.graph, a, b)
    except nx.NetworkXNoPath:
        raise click.ClickException(f"no chain of relations connects {a!r} and {b!r}") from None
    titles = {n: checked.graph.nodes[n]["title"] for n in checked.graph}
    if as_json:
        data = [
            {"from": h.source, "to": h.target, "relation": h.relation, "detail": h.detail}
            for h in hops
        ]
        click.echo(
            json.dumps({"source": a, "target": b, "hops": data}, indent=2, ensure_ascii=False)
        )
        return
    click.echo(f"{titles[a]} to {titles[b]} in {len(hops)} step(s):")
    for i, h in enumerate(hops, 1):
        click.echo(f"  {i}. {titles[h.source]} --{h.relation}--> {titles[h.target]}")
        if h.detail:
            click.echo(f"     {h.detail}")


@cli.command("gaps")
@click.option("--from", "source", required=True, help="The framework whose gaps to list (an id).")
@click.option("--to", "target", required=True, help="The framework to compare against (an id).")
@_root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def gaps_command(source: str, target: str, root: Path, as_json: bool) -> None:
    """List the elements of one framework with no counterpart in another, or only weak ones."""
    from builder.alignment import WEAK, gaps

    checked = _run(_checked, BuildConfig.from_root(root))
    _check_framework(checked.corpus, source)
    _check_framework(checked.corpus, target)
    found = list(gaps(checked.corpus, source, target))
    if as_json:
        data = [
            {"id": g.id, "title": g.title, "group": g.group, "best": g.best, "reason": g.reason}
            for g in found
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(
            f"Every element of {source} lies inside, equals or overlaps more than {WEAK}/10 "
            f"with a counterpart in {target}."
        )
    for g in found:
        best = f"best {g.best}/10" if g.best else "no counterpart"
        click.echo(f"{g.title} ({g.id}, {g.group}): {best}")
        click.echo(f"    {g.reason}")


@cli.command("coverage")
@_root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def coverage_command(root: Path, as_json: bool) -> None:
    """Show, for every framework pair, how much of each side has a counterpart."""
    from dataclasses import asdict

    from builder.alignment import WEAK, coverage, pair_files

    checked = _run(_checked, BuildConfig.from_root(root))
    rows = []
    for header in pair_files(checked.corpus):
        a, b = header.framework_ids
        for c in coverage(checked.corpus, a, b):
            rows.append({**asdict(c), "share": round(c.share, 3)})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(
        f"{'framework':<16}{'against':<16}{'elements':>9}{'covered':>9}{'share':>8}{'weak':>6}{'none':>6}"
    )
    for r in rows:
        click.echo(
            f"{r['framework']:<16}{r['other']:<16}{r['elements']:>9}{r['covered']:>9}"
            f"{r['share']:>8.0%}{r['weak']:>6}{r['no_relation']:>6}"
        )
    click.echo(
        f"covered = inside or equal to a counterpart, or one stronger than {WEAK}/10; "
        "none = recorded as having no counterpart"
    )


@cli.command("assess")
@click.argument("answers", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_root_option
@click.option("--weights", help="Ranking weights, e.g. risk=2,value=3 (others stay 1).")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report (.md or .html) or the template here.",
)
@click.option("--template", "as_template", is_flag=True, help="Write a blank answers file instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the scored result as JSON.")
def assess_command(
    answers: Path | None,
    root: Path,
    weights: str | None,
    out: Path | None,
    as_template: bool,
    as_json: bool,
) -> None:
    """Score a self-assessment: maturity per area, improvement backlog, improvement waves.

    \b
    Examples:
      portal assess --template -o answers.yaml     a blank answers file to fill in
      portal assess answers.yaml -o report.html    the same result as the site's page
      portal assess answers.json --weights risk=2,value=3
    """
    from builder.assessment import score, template
    from builder.render.report import report_html, report_markdown

    checked = _run(_checked, BuildConfig.from_root(root))
    questionnaire = checked.questionnaire
    if questionnaire is None:
        raise click.ClickException("no questionnaire: assessment/questions.yaml is missing")
    report_suffix = out is not None and out.suffix.lower() in (".md", ".html", ".htm")
    if out is not None and not (as_template or as_json or report_suffix):
        raise click.BadParameter("the report must end in .md or .html", param_hint="--out")
    if as_template:
        _emit(template(questionnaire), out)
        return
    if answers is None:
        raise click.UsageError("give an ANSWERS file (YAML or JSON), or --template")
    report = score(questionnaire, _answers(answers, questionnaire, weights))
    if report.unanswered:
        click.echo(
            f"{len(report.unanswered)} questions unanswered: left out of the scores.", err=True
        )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    titles = {n.id: n.title for n in checked.corpus}
    as_html = out is not None and out.suffix.lower() in (".html", ".htm")
    _emit((report_html if as_html else report_markdown)(questionnaire, report, titles), out)


def _answers(path: Path, questionnaire: Questionnaire, weights: str | None) -> Answers:
    """Return the answers file read against the questionnaire, with ``--weights`` applied;
    its problems stop the command, its warnings are printed."""
    from dataclasses import replace

    from builder.load.assessment import load_answers, parse_weights

    loaded, problems = load_answers(path, questionnaire)
    if loaded is None:
        raise click.ClickException("\n".join(str(p) for p in problems))
    _print_warnings(problems)
    if weights:
        try:
            loaded = replace(loaded, weights=parse_weights(weights))
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--weights") from None
    return loaded


def _emit(text: str, out: Path | None) -> None:
    """Write ``text`` to ``out``, or to standard output when there is none."""
    from builder.fsutil import write_text

    if out is None:
        click.echo(text, nl=False)
        return
    write_text(out, text)
    click.echo(f"Wrote {out}", err=True)


@cli.group("overlay")
def overlay_group() -> None:
    """Maintain organisation overlays (AUTHORING.md, "Organisation overlays")."""


@overlay_group.command("refresh")
@click.argument("ids", nargs=-1)
@_root_option
@_overlay_option
@click.option(
    "--accept",
    is_flag=True,
    help="Record the new fingerprints in the overlay files (only those lines change).",
)
def refresh_command(
    ids: tuple[str, ...], root: Path, overlays: tuple[Path, ...], accept: bool
) -> None:
    """Show how each standard section an overlay replaces changed upstream; accept it.

    For every replaced section whose recorded fingerprint is not that of the standard text
    now, print the unified diff from the text the overlay was written against (found in the
    project's git history) to the text now. Review your own section against it, then run
    again with --accept to record the new fingerprint. IDS limits it to those elements.

    \b
    Examples:
      portal overlay refresh                       what changed upstream, as diffs
      portal overlay refresh itil-change-management --accept
    """
    from builder.load.refresh import accept as accept_one
    from builder.load.refresh import replaced_text, section_diff, stale_sections

    cfg = BuildConfig.from_root(root, overlays=overlays or None)
    try:
        stale = stale_sections(cfg, ids)
        for item in stale if accept else ():
            accept_one(cfg, item)
            click.echo(f"{item.location}: recorded '{item.title}: {item.current}' ({item.node_id})")
    except BuilderError as e:
        raise click.ClickException(str(e)) from e
    if not stale:
        click.echo(
            "Nothing to refresh: each replaced section records its standard text's fingerprint."
        )
    if accept or not stale:
        return
    for item in stale:
        what = "records no fingerprint" if not item.recorded else "changed since"
        click.echo(f'{item.location}: section "{item.title}" of {item.node_id}: {what}')
        click.echo(section_diff(item, replaced_text(cfg, item)))
        click.echo("")
    click.echo(
        f"{len(stale)} section{'s' if len(stale) != 1 else ''} to review. Update your own text "
        "where the standard change matters, then run again with --accept."
    )


@cli.command("links")
@_root_option
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site [default: ROOT/site].",
)
def links_command(root: Path, site_dir: Path | None) -> None:
    """Check every internal link and anchor of the built site; list external links.

    External links are listed in build/links.md, never followed. Exit 1 when a link is broken.
    """
    from builder.fsutil import write_text
    from builder.linkcheck import check_site

    cfg = BuildConfig.from_root(root, site_dir=site_dir)
    if not (cfg.site_dir / "index.html").is_file():
        raise click.ClickException(f"no site at {cfg.site_dir}: run portal build first")
    report = check_site(cfg.site_dir)
    write_text(cfg.build_dir / "links.md", report.markdown())
    click.echo(
        f"{report.pages} pages, {report.internal} internal links, {len(report.broken)} broken, "
        f"{len(report.external)} external (listed in {cfg.relpath(cfg.build_dir / 'links.md')})."
    )
    if report.broken:
        raise click.ClickException("\n".join(str(b) for b in report.broken[:50]))


@cli.command()
@click.argument("query", nargs=-1, required=True)
@_root_option
@click.option("--framework", help="Only this framework (an id such as itil or mof4).")
@click.option("--kind", help="Only this kind (process, smf, role, task, ...).")
@click.option("--role", help="Only pages linked to this role (a role id).")
@click.option("--stage", help="Only this ITIL stage (an id, or a short name such as transition).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list: id, title, url, kind, framework, score, snippet.",
)
def search(
    query: tuple[str, ...],
    root: Path,
    framework: str | None,
    kind: str | None,
    role: str | None,
    stage: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search the portal's guidance from the terminal.

    Acronyms and synonyms are expanded (CAB finds Change Advisory Board), misspellings get a
    did-you-mean, and the index is rebuilt first when the content changed.

    \b
    Examples:
      portal search how do I approve an emergency change
      portal search KEDB --kind process --json
      portal search backup --framework system-center
    """
    from builder.search.engine import search as run_search

    cfg = BuildConfig.from_root(root)
    filters = {"framework": framework, "kind": kind, "role": role, "stage": stage}
    chosen = {k: v for k, v in filters.items() if v}
    result = _run(lambda c: run_search(c, " ".join(query), filters=chosen, limit=limit), cfg)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    if result.did_you_mean:
        click.echo(f"Did you mean: {result.did_you_mean}?", err=True)
    if result.fuzzy:
        click.echo("No exact match; showing close matches.", err=True)
    if not result.hits:
        click.echo(f"No results for {result.query!r}.")
        return
    for rank, hit in enumerate(result.hits, 1):
        where = ", ".join(x for x in (hit.kind, hit.framework) if x)
        click.echo(f"{rank:2}. {hit.title}  ({where})  {hit.url}")
        click.echo(f"    {hit.snippet}")


@cli.command()
@_root_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; loopback unless told otherwise.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--interval", default=1.0, show_default=True, type=float, help="Seconds between change checks."
)
def serve(root: Path, host: str, port: int, interval: float) -> None:
    """Build, serve site/ over HTTP, and rebuild when content changes."""
    import functools
    import http.server  # here: importing it costs every other command 60 ms

    from builder.pipeline import build as run_build

    class _QuietHandler(http.server.SimpleHTTPRequestHandler):
        """Serve files, logging requests at debug level only."""

        def log_message(self, format: str, *args: Any) -> None:
            log.debug(format, *args)

    cfg = BuildConfig.from_root(root)
    # The watcher's baseline is taken here, before the first build, not in its thread: a
    # thread that starts late would take an edit made meanwhile as its baseline and miss it.
    # An edit made during the first build is then caught by the first check.
    baseline = _snapshot(cfg)
    _run(run_build, cfg)
    handler = functools.partial(_QuietHandler, directory=str(cfg.site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    watcher = threading.Thread(target=_watch, args=(cfg, interval, baseline), daemon=True)
    watcher.start()
    click.echo(
        f"Serving {cfg.site_dir} at http://{host}:{server.server_address[1]}/ (Ctrl+C stops)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _checked(cfg: BuildConfig) -> CheckResult:
    from builder.pipeline import check as run_check

    return run_check(cfg)


def _resolve(corpus: Corpus, name: str) -> str:
    from builder.alignment import resolve
    from builder.errors import AmbiguousName

    try:
        return resolve(corpus, name)
    except AmbiguousName as e:
        raise click.ClickException(str(e)) from None


def _check_framework(corpus: Corpus, framework: str) -> None:
    ids = sorted(n.id for n in corpus if n.kind == "framework")
    if framework not in ids:
        raise click.ClickException(f"unknown framework {framework!r}; use one of: {', '.join(ids)}")


def main() -> None:
    """Run the CLI."""
    skip_final_collection()
    cli(prog_name="portal")


def skip_final_collection() -> None:
    """Let this process end without the collector's last walk through everything it holds.

    At exit Python collects once more, over every object still alive: after a build, the
    site's pages and mkdocs' state, some 0.13 s of CPU spent on memory about to be returned
    anyway. A process that ends once its command is done calls this first.
    """
    atexit.register(gc.freeze)


# -----------------------------------------------------------------------------


def _run(func: Callable[[C], T], cfg: C) -> T:
    """Call ``func(cfg)``; a :class:`BuilderError` becomes click's exit 1 with its message."""
    try:
        return func(cfg)
    except BuilderError as e:
        raise click.ClickException(str(e)) from e


def _print_warnings(problems: Iterable[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)


def _snapshot(cfg: BuildConfig) -> dict[Path, tuple[int, int]]:
    """Each watched file's modification time (ns) and size: a rewrite changes one of them."""
    paths = [cfg.mkdocs_config, cfg.project_file]
    for folder in (cfg.content_dir, cfg.mappings_dir, cfg.assessment_file.parent, *cfg.overlays):
        if folder.is_dir():
            paths.extend(p for p in folder.rglob("*") if p.is_file())
    snapshot = {}
    for p in paths:
        try:
            stat = p.stat()
        except FileNotFoundError:  # removed between the listing and the stat
            continue
        snapshot[p] = (stat.st_mtime_ns, stat.st_size)
    return snapshot


def _watch(
    cfg: BuildConfig,
    interval: float,
    last: dict[Path, tuple[int, int]],
    stop: threading.Event | None = None,
) -> None:
    """Rebuild whenever the watched files differ from ``last``, until ``stop`` is set.

    The project file is read again at each check, so an overlay added to it is watched too.
    """
    stop = stop or threading.Event()
    while not stop.wait(interval):
        now = _snapshot(BuildConfig.from_root(cfg.root))
        if now == last:
            continue
        last = now
        click.echo("Change detected; rebuilding ...", err=True)
        if _rebuild(cfg.root):
            click.echo("Rebuilt.", err=True)
        else:
            click.echo("The previous site is still served.", err=True)


def _rebuild(root: Path) -> bool:
    """Run ``portal build`` in a fresh process; whether it succeeded.

    Not in this process: the build forks its search-index worker, and a fork of this
    threaded server could inherit a lock held by a request thread and hang. A fresh
    process also picks up a changed project file or builder code.
    """
    import subprocess  # here: only serve needs it

    quiet = [] if log.isEnabledFor(logging.INFO) else ["-q"]
    command = [sys.executable, "-m", "builder", *quiet, "build", "--root", str(root)]
    return subprocess.run(command, check=False).returncode == 0
