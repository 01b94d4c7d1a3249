"""What a reader sees: no page of the real site shows Markdown that failed to render.

Every built page is parsed (no browser: the check reads the HTML mkdocs wrote) and its visible
text, outside code, is searched for the traces a broken generator leaves: task-list brackets,
attribute lists, wiki links, bold markers, link targets, table rules and lists that ran together
into one paragraph or one item.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: Elements whose text a reader does not see as prose (code keeps Markdown on purpose).
SKIP = {"script", "style", "code", "pre", "kbd", "template", "noscript"}
#: Block elements whose text is checked one by one.
BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}

TRACES = {
    "task-list brackets": re.compile(r"(?:^|\s)\[[ xX]\](?=\s|$)"),
    "attribute list": re.compile(r"\{:\s*[.#]?[\w-]"),
    "wiki link": re.compile(r"\[\[[^\]]+\]\]"),
    "bold markers": re.compile(r"(?<![\w*])\*\*(?=\S)[^*\n]+(?<=\S)\*\*(?![\w*])"),
    "link target": re.compile(r"\]\([^)\s]+\)"),
    "table rule": re.compile(r"\|\s*:?-{3,}"),
    "heading hashes": re.compile(r"(?m)^\s*#{1,6} \S"),
}
#: A line of a paragraph that starts like a list item: the list was not recognised.
LIST_IN_PARAGRAPH = re.compile(r"\S[ \t]*\n[ \t]*(?:[-*+]|\d{1,3}\.) \S")
#: An item that holds the next items: "Escalate an incident- Fulfil a request- ...".
RUN_TOGETHER = re.compile(r"</a>\s*(?:\([^)<]*\))?\s*[-*+]\s+<a\b")


class _Text(HTMLParser):
    """Collect the visible text of each block element, outside code and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self._skip += 1
        elif tag in BLOCKS:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self._skip = max(self._skip - 1, 0)
        elif tag in BLOCKS and self._open:
            name, parts = self._open.pop()
            text = "".join(parts)
            self.blocks.append((name, text))
            if self._open:
                self._open[-1][1].append(text)

    def handle_data(self, data: str) -> None:
        if not self._skip and self._open:
            self._open[-1][1].append(data)


def problems_in(html: str) -> list[str]:
    """Return what is wrong with one page's HTML, one line per trace found."""
    body = html.split("<body", 1)[-1]
    parser = _Text()
    parser.feed(body)
    found = []
    for tag, text in parser.blocks:
        patterns = list(TRACES.items())
        if tag == "p":
            patterns.append(("list marker inside a paragraph", LIST_IN_PARAGRAPH))
        for name, pattern in patterns:
            m = pattern.search(text)
            if m:
                start = max(m.start() - 30, 0)
                found.append(f"{name}: {text[start : m.end() + 30]!r}")
    for m in RUN_TOGETHER.finditer(body):
        found.append(f"list items run together: {body[max(m.start() - 60, 0) : m.end() + 20]!r}")
    return found


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_page_shows_literal_markdown(site):
    pages = built_pages(site)
    assert len(pages) > 400  # the real site, every page of it
    report = {
        p.relative_to(site).as_posix(): problems
        for p in pages
        if (problems := problems_in(p.read_text(encoding="utf-8")))
    }
    summary = "\n".join(
        f"{page}: {found[0]} (+{len(found) - 1} more)" for page, found in report.items()
    )
    assert report == {}, f"{len(report)} of {len(pages)} pages show raw Markdown:\n{summary}"


@pytest.mark.parametrize(
    ("html", "trace"),
    [
        ("<p>When: now.\n- [ ] Check the log</p>", "task-list brackets"),
        ("<p>Legend: x{: .portal-legend }</p>", "attribute list"),
        ("<li>See [[itil-change-management]]</li>", "wiki link"),
        ("<td>**itil:** 3 of 26</td>", "bold markers"),
        ("<p>[Open](maps/x.md) and more</p>", "link target"),
        ("<p>| a | b |\n|---|---|</p>", "table rule"),
        ("<p>Intro\n1. First step</p>", "list marker inside a paragraph"),
        ('<ul><li><a href="a.html">A</a>- <a href="b.html">B</a></li></ul>', "run together"),
    ],
)
def test_each_trace_is_caught(html, trace):
    assert any(trace in p for p in problems_in(f"<body>{html}</body>")), problems_in(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>Pre- and post-implementation reviews; a 2**10 byte buffer.</p>",
        "<p>The <code>- [ ]</code> syntax and <code>[[id]]</code> links.</p>",
        '<ul><li><a href="a.html">A</a> (task)</li><li><a href="b.html">B</a></li></ul>',
        "<p>Read it [sic] and call (0800) 123.</p>",
        "<p>Recorded between ITIL (edition\n2011) and MOF</p>",
        "<ul><li><a>\n        1. Write the statements\n</a></li></ul>",
    ],
)
def test_correct_pages_pass(html):
    assert problems_in(f"<body>{html}</body>") == []


TEMPLATES = Path(__file__).resolve().parent.parent / "builder" / "render" / "templates"


def test_no_template_line_loses_its_newline():
    """Jinja's trim_blocks eats the newline after a block tag that ends a line of text, which
    joins that line to the next (a list item to the next item, a paragraph to a list)."""
    tag_at_end = re.compile(r"\{%-?[^%]*[^+]%\}$")
    joined = [
        f"{path.name}:{number}: {line.strip()[-50:]}"
        for path in sorted(TEMPLATES.glob("*.j2"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if tag_at_end.search(line) and re.sub(r"\{%.*?%\}", "", line).strip()
    ]
    assert joined == [], "end these lines with `+%}` to keep their newline"
