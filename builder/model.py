"""The data model: frozen records read from content/, mappings/ and assessment/. No I/O here."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field

from builder.errors import SourceLocation
from builder.jsontext import script_json

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "INVERSE",
    "LOCAL",
    "LOCAL_LABEL",
    "RELATIONS",
    "RELATION_WORDS",
    "STANDARD",
    "Answers",
    "Area",
    "Automation",
    "Corpus",
    "Decision",
    "Estimates",
    "Guidance",
    "Link",
    "Mapping",
    "MappingFile",
    "Option",
    "OverlayChange",
    "Question",
    "Questionnaire",
    "Section",
    "SubProcess",
    "TemplateField",
    "Term",
]

#: The NIST IR 8477 set-theory relationships, and the relation each one reads as backwards.
INVERSE: dict[str, str] = {
    "equal": "equal",
    "subset-of": "superset-of",
    "superset-of": "subset-of",
    "intersects-with": "intersects-with",
    "no-relation": "no-relation",
}
RELATIONS: tuple[str, ...] = tuple(INVERSE)
#: Each relation as words before a counterpart's name: "subset of Operations".
RELATION_WORDS: dict[str, str] = {
    "equal": "equal to",
    "subset-of": "subset of",
    "superset-of": "superset of",
    "intersects-with": "intersects with",
    "no-relation": "no relation to",
}


def _line_of(
    field_lines: tuple[tuple[str, int], ...], key: str, default: SourceLocation
) -> SourceLocation:
    """Return where ``key`` stands among ``field_lines``, or ``default``."""
    for name, line in field_lines:
        if name == key:
            return SourceLocation(default.path, line)
    return default


@dataclass(frozen=True, slots=True)
class Link:
    """A ``[[target|text]]`` link in a page body."""

    target: str
    text: str | None
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class Automation:
    """A product's ``automates`` entry: the element it automates, and why."""

    target: str
    reason: str
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision point after a sub-process: the question, and where each answer leads.

    ``no`` and ``yes`` are ids of sub-processes of the same page, or ``"end"``; ``yes`` is
    ``None`` when the "yes" answer simply goes on to the next sub-process.
    """

    question: str
    no: str
    #: Where ``no`` stands, and ``yes`` (or the decision, when it has no ``yes``).
    location: SourceLocation
    yes: str | None = None
    yes_location: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class SubProcess:
    """One sub-process of a process or function, in flow order."""

    id: str
    name: str
    objective: str
    location: SourceLocation
    activities: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class TemplateField:
    """One field of a template (an information object practitioners fill in)."""

    name: str
    description: str
    location: SourceLocation
    example: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A ``## heading`` of a page body and where it is."""

    title: str
    location: SourceLocation


#: Where a node or mapping record comes from: the standard guidance, or an organisation's overlay.
STANDARD = "standard"
LOCAL = "local"
#: The words that mark an organisation's own content wherever it shows (pages, maps, search).
LOCAL_LABEL = "Our practice"


@dataclass(frozen=True, slots=True)
class OverlayChange:
    """A ``##`` section an overlay put into a standard page: added, or replacing the standard one.

    ``standard_text`` is the replaced section's standard text (Markdown, heading excluded), kept
    so that the page can show it one click away; it is None for an added section.
    """

    title: str
    action: str
    overlay: str
    location: SourceLocation
    standard_text: str | None = None


