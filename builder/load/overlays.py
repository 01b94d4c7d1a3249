"""Apply organisation overlays: a department's own guidance on top of the standard, no fork.

An overlay is a folder with the same content model as the project::

    overlay.yaml          name of the organisation, and the elements it has not adopted (hide)
    content/**/*.md       new nodes (any kind), or extensions of existing ones (``extends: id``)
    mappings/*.yaml       mapping records between its own elements and the frameworks

Overlays are applied in order, at load time: their nodes and records join the corpus, and an
extension is merged into the node it extends (sections added or replaced, a local title,
aliases, performers, tools, links) before the graph is built, so that rendering, search and the
maps see one corpus. content/ and mappings/ are never written. Every fault is a ``path:line``
problem; a replaced section records a fingerprint of the standard text it replaced, so that a
change upstream is reported (:func:`fingerprint`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.config import BuildConfig
from builder.errors import WARNING, Problem, SourceLocation
from builder.load.content import (
    HEADING,
    body_lines,
    count_steps,
    count_words,
    guidance_of,
    scan_body,
    split_front_matter,
)
from builder.load.mappings import parse_mapping_file
from builder.load.safety import unsafe_lines
from builder.load.schema import Field, check_fields, did_you_mean
from builder.load.yamlutil import LineDict, read_yaml
from builder.model import LOCAL, Guidance, Mapping, MappingFile, OverlayChange

__all__ = [
    "EXTENSION",
    "OVERLAY_FILE",
    "Overlaid",
    "StaleSection",
    "apply_overlays",
    "fingerprint",
    "section_text",
    "yaml_string",
]

log = logging.getLogger(__name__)

#: The optional description of an overlay, at its root.
OVERLAY_FILE = "overlay.yaml"

#: The front matter of an extension: a file that changes a node instead of declaring one.
EXTENSION: tuple[Field, ...] = (
    Field("extends", str, required=True),
    Field("title", str),
    Field("summary", str),
    Field("aliases", list),
    Field("performer", list),
    Field("tools", list),
    Field("carries_out", list),
    Field("links", list),
    Field("replace", dict),
    Field("insert", dict),
)
_OVERLAY_META: tuple[Field, ...] = (Field("name", str), Field("hide", list, items=dict))
_HIDE: tuple[Field, ...] = (Field("id", str, required=True), Field("reason", str, required=True))
_PROJECT: tuple[Field, ...] = (Field("overlays", list),)
#: The section that lists an extension's ``links``.
SEE_ALSO = "See also in our practice"


@dataclass(frozen=True, slots=True)
class StaleSection:
    """A replaced section whose recorded fingerprint is not that of the standard text now
    (or that records none): what ``portal overlay refresh`` shows and accepts."""

    #: The section's entry under ``replace`` in the overlay file.
    location: SourceLocation
    node_id: str
    title: str
    #: The fingerprint the overlay records ('' when none), and that of the standard text now.
    recorded: str
    current: str
    #: Where the standard section is now, and its text (without the heading line).
    standard: SourceLocation
    standard_text: str


@dataclass(frozen=True, slots=True)
class Overlaid:
    """The sources once every overlay is applied."""

    guidance: list[Guidance]
    mapping_files: list[MappingFile]
    mappings: list[Mapping]
    problems: list[Problem]
    unreadable: set[str] = field(default_factory=set)
    stale: list[StaleSection] = field(default_factory=list)


def fingerprint(text: str) -> str:
    """Return the fingerprint of a section's text: blank space and line ends do not count.

    >>> fingerprint("1. Do it.\\n") == fingerprint("1.  Do it.")
    True
    """
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def yaml_string(value: str) -> str:
    """Return ``value`` as YAML reads it back as the same string: quoted when it is all digits
    (a fingerprint can be, and YAML would read a number, leading zeros lost).

    >>> yaml_string("1083d235628b"), yaml_string("012345678901")
    ('1083d235628b', "'012345678901'")
    """
    return f"'{value}'" if value.isdigit() else value


def section_text(body: str, title: str) -> str | None:
    """Return the text of the ``## title`` section of ``body`` (without its heading line), or
    None when it has no such section: the text a fingerprint is taken of.

    >>> section_text("Intro.\\n\\n## Steps\\n\\n1. Do it.\\n\\n## Notes\\n\\nNone.", "Steps")
    '\\n1. Do it.\\n'
    """
    piece = next((p for p in _pieces(body, "", 1) if p.title == title), None)
    return None if piece is None else piece.content


def apply_overlays(
    cfg: BuildConfig,
    guidance: Sequence[Guidance],
    mapping_files: Sequence[MappingFile],
    mappings: Sequence[Mapping],
) -> Overlaid:
    """Read every overlay of ``cfg`` and merge it, in order, into the standard sources.

    Returns:
        The nodes (extended ones in place, local ones after), the mapping files and records
        (local ones after), and every problem found in the project file and the overlays.
    """
    problems = _check_project_file(cfg)
    state = _State(list(guidance))
    files, records = list(mapping_files), list(mappings)
    for folder in cfg.overlays:
        if not folder.is_dir():
            if not cfg.overlays_from_project:
                loc = SourceLocation(cfg.relpath(folder), 1)
                problems.append(Problem(loc, "no-overlay", "overlay folder not found"))
            continue  # the project file's entry is reported by _check_project_file
        name, hides = _read_meta(cfg, folder, problems)
        _apply_content(cfg, folder, name, state, problems)
        for item_id, reason, loc in hides:
            state.hide(item_id, reason, name, loc, problems)
        for path in _sources(folder / "mappings", ("*.yaml", "*.yml")):
            header, found, found_problems = parse_mapping_file(path.read_bytes(), cfg.relpath(path))
            problems.extend(found_problems)
            records.extend(replace(r, origin=LOCAL) for r in found)
            if header is not None:
                files.append(header)
    if cfg.overlays:
        log.debug("applied %d overlays", len(cfg.overlays))
    return Overlaid(state.nodes(), files, records, problems, state.unreadable, state.stale)


# -----------------------------------------------------------------------------
# The merge


@dataclass
class _Claim:
    """What one overlay file changed in a node: for the conflict check between overlays."""

    overlay: str
    location: SourceLocation


class _State:
    """The nodes so far, and what each overlay claimed, to report conflicts between overlays."""

    def __init__(self, standard: list[Guidance]) -> None:
        self.standard = standard
        self.by_id: dict[str, Guidance] = {}
        for n in standard:
            self.by_id.setdefault(n.id, n)
        self.local: list[Guidance] = []
        self.claims: dict[tuple[str, str], _Claim] = {}
        self.unreadable: set[str] = set()
        self.stale: list[StaleSection] = []

    def nodes(self) -> list[Guidance]:
        """Return every node: the first of each id as the overlays left it, duplicates as read."""
        out: list[Guidance] = []
        seen: set[str] = set()
        for n in [*self.standard, *self.local]:
            out.append(n if n.id in seen else self.by_id[n.id])
            seen.add(n.id)
        return out

    def add_local(self, node: Guidance) -> None:
        self.local.append(node)
        self.by_id.setdefault(node.id, node)

    def claim(
        self, node_id: str, what: str, overlay: str, loc: SourceLocation, problems: list[Problem]
    ) -> bool:
        """Record that ``overlay`` changes ``what`` of ``node_id``; False on a conflict."""
        key = (node_id, what)
        first = self.claims.get(key)
        if first is None:
            self.claims[key] = _Claim(overlay, loc)
            return True
        msg = f"conflicts with {first.location}: both change the {what} of {node_id!r}"
        if first.overlay != overlay:
            msg += f" (overlays {first.overlay!r} and {overlay!r}); keep the change in one of them"
        problems.append(Problem(loc, "overlay-conflict", msg))
        return False

    def hide(
        self,
        node_id: str,
        reason: str,
        overlay: str,
        loc: SourceLocation,
        problems: list[Problem],
    ) -> None:
        node = self.by_id.get(node_id)
        if node is None:
            msg = f"hides unknown id {node_id!r}{did_you_mean(node_id, self.by_id)}"
            problems.append(Problem(loc, "unknown-id", msg))
            return
        changed = next(
            (c for (i, w), c in self.claims.items() if i == node_id and w != "visibility"), None
        )
        if changed is not None:
            msg = f"hides {node_id!r}, which {changed.location} changes; keep one of the two"
            problems.append(Problem(loc, "overlay-conflict", msg))
            return
        if self.claim(node_id, "visibility", overlay, loc, problems):
            overlays = tuple(dict.fromkeys([*node.overlays, overlay]))
            self.by_id[node_id] = replace(node, hidden=" ".join(reason.split()), overlays=overlays)


def _apply_content(
    cfg: BuildConfig, folder: Path, name: str, state: _State, problems: list[Problem]
) -> None:
    extensions: list[tuple[LineDict, str, int, str]] = []
    for path in _sources(folder / "content", ("*.md",)):
        rel = cfg.relpath(path)
        data, body, body_line, found = split_front_matter(path.read_bytes(), rel)
        problems.extend(found)
        if data is None:
            state.unreadable.add(path.stem)
            continue
        for offset, what in unsafe_lines(body, outside=True):
            loc = SourceLocation(rel, body_line + offset)
            problems.append(Problem(loc, "unsafe-content", f"the body contains {what}"))
        if any(p.code == "unsafe-content" and p.location.path == rel for p in problems):
            continue  # nothing of an unsafe file reaches the site
        if "extends" in data:
            extensions.append((data, body, body_line, rel))
            continue
        node, found = guidance_of(data, body, body_line, rel)
        problems.extend(found)
        if node is None:
            state.unreadable.add(path.stem)
            continue
        if node.id in state.by_id and state.by_id[node.id].origin != LOCAL:
            other = state.by_id[node.id].source.path
            msg = (
                f"id {node.id!r} is a standard element ({other}); an overlay changes it with "
                f"'extends: {node.id}' instead of declaring it again"
            )
            problems.append(Problem(node.line_of("id"), "duplicate-id", msg))
            continue
        state.add_local(replace(node, origin=LOCAL, overlays=(name,)))
    # Extensions once the overlay's own nodes are known: they may link to them.
    for data, body, body_line, rel in extensions:
        _extend(data, body, body_line, rel, name, state, problems)


def _extend(
    data: LineDict,
    body: str,
    body_line: int,
    path: str,
    overlay: str,
    state: _State,
    problems: list[Problem],
) -> None:
    """Merge one extension file into the node it names."""
    node = _extension_target(data, path, state, problems)
    if node is None:
        return
    target_id = node.id
    # Claims first, so that every conflict between two overlays is reported at once.
    updates: dict[str, Any] = {}
    for key in ("title", "summary"):
        if key in data and state.claim(
            target_id, key, overlay, SourceLocation(path, data.line_of(key)), problems
        ):
            updates[key] = " ".join(str(data[key]).split())
    pieces = _pieces(node.body, node.source.path, node.body_line)
    ours = _our_sections(body, path, body_line, problems)
    changes = list(node.changes)
    merged = _merge_sections(data, path, pieces, ours, target_id, overlay, state, changes, problems)
    if merged is None:
        return
    extra_links = _links_section(data, path, state, problems)
    if extra_links is not None:
        merged.append(extra_links)
        changes.append(OverlayChange(SEE_ALSO, "added", overlay, extra_links.location()))
    new_body = "\n".join(p.text for p in merged)
    sections, links = [], []
    for p in merged:
        scan = scan_body(p.text, p.path, p.line)
        sections += scan.sections
        links += scan.links
    if "title" in updates and updates["title"] != node.title:
        updates["standard_title"] = node.standard_title or node.title
    aliases = [*node.aliases, *_strs(data, "aliases")]
    if "title" in updates and node.title not in aliases:
        aliases.append(node.title)
    for key in ("performer", "tools", "carries_out"):
        updates[key] = tuple(dict.fromkeys([*getattr(node, key), *_strs(data, key)]))
        _check_ids(data, key, path, state, problems)
    state.by_id[target_id] = replace(
        node,
        **updates,
        aliases=tuple(dict.fromkeys(aliases)),
        overlays=tuple(dict.fromkeys([*node.overlays, overlay])),
        body=new_body,
        sections=tuple(sections),
        links=tuple(links),
        steps=count_steps(new_body),
        words=count_words(new_body),
        changes=tuple(changes),
    )


def _extension_target(
    data: LineDict, path: str, state: _State, problems: list[Problem]
) -> Guidance | None:
    """Return the node an extension file names, or None (with its problems) when its front
    matter is wrong, the id is unknown, or another overlay hides that node."""
    found = list(check_fields(data, EXTENSION, path, what="extension front matter"))
    problems.extend(found)
    if any(p.is_error for p in found):
        return None
    target_id: str = data["extends"].strip()
    loc = SourceLocation(path, data.line_of("extends"))
    node = state.by_id.get(target_id)
    if node is None:
        hint = did_you_mean(target_id, state.by_id)
        problems.append(Problem(loc, "unknown-id", f"extends unknown id {target_id!r}{hint}"))
        return None
    if node.hidden is not None:
        msg = f"extends {target_id!r}, which an overlay hides; keep one of the two"
        problems.append(Problem(loc, "overlay-conflict", msg))
        return None
    return node


def _our_sections(body: str, path: str, body_line: int, problems: list[Problem]) -> list[_Piece]:
    """Return an extension body's ``##`` sections; text before the first heading is an error
    (an extension adds whole sections) and blank lines there are ignored."""
    ours = _pieces(body, path, body_line)
    if ours and ours[0].title is None:
        if ours[0].text.strip():
            blank = len(ours[0].text) - len(ours[0].text.lstrip("\n"))
            where = SourceLocation(path, ours[0].line + blank)
            msg = "text before the first '## ' heading: an extension adds whole sections"
            problems.append(Problem(where, "bad-extension", msg))
        ours = ours[1:]
    return ours


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of a body (the text before the first heading, or one ``##`` section)."""

    title: str | None
    text: str
    path: str
    line: int

    def location(self) -> SourceLocation:
        return SourceLocation(self.path, self.line)

    @property
    def content(self) -> str:
        """The section's text without its heading line."""
        return self.text.split("\n", 1)[1] if self.title is not None and "\n" in self.text else ""


