"""Read content/**/*.md into :class:`~builder.model.Guidance` records.

Each file is front matter between ``---`` lines, then a Markdown body. Every problem is
collected with its ``path:line``; a file whose front matter cannot be read yields no node.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from builder.config import BuildConfig
from builder.errors import Problem, SourceLocation, sort_problems
from builder.load.anatomy import read_fields, read_subprocesses
from builder.load.schema import FRONT_MATTER, check_fields
from builder.load.yamlutil import LineDict, decode, parse_yaml
from builder.model import Automation, Guidance, Link, Section

__all__ = [
    "BodyScan",
    "body_lines",
    "count_steps",
    "count_words",
    "guidance_of",
    "load_content",
    "parse_guidance",
    "scan_body",
    "split_front_matter",
]

log = logging.getLogger(__name__)

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")
LINK = re.compile(r"\[\[([^\]|]+?)(?:\|([^\]]+))?\]\]")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*")
TAG = re.compile(r"<[^>]+>")
STEP = re.compile(r"^\d+[.)]\s")
ID_LINE = re.compile(r"^id:\s*['\"]?([\w-]+)", re.MULTILINE)


def load_content(cfg: BuildConfig) -> tuple[list[Guidance], list[Problem], set[str]]:
    """Read every Markdown file under ``cfg.content_dir``.

    Returns:
        The nodes in path order, every problem found while reading them, and the ids of files
        that could not be read (so that links to them are not reported a second time).
    """
    nodes: list[Guidance] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    if not cfg.content_dir.is_dir():
        loc = SourceLocation(cfg.relpath(cfg.content_dir), 1)
        return nodes, [Problem(loc, "no-content", "content folder not found")], unreadable
    for path in sorted(cfg.content_dir.rglob("*.md")):
        raw = path.read_bytes()
        node, found = parse_guidance(raw, cfg.relpath(path))
        problems.extend(found)
        if node is not None:
            nodes.append(node)
        else:
            guess = ID_LINE.search(raw.decode("utf-8", errors="replace"))
            unreadable.add(guess.group(1) if guess else path.stem)
    log.debug("read %d content files", len(nodes))
    return nodes, problems, unreadable


def split_front_matter(raw: bytes, path: str) -> tuple[LineDict | None, str, int, list[Problem]]:
    """Split a Markdown source into its front matter (parsed, with lines) and its body.

    Returns:
        The front matter (None when it cannot be read), the body, the body's first line, and
        the problems that stopped the reading.
    """
    text, problems = decode(raw, path)
    if text is None:
        return None, "", 1, problems
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        msg = "missing front matter: the file must start with a '---' line"
        return None, "", 1, [Problem(SourceLocation(path, 1), "no-front-matter", msg)]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        msg = "front matter is not closed: add a '---' line after it"
        return None, "", 1, [Problem(SourceLocation(path, 1), "no-front-matter", msg)]
    data, problems = parse_yaml("\n".join(lines[1:end]), path, line_offset=1, what="front matter")
    if problems:
        return None, "", 1, problems
    if not isinstance(data, LineDict):
        msg = f"front matter must be a mapping of fields; got {type(data).__name__}"
        return None, "", 1, [Problem(SourceLocation(path, 2), "bad-yaml", msg)]
    return data, "\n".join(lines[end + 1 :]), end + 2, []


def parse_guidance(raw: bytes, path: str) -> tuple[Guidance | None, list[Problem]]:
    """Parse one content file's bytes; ``path`` is used in messages only."""
    data, body, body_line, problems = split_front_matter(raw, path)
    if data is None:
        return None, problems
    return guidance_of(data, body, body_line, path)


def guidance_of(
    data: LineDict, body: str, body_line: int, path: str
) -> tuple[Guidance | None, list[Problem]]:
    """Return the node that front matter ``data`` and ``body`` declare, and their problems."""
    problems = list(check_fields(data, FRONT_MATTER, path))
    node_id = data.get("id")
    automates = _automations(data, path, problems)
    subprocesses = read_subprocesses(data, path, problems)
    fields = read_fields(data, path, problems)
    problems = sort_problems(problems)
    if not isinstance(node_id, str) or not node_id:
        return None, problems
    scan = scan_body(body, path, body_line)
    node = Guidance(
        id=node_id,
        kind=_str(data, "kind"),
        title=_str(data, "title") or node_id,
        summary=_str(data, "summary"),
        source=SourceLocation(path, 1),
        framework=_str(data, "framework") or None,
        parent=_str(data, "parent") or None,
        aliases=_strs(data, "aliases"),
        editions=_strs(data, "editions"),
        edition_notes=_str(data, "edition_notes") or None,
        order=data["order"] if isinstance(data.get("order"), int) else None,
        short=_str(data, "short") or None,
        colour=_str(data, "colour") or None,
        shape=_str(data, "shape") or None,
        sources=_strs(data, "sources"),
        former_ids=_strs(data, "former_ids"),
        automates=automates,
        sits=_strs(data, "sits"),
        performer=_strs(data, "performer"),
        accountable=_str(data, "accountable") or None,
        stage=_str(data, "stage") or None,
        carries_out=_strs(data, "carries_out"),
        tools=_strs(data, "tools"),
        trigger=_str(data, "trigger") or None,
        frequency=_str(data, "frequency") or None,
        inputs=_strs(data, "inputs"),
        outputs=_strs(data, "outputs"),
        subprocesses=subprocesses,
        used_by=_strs(data, "used_by"),
        fields=fields,
        steps=scan.steps,
        body=body,
        body_line=body_line,
        sections=tuple(scan.sections),
        links=tuple(scan.links),
        words=scan.words,
        field_lines=tuple(sorted(data.key_lines.items())),
    )
    return node, problems


