"""Read the glossary, ``content/glossary.yaml``: ITSM terms and acronyms kept as data.

Each term has a definition; an acronym also has its expansion, which pages show on hover and
search uses as a synonym.
"""

from __future__ import annotations

from builder.config import BuildConfig
from builder.errors import Problem, SourceLocation
from builder.load.schema import Field, check_fields
from builder.load.yamlutil import LineDict, read_yaml
from builder.model import Term

__all__ = ["GLOSSARY_FILE", "TERM_FIELDS", "load_glossary"]

GLOSSARY_FILE = "glossary.yaml"

TERM_FIELDS: tuple[Field, ...] = (
    Field("term", str, required=True),
    Field("expansion", str),
    Field("definition", str, required=True),
    Field("see", list),
)


def load_glossary(cfg: BuildConfig) -> tuple[list[Term], list[Problem]]:
    """Read ``content/glossary.yaml`` when it exists.

    Returns:
        The terms in file order, and every problem found.
    """
    path = cfg.content_dir / GLOSSARY_FILE
    if not path.is_file():
        return [], []
    return parse_glossary(path.read_bytes(), cfg.relpath(path))


def parse_glossary(raw: bytes, path: str) -> tuple[list[Term], list[Problem]]:
    """Parse the glossary's bytes; ``path`` is used in messages only."""
    data, problems = read_yaml(raw, path)
    if problems:
        return [], problems
    items = data.get("terms") if isinstance(data, LineDict) else None
    if not isinstance(items, list):
        msg = "the glossary must be a mapping with a 'terms' list"
        return [], [Problem(SourceLocation(path, 1), "bad-glossary", msg)]
    terms: list[Term] = []
    for index, item in enumerate(items):
        if not isinstance(item, LineDict):
            msg = f"terms[{index}] must be a mapping with term and definition; got {item!r}"
            problems.append(Problem(SourceLocation(path, data.line_of("terms")), "bad-term", msg))
            continue
        found = list(check_fields(item, TERM_FIELDS, path, what=f"terms[{index}]"))
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
            )
        )
    return terms, problems
