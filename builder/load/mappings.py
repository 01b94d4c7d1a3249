"""Read mappings/*.yaml into :class:`~builder.model.Mapping` records.

A file is a mapping with a ``frameworks`` header (the pair and the editions compared) and a
``records`` list; each record is checked against :data:`~builder.load.schema.MAPPING_RECORD`.
"""

from __future__ import annotations

import logging
import re

from builder.config import BuildConfig
from builder.errors import Problem, SourceLocation
from builder.load.schema import MAPPING_RECORD, check_fields
from builder.load.yamlutil import LineDict, read_yaml
from builder.model import Mapping, MappingFile

__all__ = ["load_mappings", "parse_mapping_file"]

log = logging.getLogger(__name__)

SENTENCE = re.compile(r"\w+(?:\W+\w+){4,}.*[.!?]\s*$", re.DOTALL)


def load_mappings(cfg: BuildConfig) -> tuple[list[MappingFile], list[Mapping], list[Problem]]:
    """Read every ``*.yaml``/``*.yml`` file under ``cfg.mappings_dir``.

    Returns:
        The file headers, the records in file order, and every problem found.
    """
    files: list[MappingFile] = []
    records: list[Mapping] = []
    problems: list[Problem] = []
    if not cfg.mappings_dir.is_dir():
        return files, records, problems
    paths = sorted([*cfg.mappings_dir.rglob("*.yaml"), *cfg.mappings_dir.rglob("*.yml")])
    for path in paths:
        header, found_records, found = parse_mapping_file(path.read_bytes(), cfg.relpath(path))
        problems.extend(found)
        records.extend(found_records)
        if header is not None:
            files.append(header)
    log.debug("read %d mapping records from %d files", len(records), len(files))
    return files, records, problems


def parse_mapping_file(
    raw: bytes, path: str
) -> tuple[MappingFile | None, list[Mapping], list[Problem]]:
    """Parse one mappings file's bytes; ``path`` is used in messages only."""
    data, problems = read_yaml(raw, path)
    if problems:
        return None, [], problems
    start = SourceLocation(path, 1)
    if not isinstance(data, LineDict):
        msg = "a mappings file must be a mapping with 'frameworks' and 'records'"
        return None, [], [Problem(start, "bad-yaml", msg)]
    header = _header(data, path, problems)
    records: list[Mapping] = []
    raw_records = data.get("records")
    if not isinstance(raw_records, list):
        loc = SourceLocation(path, data.line_of("records"))
        problems.append(Problem(loc, "bad-records", "'records' must be a list of mapping records"))
        raw_records = []
    for index, item in enumerate(raw_records):
        if not isinstance(item, LineDict):
            loc = SourceLocation(path, data.line_of("records"))
            msg = f"records[{index}] must be a mapping with source, target, relation, ...; got {item!r}"
            problems.append(Problem(loc, "bad-record", msg))
            continue
        found = list(check_fields(item, MAPPING_RECORD, path, what=f"records[{index}]"))
        problems.extend(found)
        rationale = item.get("rationale")
        if (
            isinstance(rationale, str)
            and rationale.strip()
            and not SENTENCE.match(rationale.strip())
        ):
            loc = SourceLocation(path, item.line_of("rationale"))
            msg = "'rationale' must be at least one full sentence (five or more words ending with '.')"
            problems.append(Problem(loc, "short-rationale", msg))
        if any(p.is_error for p in found):
            continue
        records.append(
            Mapping(
                source=item["source"],
                target=item["target"],
                relation=item["relation"],
                strength=item["strength"],
                basis=item["basis"],
                rationale=" ".join(item["rationale"].split()),
                location=SourceLocation(path, item.line),
                notes=item.get("notes"),
                sources=tuple(item.get("sources") or ()),
                field_lines=tuple(sorted(item.key_lines.items())),
            )
        )
    return header, records, problems


def _header(data: LineDict, path: str, problems: list[Problem]) -> MappingFile | None:
    frameworks = data.get("frameworks")
    loc = SourceLocation(path, data.line_of("frameworks"))
    expected = (
        "'frameworks' must list the two frameworks of the pair, each as {id: ..., edition: ...}"
    )
    if not isinstance(frameworks, list) or len(frameworks) != 2:
        problems.append(Problem(loc, "bad-header", expected))
        return None
    pair: list[tuple[str, str]] = []
    for item in frameworks:
        if not (isinstance(item, dict) and isinstance(item.get("id"), str) and item.get("edition")):
            problems.append(Problem(loc, "bad-header", expected))
            return None
        pair.append((item["id"], str(item["edition"])))
    return MappingFile(loc, tuple(pair))