def count_words(body: str) -> int:
    """Count the words of a Markdown body, leaving out code, HTML tags, headings and link ids.

    >>> count_words("## Scope\\nTwo words [[a-b|here]].\\n```\\nnot counted\\n```")
    3
    """
    return scan_body(body, "", 1).words


def count_steps(body: str) -> int:
    """Count the top-level numbered items of the ``## Steps`` section.

    >>> count_steps("## Steps\\n1. **Do.** Why.\\n    1. sub\\n2. Next.\\n## Done when\\n1. x")
    2
    """
    return scan_body(body, "", 1).steps


class BodyScan(NamedTuple):
    """What a page body holds, read in one pass over its lines (code blocks aside)."""

    #: The ``##`` sections, where each is.
    sections: list[Section]
    #: The ``[[links]]``, where each is.
    links: list[Link]
    #: The top-level numbered items of the ``## Steps`` section.
    steps: int
    #: The words, leaving out headings, HTML tags and link ids (a link counts its text).
    words: int


def scan_body(body: str, path: str, first_line: int) -> BodyScan:
    """Read a body whose first line is ``first_line``: see :class:`BodyScan`.

    >>> scan = scan_body("## Steps\\n1. See [[a|the A]].\\n```\\n[[b]]\\n```", "x.md", 5)
    >>> [str(s.location) for s in scan.sections], [li.target for li in scan.links], scan[2:]
    (['x.md:5'], ['a'], (1, 4))
    """
    sections: list[Section] = []
    links: list[Link] = []
    steps = 0
    in_steps = False
    prose: list[str] = []  # the lines whose words count, links and tags replaced
    for offset, (line, in_code) in enumerate(body_lines(body)):
        if in_code:
            continue
        heading = HEADING.match(line)
        if heading:
            sections.append(Section(heading.group(1), SourceLocation(path, first_line + offset)))
            in_steps = heading.group(1) == "Steps"
        elif in_steps and STEP.match(line):
            steps += 1
        if "[[" in line:
            loc = SourceLocation(path, first_line + offset)
            for m in LINK.finditer(line):
                text = m.group(2).strip() if m.group(2) else None
                links.append(Link(m.group(1).strip(), text, loc))
        if line.lstrip().startswith("#"):
            continue
        if "[[" in line:
            line = LINK.sub(_link_words, line)
        if "<" in line:
            line = TAG.sub(" ", line)
        prose.append(line)
    # Words never span lines: they are counted over all the kept lines at once.
    return BodyScan(sections, links, steps, len(WORD.findall("\n".join(prose))))


def _link_words(m: re.Match[str]) -> str:
    return m.group(2) or "link"


def body_lines(body: str) -> Iterator[tuple[str, bool]]:
    """Yield each line with whether it sits inside a fenced code block (fences included)."""
    in_code = False
    for line in body.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
            yield line, True
            continue
        yield line, in_code


def _automations(data: LineDict, path: str, problems: list[Problem]) -> tuple[Automation, ...]:
    """Read ``automates: [{id: ..., reason: ...}]``; report entries that lack either."""
    items: Any = data.get("automates")
    if not isinstance(items, list):
        return ()
    found: list[Automation] = []
    for index, item in enumerate(items):
        if not isinstance(item, LineDict):
            continue  # reported by the schema check
        loc = SourceLocation(path, item.line)
        target, reason = item.get("id"), item.get("reason")
        if not isinstance(target, str) or not isinstance(reason, str) or not reason.strip():
            msg = f"automates[{index}] needs an 'id' and a 'reason' (one sentence saying what is automated)"
            problems.append(Problem(loc, "bad-automates", msg))
            continue
        found.append(Automation(target.strip(), " ".join(reason.split()), loc))
    return tuple(found)


def _str(data: LineDict, key: str) -> str:
    value: Any = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _strs(data: LineDict, key: str) -> tuple[str, ...]:
    value: Any = data.get(key)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str))
    return ()
