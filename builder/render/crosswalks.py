"""Crosswalk pages per framework pair: a matrix, the list of records, a CSV file, and gaps."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import jinja2

from builder.alignment import (
    WEAK,
    coverage,
    coverage_by_group,
    elements_of,
    gaps,
    pair_files,
    pair_records,
)
from builder.model import RELATION_WORDS, Corpus, Guidance, Mapping
from builder.render.nav import NavItem, Rendered, nav_title

__all__ = ["SYMBOLS", "coverage_chart", "crosswalk_csv", "render_crosswalks", "short_title"]

#: How a matrix cell shows each relation, read "row RELATION column".
SYMBOLS = {
    "equal": "=",
    "subset-of": "⊂",
    "superset-of": "⊃",
    "intersects-with": "∩",
    "no-relation": "∅",
}

#: The same relations as verbs, for a sentence: "A intersects with B", "A is a subset of B".
_VERBS = {
    "equal": "is equal to",
    "subset-of": "is a subset of",
    "superset-of": "is a superset of",
    "intersects-with": "intersects with",
    "no-relation": "has no relation to",
}


def render_crosswalks(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Return every pair's crosswalk, gap page and CSV, and the "Crosswalks" nav section: one
    entry per pair, its crosswalk with its gap analysis under it."""
    files: dict[str, str] = {}
    entries: dict[str, NavItem] = {}
    for header in pair_files(corpus):
        a, b = header.framework_ids
        if a not in corpus or b not in corpus:
            continue
        slug = f"{a}-{b}"
        records = pair_records(corpus, a, b)
        editions = dict(header.frameworks)
        context = {
            "a": corpus[a],
            "b": corpus[b],
            "slug": slug,
            "editions": editions,
            "records": _record_rows(corpus, _reading_order(corpus, records)),
            "matrices": _matrices(corpus, records, a, b),
            # Readers see framework names, not ids ("ITIL v3", not "itil").
            "coverage": [
                {"c": c, "title": corpus[c.framework].title} for c in coverage(corpus, a, b)
            ],
            "symbols": [(SYMBOLS[k], RELATION_WORDS[k]) for k in SYMBOLS],
            "weak": WEAK,
            "corner": f"{short_title(corpus[a])} ↓ / {short_title(corpus[b])} →",
        }
        files[f"crosswalks/{slug}.md"] = env.get_template("crosswalk.md.j2").render(**context)
        files[f"crosswalks/{slug}.csv"] = crosswalk_csv(corpus, records)
        sides = []
        for side, other in ((a, b), (b, a)):
            sides.append(
                {
                    "node": corpus[side],
                    "other": corpus[other],
                    "gaps": list(gaps(corpus, side, other)),
                    "chart": coverage_chart(coverage_by_group(corpus, side, other)),
                }
            )
        files[f"crosswalks/{slug}-gaps.md"] = env.get_template("gaps.md.j2").render(
            **context, sides=sides
        )
        title = nav_title(f"{corpus[a].title} and {corpus[b].title}")
        entries[f"crosswalks/{slug}.md"] = {
            title: [f"crosswalks/{slug}.md", {"Gap analysis": f"crosswalks/{slug}-gaps.md"}]
        }
    nav: list[NavItem] = [{"Crosswalks": [entries[p] for p in sorted(entries)]}] if entries else []
    return Rendered(files, nav)


