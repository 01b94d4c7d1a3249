"""Declarative schemas: the field specs of front matter and mapping records, and the kinds.

(The glossary's and the questionnaire's tables sit with their loaders, in the same terms.)

A schema is a table of :class:`Field` specs; :func:`check_fields` turns a parsed YAML mapping
into problems (missing, wrong type, bad choice, out of range, unknown key), each at the line of
the key concerned.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from builder.errors import WARNING, Problem, SourceLocation
from builder.load.yamlutil import LineDict
from builder.model import RELATIONS

__all__ = [
    "DECISION",
    "FRONT_MATTER",
    "ID_FIELD",
    "KINDS",
    "MAPPING_RECORD",
    "SHAPES",
    "SUBPROCESS",
    "TEMPLATE_FIELD",
    "Field",
    "KindSpec",
    "check_fields",
    "did_you_mean",
    "kind_spec",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: The marks a framework's elements can have on the maps (drawn by portal-maps.js).
SHAPES: tuple[str, ...] = (
    "dot",
    "square",
    "diamond",
    "triangle",
    "triangleDown",
    "hexagon",
    "star",
    "pentagon",
)


@dataclass(frozen=True, slots=True)
class Field:
    """The spec of one key: its type, whether it is required, and its allowed values."""

    name: str
    type: type
    required: bool = False
    choices: Sequence[str] = ()
    min: int | None = None
    max: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_text: str = ""
    #: For lists: the type of each item (str, or dict for a list of mappings).
    items: Any = str


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What a kind of node must have: ``##`` sections, a minimum body length, a parent."""

    sections: tuple[str, ...] = ()
    min_words: int = 0
    needs_framework: bool = True
    needs_parent: bool = False


_PROCESS_SECTIONS = (
    "Purpose and objectives",
    "Scope",
    "Key concepts",
    "Activities",
    "Roles and responsibilities",
    "Inputs, outputs and interfaces",
    "Metrics",
    "Common pitfalls",
    "In practice",
)

KINDS: dict[str, KindSpec] = {
    "framework": KindSpec(("Overview", "Structure", "Where to start"), 300),
    "stage": KindSpec(
        (
            "Purpose",
            "Inputs and outputs",
            "Processes and functions",
            "Roles involved",
            "Handover to the next stage",
        ),
        350,
        needs_parent=True,
    ),
    "phase": KindSpec(
        (
            "Purpose",
            "Inputs and outputs",
            "Service management functions",
            "Management reviews",
            "How it connects to the other phases",
        ),
        300,
        needs_parent=True,
    ),
    "quadrant": KindSpec(
        (
            "Purpose",
            "Service management functions",
            "Operations management review",
            "Where it went in MOF 4.0",
        ),
        300,
        needs_parent=True,
    ),
    "track": KindSpec(
        ("Purpose", "Milestone", "Deliverables", "Team focus", "How it connects"),
        300,
        needs_parent=True,
    ),
    "process": KindSpec(_PROCESS_SECTIONS, 450, needs_parent=True),
    "function": KindSpec(_PROCESS_SECTIONS, 450, needs_parent=True),
    "smf": KindSpec(
        (
            "Purpose",
            "Key questions",
            "Processes and activities",
            "Deliverables",
            "Accountability and role types",
            "Management reviews",
            "Inputs and outputs",
            "Metrics",
            "Common pitfalls",
            "In practice",
        ),
        450,
        needs_parent=True,
    ),
    "review": KindSpec(
        (
            "Purpose",
            "When it happens",
            "Inputs",
            "Who attends",
            "Decisions and outputs",
            "Checklist",
        ),
        300,
        needs_parent=True,
    ),
    "milestone": KindSpec(("Purpose", "Criteria"), 120, needs_parent=True),
    "accountability": KindSpec(
        ("Purpose", "Role types", "Responsibilities"), 200, needs_parent=True
    ),
    "role": KindSpec(("Mission", "Responsibilities", "Skills"), 150, needs_framework=False),
    "task": KindSpec(
        (
            "When to use",
            "Before you start",
            "Steps",
            "Decision points",
            "Done when",
            "Checklist",
            "Pitfalls",
            "Related guidance",
        ),
        300,
        needs_framework=False,
    ),
    "discipline": KindSpec(("Purpose", "Practices", "How it connects"), 300, needs_parent=True),
    "component": KindSpec(("Purpose", "How it works", "How it connects"), 300, needs_parent=True),
    "maturity-level": KindSpec(("Characteristics", "Moving up"), 200, needs_parent=True),
    "capability": KindSpec(("What it covers", "By maturity level"), 250, needs_parent=True),
    # A product's "What it automates" section is generated from its `automates` field.
    "product": KindSpec(
        ("What it does", "Key features", "What replaced it"), 300, needs_parent=True
    ),
    "accelerator": KindSpec(
        ("What it is", "When to use it", "What it contains"), 200, needs_parent=True
    ),
    "case-study": KindSpec(
        ("Situation", "What they did", "Results", "Lessons"), 300, needs_framework=False
    ),
    "guide": KindSpec(needs_framework=False),
    # An information object practitioners fill in; its form is generated from `fields`.
    "template": KindSpec(("Purpose", "How to use it"), 80, needs_framework=False),
}