def _pieces(body: str, path: str, first_line: int) -> list[_Piece]:
    """Split a body at its ``##`` headings (outside code); the first piece may have no title."""
    pieces: list[_Piece] = []
    lines: list[str] = []
    title: str | None = None
    start = 0
    for offset, (line, in_code) in enumerate(body_lines(body)):
        heading = None if in_code else HEADING.match(line)
        if heading:
            if lines or title is not None:
                pieces.append(_Piece(title, "\n".join(lines), path, first_line + start))
            title, lines, start = heading.group(1), [], offset
        lines.append(line)
    if lines or title is not None:
        pieces.append(_Piece(title, "\n".join(lines), path, first_line + start))
    return pieces


def _merge_sections(
    data: LineDict,
    path: str,
    pieces: list[_Piece],
    ours: list[_Piece],
    target_id: str,
    overlay: str,
    state: _State,
    changes: list[OverlayChange],
    problems: list[Problem],
) -> list[_Piece] | None:
    """Return the node's pieces with the extension's sections replaced, inserted or appended."""
    before = len(problems)
    merge = _SectionMerge(data, path, target_id, overlay, state, changes, problems, pieces, ours)
    merge.check_new_titles()
    merge.replace()
    merge.insert()
    merge.append_the_rest()
    if any(p.is_error for p in problems[before:]):
        return None
    return merge.merged


