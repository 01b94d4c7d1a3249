"""Read the glossary, ``content/glossary.yaml``: ITSM terms and acronyms kept as data.

Each term has a definition; an acronym also has its expansion, which pages show on hover and
search uses as a synonym.

Each organisation overlay may have a glossary of its own, ``content/glossary.yaml`` in the
overlay folder, in the same format: its terms join the standard ones, marked local. A local
term that has the name of a standard term (letter case aside) is an error unless it says
``overrides: true``: then it takes the standard term's place, and the standard definition is
kept to be shown beside it. Two overlays that override the same term conflict; a later overlay
may override a term an earlier one added.
"""

from __future__ import annotations

from dataclasses import replace

from builder.config import BuildConfig
from builder.errors import Problem, SourceLocation
from builder.load.schema import Field, check_fields, did_you_mean
from builder.load.yamlutil import LineDict, read_yaml
from builder.model import LOCAL, STANDARD, Term

__all__ = ["GLOSSARY_FILE", "LOCAL_TERM_FIELDS", "TERM_FIELDS", "load_glossary", "parse_glossary"]

GLOSSARY_FILE = "glossary.yaml"

TERM_FIELDS: tuple[Field, ...] = (
    Field("term", str, required=True),
    Field("expansion", str),
    Field("definition", str, required=True),
    Field("see", list),
)
#: An overlay's terms may also replace a standard one.
LOCAL_TERM_FIELDS: tuple[Field, ...] = (*TERM_FIELDS, Field("overrides", bool))


def load_glossary(cfg: BuildConfig) -> tuple[list[Term], list[Problem]]:
    """Read ``content/glossary.yaml`` when it exists, then each overlay's glossary, in order.

    Returns:
        The terms (standard ones in file order, an overridden one in its place, local ones
        after), and every problem found.
    """
    terms: list[Term] = []
    problems: list[Problem] = []
    path = cfg.content_dir / GLOSSARY_FILE
    if path.is_file():
        terms, problems = parse_glossary(path.read_bytes(), cfg.relpath(path))
    for folder in cfg.overlays:
        path = folder / "content" / GLOSSARY_FILE
        if path.is_file():
            local, found = parse_glossary(path.read_bytes(), cfg.relpath(path), local=True)
            problems.extend(found)
            problems.extend(_merge(terms, local))
    return terms, problems


def parse_glossary(
    raw: bytes, path: str, *, local: bool = False
) -> tuple[list[Term], list[Problem]]:
    """Parse the glossary's bytes (an overlay's when ``local``); ``path`` is for messages only.

    A local term that overrides a standard one comes with ``standard_definition`` set to ''
    until :func:`load_glossary` finds the standard term.
    """
    data, problems = read_yaml(raw, path)
    if problems:
        return [], problems
    items = data.get("terms") if isinstance(data, LineDict) else None
    if not isinstance(items, list):
        msg = "the glossary must be a mapping with a 'terms' list"
        return [], [Problem(SourceLocation(path, 1), "bad-glossary", msg)]
    fields = LOCAL_TERM_FIELDS if local else TERM_FIELDS
    terms: list[Term] = []
    for index, item in enumerate(items):
        if not isinstance(item, LineDict):
            msg = f"terms[{index}] must be a mapping with term and definition; got {item!r}"
            problems.append(Problem(SourceLocation(path, data.line_of("terms")), "bad-term", msg))
            continue
        found = list(check_fields(item, fields, path, what=f"terms[{index}]"))
        problems.extend(found)
        if any(p.is_error for p in found):
            continue
        terms.append(
            Term(
                term=item["term"].strip(),
                definition=" ".join(item["definition"].split()),
                expansion=(item.get("expansion") or "").strip() or None,
                see=tuple(item.get("see") or ()),
                location=SourceLocation(path, item.line),
                origin=LOCAL if local else STANDARD,
                standard_definition="" if local and item.get("overrides") is True else None,
            )
        )
    return terms, problems


def _merge(terms: list[Term], local: list[Term]) -> list[Problem]:
    """Add one overlay's terms to ``terms`` (in place); return the problems of the rules above."""
    problems: list[Problem] = []
    index = {t.term.casefold(): i for i, t in enumerate(terms)}
    mine: dict[str, SourceLocation] = {}
    for term in local:
        key = term.term.casefold()
        overrides = term.standard_definition is not None
        if key in mine:  # twice in this file: validate's duplicate check has the words for it
            msg = f"duplicate glossary term {term.term!r}: first at {mine[key]}"
            problems.append(Problem(term.location, "duplicate-term", msg))
            continue
        mine[key] = term.location
        at = index.get(key)
        if at is None:
            if overrides:
                hint = did_you_mean(term.term, [t.term for t in terms if t.origin == STANDARD])
                msg = f"glossary term {term.term!r} overrides no standard term{hint}"
                problems.append(Problem(term.location, "unknown-term", msg))
                continue
            index[key] = len(terms)
            terms.append(replace(term, standard_definition=None))
            continue
        first = terms[at]
        whose = "a standard term" if first.origin == STANDARD else "a term of an earlier overlay"
        if not overrides:
            msg = (
                f"glossary term {term.term!r} is already {whose} ({first.location}); to give it "
                f"this organisation's definition, add 'overrides: true', or name it differently"
            )
            problems.append(Problem(term.location, "duplicate-term", msg))
        elif first.origin == LOCAL and first.standard_definition is not None:
            msg = (
                f"conflicts with {first.location}: both override glossary term {term.term!r}; "
                f"keep the definition in one of them"
            )
            problems.append(Problem(term.location, "overlay-conflict", msg))
        else:
            standard = first.definition if first.origin == STANDARD else None
            terms[at] = replace(term, standard_definition=standard)
    return problems