#: Where one framework's element of a kind is written differently (kind spec per framework).
FRAMEWORK_KINDS: dict[tuple[str, str], KindSpec] = {
    # A role with no framework is one of the portal's personas, which unify framework roles.
    ("", "role"): KindSpec(
        (
            "Mission",
            "Where it sits",
            "Responsibilities",
            "Skills",
            "Tools",
            "KPIs the role owns",
            "Learning path",
        ),
        350,
        needs_framework=False,
    ),
    # MOF 3.0 is legacy guidance: its SMF pages explain the function and where it went.
    ("mof3", "smf"): KindSpec(
        ("Purpose", "Key activities", "Where it went in MOF 4.0", "ITIL roots"),
        250,
        needs_parent=True,
    ),
}


def kind_spec(kind: str, framework: str | None) -> KindSpec | None:
    """Return the spec for a node of ``kind`` in ``framework``, or None for an unknown kind.

    >>> kind_spec("smf", "mof3").sections[-1], kind_spec("smf", "mof4").min_words
    ('ITIL roots', 450)
    """
    return FRAMEWORK_KINDS.get((framework or "", kind)) or KINDS.get(kind)


#: A required id: lowercase words joined by hyphens (file names and URLs are made of it).
ID_FIELD = Field(
    "id",
    str,
    required=True,
    pattern=ID_PATTERN,
    pattern_text="lowercase letters, digits and single hyphens",
)

FRONT_MATTER: tuple[Field, ...] = (
    ID_FIELD,
    Field("kind", str, required=True, choices=tuple(KINDS)),
    Field("title", str, required=True),
    Field("summary", str, required=True),
    Field("framework", str),
    Field("parent", str),
    Field("aliases", list),
    Field("editions", list),
    Field("edition_notes", str),
    Field("order", int),
    # Display: a short name for maps and legends; a framework's colour and shape on the maps.
    Field("short", str),
    Field("colour", str, pattern=COLOUR_PATTERN, pattern_text="a colour such as '#0072B2'"),
    Field("shape", str, choices=SHAPES),
    Field("sources", list),
    Field("former_ids", list),
    Field("automates", list, items=dict),
    # Personas
    Field("sits", list),
    # Tasks
    Field("performer", list),
    Field("accountable", str),
    Field("stage", str),
    Field("carries_out", list),
    Field("tools", list),
    Field("trigger", str),
    Field("frequency", str),
    Field("inputs", list),
    Field("outputs", list),
    # Processes and functions
    Field("subprocesses", list, items=dict),
    # Templates
    Field("used_by", list),
    Field("fields", list, items=dict),
)

#: One entry of ``subprocesses`` (a process's or function's sub-process, in flow order).
SUBPROCESS: tuple[Field, ...] = (
    ID_FIELD,
    Field("name", str, required=True),
    Field("objective", str, required=True),
    Field("activities", list, required=True, min=1),
    Field("inputs", list, required=True, min=1),
    Field("outputs", list, required=True, min=1),
    Field("decision", dict),
)
#: A sub-process's ``decision``: ``no`` (and ``yes``) name a sub-process of the page or "end".
DECISION: tuple[Field, ...] = (
    Field("question", str, required=True),
    Field("no", str, required=True),
    Field("yes", str),
)
#: One entry of a template's ``fields``.
TEMPLATE_FIELD: tuple[Field, ...] = (
    Field("name", str, required=True),
    Field("description", str, required=True),
    Field("example", str),
)