@dataclass
class _SectionMerge:
    """One extension's sections merged into its target's: ``merged`` starts as the standard
    pieces; each step records what it changed in ``changes`` and what is wrong in ``problems``."""

    data: LineDict
    path: str
    target_id: str
    overlay: str
    state: _State
    changes: list[OverlayChange]
    problems: list[Problem]
    pieces: list[_Piece]
    ours: list[_Piece]
    merged: list[_Piece] = field(init=False)

    def __post_init__(self) -> None:
        self.merged = list(self.pieces)
        self.replaces: dict[str, Any] = self.data.get("replace") or LineDict()
        self.inserts: dict[str, Any] = self.data.get("insert") or LineDict()
        self.mine = {p.title: p for p in self.ours}
        self.titles = [p.title for p in self.pieces if p.title is not None]

    def _listed(self, title: str | None) -> bool:
        return title in self.replaces or title in self.inserts

    def _problem(self, where: SourceLocation, code: str, msg: str) -> None:
        self.problems.append(Problem(where, code, msg))

    def _named(self, key: str, title: str) -> SourceLocation | None:
        """Return where ``key`` ('replace' or 'insert') names ``title``, or None (and a
        problem) when this file has no such section to put in."""
        where = SourceLocation(self.path, _key_line(self.data, key, title))
        if title in self.mine:
            return where
        msg = f"{key!r} names section {title!r}, but this file has no '## {title}'"
        self._problem(where, "bad-extension", msg)
        return None

    def check_new_titles(self) -> None:
        """A section of ours that the target already has must be listed under 'replace'."""
        for piece in self.ours:
            assert piece.title is not None
            if self._listed(piece.title) or piece.title not in self.titles:
                continue
            msg = (
                f"{self.target_id!r} already has a section {piece.title!r}: list it under "
                f"'replace' to replace it, or give the new section another heading"
            )
            self._problem(piece.location(), "bad-extension", msg)

    def replace(self) -> None:
        for key in self.replaces:
            title = str(key)
            where = self._named("replace", title)
            if where is None:
                continue
            index = next((i for i, p in enumerate(self.merged) if p.title == title), None)
            if index is None:
                hint = did_you_mean(title, self.titles)
                msg = f"replaces section {title!r} of {self.target_id}, which has no such section{hint}"
                self._problem(where, "unknown-section", msg)
                continue
            claimed = f"section {title!r}"
            if not self.state.claim(self.target_id, claimed, self.overlay, where, self.problems):
                continue
            standard, ours = self.merged[index], self.mine[title]
            recorded = self.replaces[key]
            _check_fingerprint(
                title, self.target_id, standard, recorded, where, self.state, self.problems
            )
            self.merged[index] = ours
            self.changes.append(
                OverlayChange(title, "replaced", self.overlay, ours.location(), standard.content)
            )

    def insert(self) -> None:
        for key, after in self.inserts.items():
            title = str(key)
            where = self._named("insert", title)
            if where is None:
                continue
            index = next((i for i, p in enumerate(self.merged) if p.title == after), None)
            if not isinstance(after, str) or index is None:
                hint = did_you_mean(str(after), self.titles)
                msg = f"inserts {title!r} after section {after!r} of {self.target_id}, which has no such section{hint}"
                self._problem(where, "unknown-section", msg)
                continue
            self.merged.insert(index + 1, self.mine[title])
            self.changes.append(
                OverlayChange(title, "added", self.overlay, self.mine[title].location())
            )

    def append_the_rest(self) -> None:
        """Sections of ours that are new and not placed go at the end, in file order."""
        for piece in self.ours:
            if self._listed(piece.title) or piece.title in self.titles:
                continue
            self.merged.append(piece)
            self.changes.append(
                OverlayChange(str(piece.title), "added", self.overlay, piece.location())
            )