def crosswalk_csv(corpus: Corpus, records: list[Mapping]) -> str:
    """Return the records as CSV, with titles, in reading order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "source",
            "source_title",
            "relation",
            "target",
            "target_title",
            "strength",
            "basis",
            "rationale",
            "notes",
            "file",
            "line",
        ]
    )
    for r in _reading_order(corpus, records):
        writer.writerow(
            [
                r.source,
                corpus[r.source].title,
                r.relation,
                r.target,
                corpus[r.target].title,
                r.strength,
                r.basis,
                r.rationale,
                r.notes or "",
                r.location.path,
                r.location.line,
            ]
        )
    return out.getvalue()


def coverage_chart(rows: list[dict[str, Any]]) -> str:
    """Return a horizontal stacked bar chart (inline SVG) of covered, weak and gap counts."""
    if not rows:
        return ""
    label_w, bar_w, row_h = 230, 420, 26
    height = 30 + len(rows) * row_h
    colours = {"covered": "#009E73", "weak": "#E69F00", "gap": "#D55E00"}
    parts = [
        f'<svg class="portal-chart" viewBox="0 0 {label_w + bar_w + 90} {height}" width="100%" '
        'role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Coverage by group: elements with a counterpart, with only weak '
        "ones, and with none</title>",
    ]
    lx = label_w
    for key, label in (
        ("covered", "covered"),
        ("weak", f"weak (strength {WEAK} or less)"),
        ("gap", "no counterpart"),
    ):
        parts.append(f'<rect x="{lx}" y="4" width="10" height="10" fill="{colours[key]}"/>')
        parts.append(f'<text x="{lx + 14}" y="13" class="ch-legend">{label}</text>')
        lx += 150
    for i, row in enumerate(rows):
        y = 26 + i * row_h
        total = row["covered"] + row["weak"] + row["gap"] or 1
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" class="ch-label">'
            f"{html.escape(row['group'])}</text>"
        )
        x = float(label_w)
        for key in ("covered", "weak", "gap"):
            width = bar_w * row[key] / total
            if width:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" fill="{colours[key]}">'
                    f"<title>{row[key]} {key}</title></rect>"
                )
            x += width
        share = round(100 * row["covered"] / total)
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" class="ch-label">{share}% '
            f"({row['covered']}/{total})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


#: Words that end many titles of a framework and tell its elements apart by nothing.
_GENERIC_ENDING = re.compile(r"\s+(?:Phase|Layer|Discipline|Accountability|SMF|milestone)$")
#: An acronym alias such as "GRC", "BITA" or "MOF 4.0".
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9/&]{1,5}(?: \d+(?:\.\d+)?)?$")
#: Labels longer than this are replaced by an acronym alias where there is one.
SHORT = 16


def short_title(node: Guidance) -> str:
    """Return a short column label for ``node``; the full title goes in its tooltip.

    >>> from builder.errors import SourceLocation
    >>> def n(title, *aliases):
    ...     return Guidance("x", "smf", title, "", SourceLocation("x.md"), aliases=aliases)
    >>> short_title(n("Operational Health Management Review"))
    'Operational Health MR'
    >>> short_title(n("Program Management (advocacy group)")), short_title(n("Plan Phase"))
    ('Program Management', 'Plan')
    >>> short_title(n("Service Monitoring and Control", "SMC")), short_title(n("Envision", "E"))
    ('SMC', 'Envision')
    >>> short_title(n("Microsoft Operations Framework 4.0", "MOF", "MOF 4.0", "Project Hana"))
    'MOF 4.0'
    """
    label = re.sub(r"\s*\([^)]*\)", "", node.title).strip() or node.title
    label = re.sub(r"\bManagement Review$", "MR", label)
    label = _GENERIC_ENDING.sub("", label) or label
    acronyms = sorted((a for a in node.aliases if _ACRONYM.match(a)), key=lambda a: (-len(a), a))
    if len(label) > SHORT and acronyms:
        return acronyms[0]
    return label


# -----------------------------------------------------------------------------


def _matrices(corpus: Corpus, records: list[Mapping], a: str, b: str) -> list[dict[str, Any]]:
    """One matrix for elements and one for roles (when roles are mapped)."""
    cells: dict[tuple[str, str], Mapping] = {}
    for r in records:
        side = r if corpus[r.source].framework == a or r.source == a else r.inverse()
        cells[(side.source, side.target)] = side
    matrices = []
    for title, is_role in (("Elements", False), ("Roles", True)):
        rows = _rows(corpus, a, cells, is_role)
        if not rows:
            continue
        columns = _columns(corpus, b, {t for (s, t) in cells if s in {r.id for r in rows}})
        matrices.append(
            {
                "title": title,
                "columns": [
                    {"id": c.id, "title": c.title, "short": short_title(c)} for c in columns
                ],
                "rows": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "cells": [_cell(cells.get((r.id, c.id)), r, c) for c in columns],
                    }
                    for r in rows
                ],
            }
        )
    return matrices


def _rows(
    corpus: Corpus, a: str, cells: dict[tuple[str, str], Mapping], roles: bool
) -> list[Guidance]:
    mapped = {s for s, _ in cells}
    if roles:
        return sorted(
            (n for n in corpus if n.framework == a and n.kind == "role" and n.id in mapped),
            key=lambda n: (n.order if n.order is not None else 99, n.title),
        )
    nodes = elements_of(corpus, a)
    extra = [
        corpus[s]
        for s in sorted(mapped)
        if s in corpus and corpus[s].kind != "role" and corpus[s] not in nodes
    ]
    return sorted(extra, key=lambda n: (n.kind != "framework", n.order or 0, n.title)) + nodes


def _columns(corpus: Corpus, b: str, targets: set[str]) -> list[Guidance]:
    nodes = [corpus[t] for t in targets if t in corpus]
    kind_rank = {"framework": 9, "phase": 0, "stage": 0}
    return sorted(
        nodes,
        key=lambda n: (
            kind_rank.get(n.kind, 1),
            n.kind,
            n.order if n.order is not None else 99,
            n.title,
        ),
    )


def _cell(record: Mapping | None, row: Guidance, column: Guidance) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "anchor": _anchor(row.id, column.id),
        "symbol": SYMBOLS[record.relation],
        "strength": record.strength if record.relation != "no-relation" else "",
        "relation": record.relation,
        "tip": f"{row.title} {_VERBS[record.relation]} {column.title}"
        + (f" (strength {record.strength}/10)" if record.relation != "no-relation" else "")
        + f": {record.rationale}",
    }


def _anchor(a: str, b: str) -> str:
    """The id of a record's row in the list, the same whichever way the record is read."""
    return "rec-" + "--".join(sorted((a, b)))


def _record_rows(corpus: Corpus, records: list[Mapping]) -> list[dict[str, Any]]:
    """The rows of the list; the first record of each pair carries the anchor a cell links to."""
    rows, anchored = [], set()
    for r in records:
        anchor = _anchor(r.source, r.target)
        rows.append({**_record_row(corpus, r), "anchor": "" if anchor in anchored else anchor})
        anchored.add(anchor)
    return rows


def _record_row(corpus: Corpus, r: Mapping) -> dict[str, Any]:
    return {
        "source": corpus[r.source],
        "target": corpus[r.target],
        "relation": RELATION_WORDS[r.relation],
        "symbol": SYMBOLS[r.relation],
        "strength": r.strength,
        "basis": r.basis,
        "rationale": r.rationale,
    }


def _reading_order(corpus: Corpus, records: list[Mapping]) -> list[Mapping]:
    def key(r: Mapping) -> tuple[Any, ...]:
        node = corpus[r.source]
        parent = corpus.by_id.get(node.parent or "")
        return (
            node.kind == "role",
            parent.order
            if parent and parent.order is not None
            else (0 if node.kind == "framework" else 99),
            node.order if node.order is not None else 99,
            node.title,
            corpus[r.target].title,
        )

    return sorted(records, key=key)