@dataclass(frozen=True, slots=True)
class Guidance:
    """One node of guidance: the front matter and body of one content file."""

    id: str
    kind: str
    title: str
    summary: str
    source: SourceLocation
    framework: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    edition_notes: str | None = None
    order: int | None = None
    #: A short name for maps and legends (an acronym or short title).
    short: str | None = None
    #: A framework's colour (``#rrggbb``) and shape of its elements on the maps.
    colour: str | None = None
    shape: str | None = None
    sources: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()
    automates: tuple[Automation, ...] = ()
    #: Persona: the framework roles it unifies.
    sits: tuple[str, ...] = ()
    #: Task: who performs it, who answers for it, where it sits, what it carries out, with what.
    performer: tuple[str, ...] = ()
    accountable: str | None = None
    stage: str | None = None
    carries_out: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    trigger: str | None = None
    frequency: str | None = None
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    #: Process or function: its sub-processes, in flow order.
    subprocesses: tuple[SubProcess, ...] = ()
    #: Template: the processes, functions, SMFs, reviews and tasks that use it, and its fields.
    used_by: tuple[str, ...] = ()
    fields: tuple[TemplateField, ...] = ()
    #: Task: how many numbered steps its "## Steps" section has.
    steps: int = 0
    body: str = ""
    body_line: int = 1
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    words: int = 0
    #: 1-based line of each front-matter key, for messages about that key.
    field_lines: tuple[tuple[str, int], ...] = ()
    #: :data:`STANDARD`, or :data:`LOCAL` for a node an overlay adds.
    origin: str = STANDARD
    #: The overlay that added the node (local) or changed it (standard, extended), by name.
    overlays: tuple[str, ...] = ()
    #: Why an overlay hid this element (the organisation has not adopted it); None when shown.
    hidden: str | None = None
    #: The standard title, when an overlay gave the element a local name.
    standard_title: str | None = None
    #: Sections an overlay added to or replaced in this standard page, in page order.
    changes: tuple[OverlayChange, ...] = ()

    def __hash__(self) -> int:
        # Equal records have equal ids, so the id is hash enough; the generated hash went
        # through every field (the body, each section and link and their locations), and
        # rendering puts pages in sets some ten thousand times.
        return hash(self.id)

    @property
    def is_local(self) -> bool:
        return self.origin == LOCAL

    def references(self) -> dict[str, tuple[str, ...]]:
        """Return the ids that each reference field of a persona, task or template names."""
        return {
            "sits": self.sits,
            "performer": self.performer,
            "accountable": (self.accountable,) if self.accountable else (),
            "stage": (self.stage,) if self.stage else (),
            "carries_out": self.carries_out,
            "tools": self.tools,
            "used_by": self.used_by,
        }

    def line_of(self, key: str) -> SourceLocation:
        """Return the location of front-matter ``key``, or of the file when absent."""
        return _line_of(self.field_lines, key, self.source)


@dataclass(frozen=True, slots=True)
class Mapping:
    """One typed alignment record: ``source RELATION target``."""

    source: str
    target: str
    relation: str
    strength: int
    basis: str
    rationale: str
    location: SourceLocation
    notes: str | None = None
    sources: tuple[str, ...] = ()
    field_lines: tuple[tuple[str, int], ...] = ()
    #: :data:`STANDARD`, or :data:`LOCAL` for a record read from an overlay.
    origin: str = STANDARD

    def line_of(self, key: str) -> SourceLocation:
        """Return the location of ``key`` in this record, or of the record when absent."""
        return _line_of(self.field_lines, key, self.location)

    def inverse(self) -> Mapping:
        """Return the derived record read from target to source."""
        return Mapping(
            source=self.target,
            target=self.source,
            relation=INVERSE[self.relation],
            strength=self.strength,
            basis=self.basis,
            rationale=self.rationale,
            location=self.location,
            notes=self.notes,
            sources=self.sources,
            field_lines=self.field_lines,
            origin=self.origin,
        )


@dataclass(frozen=True, slots=True)
class MappingFile:
    """The header of one mappings file: the framework pair and the editions compared."""

    location: SourceLocation
    frameworks: tuple[tuple[str, str], ...]

    @property
    def framework_ids(self) -> tuple[str, ...]:
        return tuple(fid for fid, _ in self.frameworks)


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry: a term or acronym, its expansion, its definition, pages to read."""

    term: str
    definition: str
    location: SourceLocation
    expansion: str | None = None
    see: tuple[str, ...] = ()
    #: :data:`STANDARD`, or :data:`LOCAL` for a term an overlay adds or overrides.
    origin: str = STANDARD
    #: The standard definition a local term overrides (kept one click away), else None.
    standard_definition: str | None = None

    @property
    def is_acronym(self) -> bool:
        return self.expansion is not None


# -----------------------------------------------------------------------------
# The self-assessment questionnaire (assessment/questions.yaml) and an answers file

#: What every assessment area is estimated on, each 1-5 where higher means "do this sooner".
CRITERIA: tuple[str, ...] = ("risk", "cost", "time", "value")
#: How much each criterion counts when the backlog is ranked, unless the answers say otherwise.
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(CRITERIA, 1.0)


@dataclass(frozen=True, slots=True)
class Estimates:
    """An area's estimates on the four :data:`CRITERIA`, each 1-5."""

    risk: int
    cost: int
    time: int
    value: int

    def as_dict(self) -> dict[str, int]:
        """Return the estimates by criterion, in :data:`CRITERIA` order."""
        return {"risk": self.risk, "cost": self.cost, "time": self.time, "value": self.value}