def _check_fingerprint(
    title: str,
    target_id: str,
    standard: _Piece,
    recorded: Any,
    where: SourceLocation,
    state: _State,
    problems: list[Problem],
) -> None:
    """Warn when the standard text changed since the overlay replaced it, or has no record."""
    current = fingerprint(standard.content)
    written = "" if recorded is None else str(recorded).strip()
    if written != current:
        stale = StaleSection(
            where, target_id, title, written, current, standard.location(), standard.content
        )
        state.stale.append(stale)
    if not written:
        msg = (
            f"replaces section {title!r} of {target_id} but records no fingerprint of the "
            f"standard text; write it as '{title}: {yaml_string(current)}' under 'replace'"
        )
        problems.append(Problem(where, "no-fingerprint", msg, WARNING))
    elif written != current:
        msg = (
            f'replaces section "{title}" of {target_id}, which changed since; review the new '
            f"standard text ({standard.location()}), then record its fingerprint: "
            f"'{title}: {yaml_string(current)}'"
        )
        problems.append(Problem(where, "standard-changed", msg, WARNING))


def _links_section(
    data: LineDict, path: str, state: _State, problems: list[Problem]
) -> _Piece | None:
    """The section that lists an extension's ``links``, or None when it has none."""
    ids = _strs(data, "links")
    if not ids:
        return None
    line = data.line_of("links")
    for target in ids:
        if target not in state.by_id:
            msg = f"unknown id {target!r} in 'links'{did_you_mean(target, state.by_id)}"
            problems.append(Problem(SourceLocation(path, line), "unknown-id", msg))
    known = [i for i in ids if i in state.by_id]
    # Every line of the generated section points at the 'links' key, for messages.
    text = "\n".join([f"## {SEE_ALSO}", "", *(f"- [[{i}]]" for i in known)])
    return _Piece(SEE_ALSO, text, path, line)