#: Reference fields of personas and tasks: the field, and the kinds its ids may name.
REFERENCE_KINDS: dict[str, tuple[str, ...]] = {
    "sits": ("role", "accountability"),
    "performer": ("role",),
    "accountable": ("role",),
    "stage": ("stage",),
    "tools": ("product", "accelerator"),
    "carries_out": (),  # any element but a role or a task
    "used_by": ("process", "function", "smf", "review", "task"),
}
#: The least number of numbered steps in a task's "## Steps" section.
MIN_STEPS = 6

MAPPING_RECORD: tuple[Field, ...] = (
    Field("source", str, required=True),
    Field("target", str, required=True),
    Field("relation", str, required=True, choices=RELATIONS),
    Field("strength", int, required=True, min=1, max=10),
    Field("basis", str, required=True, choices=("syntactic", "semantic", "functional")),
    Field("rationale", str, required=True),
    Field("notes", str),
    Field("sources", list),
)


def check_fields(
    data: LineDict, specs: Sequence[Field], path: str, what: str = "front matter"
) -> Iterator[Problem]:
    """Yield a problem for every key of ``data`` that breaks ``specs``.

    Missing required keys are reported at the start of the mapping; everything else at the
    line of its key. Unknown keys are warnings.
    """
    known = {f.name for f in specs}
    start = SourceLocation(path, data.line)
    for spec in specs:
        if spec.name not in data or data[spec.name] is None:
            if spec.required:
                yield Problem(
                    start, "missing-field", f"{what} is missing required field {spec.name!r}"
                )
            continue
        yield from _check_value(
            spec, data[spec.name], SourceLocation(path, data.line_of(spec.name))
        )
    for key in data:
        if key not in known:
            hint = did_you_mean(str(key), known)
            yield Problem(
                SourceLocation(path, data.line_of(key)),
                "unknown-field",
                f"unknown field {key!r} in {what} (ignored){hint}",
                WARNING,
            )


def _check_value(spec: Field, value: Any, loc: SourceLocation) -> Iterator[Problem]:
    if spec.type is list:
        if not isinstance(value, list) or not all(isinstance(v, spec.items) for v in value):
            of = "strings" if spec.items is str else "mappings"
            yield Problem(loc, "bad-type", f"{spec.name!r} must be a list of {of}; got {value!r}")
        elif spec.min is not None and len(value) < spec.min:
            what = "one item" if spec.min == 1 else f"{spec.min} items"
            yield Problem(loc, "empty-field", f"{spec.name!r} must list at least {what}")
        return
    if spec.type is dict:
        if not isinstance(value, dict):
            yield Problem(loc, "bad-type", f"{spec.name!r} must be a mapping; got {value!r}")
        return
    if spec.type is dict:
        if not isinstance(value, dict):
            yield Problem(loc, "bad-type", f"{spec.name!r} must be a mapping; got {value!r}")
        return
    if spec.type is bool:
        if not isinstance(value, bool):
            yield Problem(loc, "bad-type", f"{spec.name!r} must be true or false; got {value!r}")
        return
    if spec.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        yield Problem(loc, "bad-type", f"{spec.name!r} must be an integer; got {value!r}")
        return
    if spec.type is str and not isinstance(value, str):
        yield Problem(loc, "bad-type", f"{spec.name!r} must be a string; got {value!r}")
        return
    if spec.type is str and not value.strip():
        yield Problem(loc, "empty-field", f"{spec.name!r} must not be empty")
        return
    if spec.choices and value not in spec.choices:
        choices = ", ".join(spec.choices)
        hint = did_you_mean(value, spec.choices)
        yield Problem(
            loc, "bad-choice", f"{spec.name!r} must be one of: {choices}; got {value!r}{hint}"
        )
    if spec.min is not None and spec.max is not None and not spec.min <= value <= spec.max:
        yield Problem(
            loc,
            "out-of-range",
            f"{spec.name!r} must be between {spec.min} and {spec.max}; got {value!r}",
        )
    if spec.pattern is not None and not spec.pattern.match(value):
        yield Problem(
            loc, "bad-pattern", f"{spec.name!r} must be {spec.pattern_text}; got {value!r}"
        )


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or ``""``.

    >>> did_you_mean("proces", ["process", "phase"])
    "; did you mean 'process'?"
    """
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