@dataclass(frozen=True, slots=True)
class Area:
    """An assessed area (a page of the portal) and its problem-opportunity statement."""

    id: str
    title: str
    group: str
    problem: str
    opportunity: str
    estimates: Estimates
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a question: what is true at one maturity level."""

    level: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question about one area: one option per level, and the pages and tasks that help."""

    id: str
    area: str
    text: str
    options: tuple[Option, ...]
    source: SourceLocation
    pages: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The questionnaire: the four levels in order, the areas and the questions."""

    levels: tuple[str, ...]
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    source: SourceLocation

    def area(self, area_id: str) -> Area:
        """Return the area with id ``area_id``."""
        return next(a for a in self.areas if a.id == area_id)

    def questions_in(self, area_id: str) -> tuple[Question, ...]:
        """Return the questions about one area, in file order."""
        return tuple(q for q in self.questions if q.area == area_id)

    def to_json(self) -> str:
        """Return what the site's script needs (ids, areas, estimates) as script-safe JSON."""
        data = {
            "levels": list(self.levels),
            "areas": [
                {
                    "id": a.id,
                    "title": a.title,
                    "group": a.group,
                    "problem": a.problem,
                    "opportunity": a.opportunity,
                    "estimates": a.estimates.as_dict(),
                }
                for a in self.areas
            ],
            "questions": [
                {"id": q.id, "area": q.area, "pages": list(q.pages), "tasks": list(q.tasks)}
                for q in self.questions
            ],
        }
        return script_json(data)


@dataclass(frozen=True, slots=True)
class Answers:
    """Answers by question id: a level position 1-4, or None when unanswered."""

    values: MappingABC[str, int | None]
    weights: MappingABC[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything read from the sources, in file order (duplicates included)."""

    guidance: tuple[Guidance, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    mapping_files: tuple[MappingFile, ...] = ()
    glossary: tuple[Term, ...] = ()
    by_id: dict[str, Guidance] = field(default_factory=dict, compare=False, hash=False)
    #: Ids of files that could not be read: references to them are not reported again.
    unreadable: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        guidance: tuple[Guidance, ...],
        mappings: tuple[Mapping, ...] = (),
        mapping_files: tuple[MappingFile, ...] = (),
        glossary: tuple[Term, ...] = (),
        unreadable: frozenset[str] = frozenset(),
    ) -> Corpus:
        """Return a corpus whose ``by_id`` holds the first node declared with each id."""
        by_id: dict[str, Guidance] = {}
        for g in guidance:
            by_id.setdefault(g.id, g)
        return cls(guidance, mappings, mapping_files, glossary, by_id, unreadable)

    def lineage(self, node_id: str) -> Iterator[Guidance]:
        """Yield the node, then its parent, grandparent ... (stopping at a cycle or a gap)."""
        seen: set[str] = set()
        current = self.by_id.get(node_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            yield current
            current = self.by_id.get(current.parent or "")

    def without_hidden(self) -> Corpus:
        """Return this corpus without the elements an overlay hid (for nav and search)."""
        if not any(n.hidden for n in self.guidance):
            return self
        shown = tuple(n for n in self.guidance if n.hidden is None)
        return Corpus.of(shown, self.mappings, self.mapping_files, self.glossary, self.unreadable)

    def __iter__(self) -> Iterator[Guidance]:
        return iter(self.by_id.values())

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.by_id

    def __getitem__(self, node_id: str) -> Guidance:
        return self.by_id[node_id]