def _check_ids(data: LineDict, key: str, path: str, state: _State, problems: list[Problem]) -> None:
    for target in _strs(data, key):
        if target not in state.by_id:
            loc = SourceLocation(path, data.line_of(key))
            msg = f"unknown id {target!r} in {key!r}{did_you_mean(target, state.by_id)}"
            problems.append(Problem(loc, "unknown-id", msg))


# -----------------------------------------------------------------------------
# Files


def _check_project_file(cfg: BuildConfig) -> list[Problem]:
    """Report the faults of portal.yaml (when it names the overlays of this build)."""
    path = cfg.project_file
    if not cfg.overlays_from_project or not path.is_file():
        return []
    rel = cfg.relpath(path)
    data, problems = read_yaml(path.read_bytes(), rel)
    if problems:
        return problems
    if data is None:
        return []
    if not isinstance(data, LineDict):
        return [Problem(SourceLocation(rel, 1), "bad-yaml", "portal.yaml must be a mapping")]
    problems = list(check_fields(data, _PROJECT, rel, what="portal.yaml"))
    items = data.get("overlays")
    if isinstance(items, list):
        for index, item in enumerate(items):
            # A block list puts item i on the i-th line after its key.
            loc = SourceLocation(rel, data.line_of("overlays") + 1 + index)
            if not isinstance(item, str):
                problems.append(Problem(loc, "bad-type", f"overlays[{index}] must be a folder"))
            elif not (cfg.root / item).is_dir():
                msg = f"overlay folder {item!r} not found (relative to {cfg.relpath(cfg.root) or '.'})"
                problems.append(Problem(loc, "no-overlay", msg))
    return problems


