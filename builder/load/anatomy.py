"""Read the anatomy of a page: a process's ``subprocesses`` and a template's ``fields``.

Each entry is checked against its schema (:data:`~builder.load.schema.SUBPROCESS`,
:data:`~builder.load.schema.DECISION`, :data:`~builder.load.schema.TEMPLATE_FIELD`) at the line
of the key concerned; an entry that lacks a required field yields a problem and no record.
Whether decision targets exist, and whether the page's kind may carry these fields, is checked
later, over the whole corpus (:func:`builder.validate.check_anatomy`).
"""

from __future__ import annotations

from typing import Any

from builder.errors import Problem, SourceLocation
from builder.load.schema import DECISION, SUBPROCESS, TEMPLATE_FIELD, check_fields
from builder.load.yamlutil import LineDict
from builder.model import Decision, SubProcess, TemplateField

__all__ = ["read_fields", "read_subprocesses"]

#: YAML 1.1 reads the keys ``no:`` and ``yes:`` as booleans: give them back their names.
_BOOLEAN_KEYS = {False: "no", True: "yes"}


def read_subprocesses(data: LineDict, path: str, problems: list[Problem]) -> tuple[SubProcess, ...]:
    """Return the well-formed entries of ``subprocesses``; report the others into ``problems``."""
    found: list[SubProcess] = []
    for index, item in enumerate(_items(data, "subprocesses")):
        where = f"subprocesses[{index}]"
        before = len(problems)
        problems.extend(check_fields(item, SUBPROCESS, path, where))
        decision = item.get("decision")
        read: Decision | None = None
        if isinstance(decision, LineDict):
            read = _decision(_named_keys(decision), path, f"{where}.decision", problems)
        if _has_errors(problems, before):
            continue
        found.append(
            SubProcess(
                id=item["id"],
                name=" ".join(item["name"].split()),
                objective=" ".join(item["objective"].split()),
                location=SourceLocation(path, item.line),
                activities=_strings(item["activities"]),
                inputs=_strings(item["inputs"]),
                outputs=_strings(item["outputs"]),
                decision=read,
            )
        )
    return tuple(found)


def read_fields(data: LineDict, path: str, problems: list[Problem]) -> tuple[TemplateField, ...]:
    """Return the well-formed entries of a template's ``fields``; report the others."""
    found: list[TemplateField] = []
    for index, item in enumerate(_items(data, "fields")):
        before = len(problems)
        problems.extend(check_fields(item, TEMPLATE_FIELD, path, f"fields[{index}]"))
        if _has_errors(problems, before):
            continue
        example = item.get("example")
        found.append(
            TemplateField(
                name=" ".join(item["name"].split()),
                description=" ".join(item["description"].split()),
                location=SourceLocation(path, item.line),
                example=" ".join(example.split()) if isinstance(example, str) else None,
            )
        )
    return tuple(found)


def _decision(data: LineDict, path: str, where: str, problems: list[Problem]) -> Decision | None:
    before = len(problems)
    problems.extend(check_fields(data, DECISION, path, where))
    if _has_errors(problems, before):
        return None
    yes = data.get("yes")
    return Decision(
        question=" ".join(data["question"].split()),
        no=data["no"].strip(),
        location=SourceLocation(path, data.line_of("no")),
        yes=yes.strip() if isinstance(yes, str) else None,
        yes_location=SourceLocation(path, data.line_of("yes")),
    )


def _named_keys(data: LineDict) -> LineDict:
    """Return ``data`` with boolean keys renamed ``no`` and ``yes``, lines kept."""
    named = LineDict()
    named.line = data.line
    named.key_lines = {}
    for key, value in data.items():
        name = _BOOLEAN_KEYS.get(key, key) if isinstance(key, bool) else key
        named[name] = value
        named.key_lines[name] = data.line_of(key)
    return named


def _items(data: LineDict, key: str) -> list[LineDict]:
    value: Any = data.get(key)
    if not isinstance(value, list):
        return []  # reported by the schema check
    return [item for item in value if isinstance(item, LineDict)]


def _strings(value: list[Any]) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in value if isinstance(v, str))


def _has_errors(problems: list[Problem], since: int) -> bool:
    return any(p.is_error for p in problems[since:])