def _read_meta(
    cfg: BuildConfig, folder: Path, problems: list[Problem]
) -> tuple[str, list[tuple[str, str, SourceLocation]]]:
    """Return the overlay's name and what it hides: ``(id, reason, location)``."""
    path = folder / OVERLAY_FILE
    if not path.is_file():
        return folder.name, []
    rel = cfg.relpath(path)
    data, found = read_yaml(path.read_bytes(), rel)
    problems.extend(found)
    if not isinstance(data, LineDict):
        if data is not None and not found:
            msg = "overlay.yaml must be a mapping with 'name' and 'hide'"
            problems.append(Problem(SourceLocation(rel, 1), "bad-yaml", msg))
        return folder.name, []
    problems.extend(check_fields(data, _OVERLAY_META, rel, what="overlay.yaml"))
    name = data["name"].strip() if isinstance(data.get("name"), str) else folder.name
    hides: list[tuple[str, str, SourceLocation]] = []
    items = data.get("hide")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, LineDict):
            continue  # reported by check_fields
        found = list(check_fields(item, _HIDE, rel, what=f"hide[{index}]"))
        problems.extend(found)
        if not any(p.is_error for p in found):
            hides.append((item["id"].strip(), item["reason"], SourceLocation(rel, item.line)))
    return name, hides


def _sources(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted({p for pattern in patterns for p in folder.rglob(pattern)})


def _key_line(data: LineDict, key: str, inner: Any) -> int:
    value = data.get(key)
    if isinstance(value, LineDict):
        return value.line_of(inner)
    return data.line_of(key)


def _strs(data: LineDict, key: str) -> list[str]:
    value = data.get(key)
    return [v.strip() for v in value if isinstance(v, str)] if isinstance(value, list) else []
