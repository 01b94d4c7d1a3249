"""Semantic checks over the corpus and its graph.

Each ``check_*`` function is a generator of :class:`~builder.errors.Problem`; :func:`validate`
runs them all and returns every problem, sorted by location. Nothing here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import networkx as nx

from builder.errors import Problem, SourceLocation, ValidationFailed, sort_problems
from builder.graph import orphans, part_of_cycles
from builder.load.content import body_lines
from builder.load.schema import MIN_STEPS, REFERENCE_KINDS, did_you_mean, kind_spec
from builder.model import INVERSE, Corpus, Guidance, Mapping

__all__ = [
    "check_anatomy",
    "check_body_safety",
    "check_duplicate_ids",
    "check_glossary",
    "check_graph",
    "check_kinds",
    "check_mappings",
    "check_references",
    "effective_framework",
    "raise_for_problems",
    "validate",
]

#: The strength of ``equal``: the same scope. Every other relation that shares anything takes 1-9.
SAME = 10
#: The strength a ``no-relation`` record carries: nothing is shared, and the portal shows none.
NONE = 1


def validate(corpus: Corpus, G: nx.MultiDiGraph, loaded: Iterable[Problem] = ()) -> list[Problem]:
    """Return the problems of loading plus those of every check, sorted by location."""
    found: list[Problem] = list(loaded)
    for check in (
        check_body_safety,
        check_duplicate_ids,
        check_kinds,
        check_references,
        check_anatomy,
        check_mappings,
        check_glossary,
    ):
        found.extend(check(corpus))
    found.extend(check_graph(corpus, G))
    return sort_problems(set(found))


def raise_for_problems(problems: list[Problem], strict: bool) -> None:
    """Raise :class:`ValidationFailed` on any error, or any warning when ``strict``."""
    if any(p.is_error for p in problems) or (strict and problems):
        raise ValidationFailed(problems, strict=strict)


def effective_framework(node: Guidance) -> str | None:
    """Return the framework a node belongs to; a framework node belongs to itself."""
    return node.id if node.kind == "framework" else node.framework


_UNSAFE = (
    (re.compile(r"<\s*script\b", re.IGNORECASE), "a <script> element; pages may not run scripts"),
    (
        re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
        "an inline event handler (on...=); pages may not run scripts",
    ),
    (re.compile(r"javascript\s*:", re.IGNORECASE), "a javascript: URL; pages may not run scripts"),
    (
        re.compile(r"\]\(\s*\.\./|\b(?:href|src)\s*=\s*[\"']?\.\./", re.IGNORECASE),
        "a link that leaves content/ (../); link pages with [[id]]",
    ),
)


def check_body_safety(corpus: Corpus) -> Iterator[Problem]:
    """Report scripts, inline event handlers, javascript: URLs and ../ links in page bodies."""
    for node in corpus.guidance:
        for offset, (line, in_code) in enumerate(body_lines(node.body)):
            if in_code:
                continue
            for pattern, what in _UNSAFE:
                if pattern.search(line):
                    loc = SourceLocation(node.source.path, node.body_line + offset)
                    yield Problem(loc, "unsafe-content", f"the body contains {what}")


def check_duplicate_ids(corpus: Corpus) -> Iterator[Problem]:
    """Report every node that reuses an id or a former id of another node."""
    first: dict[str, Guidance] = {}
    for node in corpus.guidance:
        if node.id in first:
            other = first[node.id].line_of("id")
            msg = f"duplicate id {node.id!r}: already declared at {other}"
            yield Problem(node.line_of("id"), "duplicate-id", msg)
        else:
            first[node.id] = node
    former: dict[str, Guidance] = {}
    for node in corpus:
        for old in node.former_ids:
            if old in corpus.by_id:
                msg = f"former id {old!r} is the id of a live page ({corpus[old].source.path}); ids are never reused"
                yield Problem(node.line_of("former_ids"), "former-id-reused", msg)
            elif old in former:
                msg = f"former id {old!r} is also claimed by {former[old].source.path}"
                yield Problem(node.line_of("former_ids"), "former-id-reused", msg)
            else:
                former[old] = node


def check_kinds(corpus: Corpus) -> Iterator[Problem]:
    """Report missing fields, sections and body length that a node's kind requires."""
    for node in corpus:
        spec = kind_spec(node.kind, node.framework)
        if spec is None:
            continue  # reported by the schema check
        where = node.line_of("kind")
        if spec.needs_framework and node.kind != "framework" and not node.framework:
            yield Problem(where, "missing-field", f"kind {node.kind!r} requires a 'framework'")
        if spec.needs_parent and not node.parent:
            yield Problem(where, "missing-field", f"kind {node.kind!r} requires a 'parent'")
        present = {s.title for s in node.sections}
        for title in spec.sections:
            if title not in present:
                hint = did_you_mean(title, present)
                msg = f"kind {node.kind!r} requires a section '## {title}'{hint}"
                yield Problem(where, "missing-section", msg)
        if node.words < spec.min_words:
            msg = f"body has {node.words} words; kind {node.kind!r} needs at least {spec.min_words}"
            yield Problem(where, "too-short", msg)
        if node.kind == "task" and "Steps" in present and node.steps < MIN_STEPS:
            msg = f"'## Steps' has {node.steps} numbered steps; a task needs at least {MIN_STEPS}"
            yield Problem(where, "too-few-steps", msg)
        if not node.summary.rstrip().endswith((".", "!", "?")):
            msg = "'summary' must be one full sentence ending with '.'"
            yield Problem(node.line_of("summary"), "bad-summary", msg)


def check_references(corpus: Corpus) -> Iterator[Problem]:
    """Report every framework, parent and ``[[link]]`` that names no known node."""
    ids = set(corpus.by_id)
    frameworks = {n.id for n in corpus if n.kind == "framework"}
    for node in corpus:
        if node.framework and node.framework not in frameworks:
            hint = did_you_mean(node.framework, frameworks)
            msg = f"unknown framework {node.framework!r}{hint}"
            yield Problem(node.line_of("framework"), "unknown-id", msg)
        if node.parent:
            if node.parent == node.id:
                yield Problem(
                    node.line_of("parent"), "self-parent", "a node cannot be its own parent"
                )
            elif node.parent not in ids and node.parent not in corpus.unreadable:
                msg = f"unknown parent {node.parent!r}{did_you_mean(node.parent, ids)}"
                yield Problem(node.line_of("parent"), "unknown-id", msg)
        yield from _check_task_references(corpus, node)
        for item in node.automates:
            if item.target not in ids:
                msg = f"unknown id {item.target!r} in 'automates'{did_you_mean(item.target, ids)}"
                yield Problem(item.location, "unknown-id", msg)
        for link in node.links:
            if link.target not in ids and link.target not in corpus.unreadable:
                msg = f"unknown link target [[{link.target}]]{did_you_mean(link.target, ids)}"
                yield Problem(link.location, "unknown-id", msg)


def _check_task_references(corpus: Corpus, node: Guidance) -> Iterator[Problem]:
    """Persona and task fields must name existing nodes of the right kind."""
    for field, ids in node.references().items():
        allowed = REFERENCE_KINDS[field]
        for other in ids:
            target = corpus.by_id.get(other)
            if target is None:
                msg = f"unknown id {other!r} in {field!r}{did_you_mean(other, set(corpus.by_id))}"
                yield Problem(node.line_of(field), "unknown-id", msg)
            elif allowed and target.kind not in allowed:
                kinds = " or ".join(allowed)
                msg = f"{field!r} must name a {kinds}; {other!r} is a {target.kind}"
                yield Problem(node.line_of(field), "wrong-kind", msg)
            elif not allowed and target.kind in ("role", "task"):
                msg = f"{field!r} must name framework elements; {other!r} is a {target.kind}"
                yield Problem(node.line_of(field), "wrong-kind", msg)


#: The kinds that may carry ``subprocesses``, and the id prefix of every template.
FLOW_KINDS = ("process", "function")
TEMPLATE_PREFIX = "template-"


def check_anatomy(corpus: Corpus) -> Iterator[Problem]:
    """Report sub-processes and template fields that are misplaced, repeated or lead nowhere.

    Sub-processes belong to processes and functions; ``used_by`` and ``fields`` to templates,
    whose ids start with ``template-`` and which need both. Sub-process ids and field names are
    unique within their page; a decision leads to a sub-process of the same page or to ``end``.
    """
    for node in corpus:
        if node.subprocesses and node.kind not in FLOW_KINDS:
            msg = f"'subprocesses' belong to process and function pages; this is a {node.kind}"
            yield Problem(node.line_of("subprocesses"), "misplaced-field", msg)
        for key in ("used_by", "fields"):
            if node.kind != "template" and getattr(node, key):
                msg = f"{key!r} belongs to template pages; this is a {node.kind}"
                yield Problem(node.line_of(key), "misplaced-field", msg)
        if node.kind == "template":
            yield from _check_template(node)
        yield from _check_subprocesses(node)


def _check_template(node: Guidance) -> Iterator[Problem]:
    if not node.id.startswith(TEMPLATE_PREFIX):
        msg = f"a template's id must start with {TEMPLATE_PREFIX!r}; got {node.id!r}"
        yield Problem(node.line_of("id"), "bad-pattern", msg)
    present = dict(node.field_lines)
    for key in ("used_by", "fields"):
        if getattr(node, key):
            continue
        if key in present:
            msg = f"{key!r} of a template must list at least one item"
            yield Problem(node.line_of(key), "empty-field", msg)
        else:
            yield Problem(
                node.line_of("kind"), "missing-field", f"kind 'template' requires {key!r}"
            )
    seen: dict[str, SourceLocation] = {}
    for item in node.fields:
        key = item.name.casefold()
        if key in seen:
            msg = f"duplicate field {item.name!r}: first at {seen[key]}"
            yield Problem(item.location, "duplicate-field", msg)
        seen.setdefault(key, item.location)


def _check_subprocesses(node: Guidance) -> Iterator[Problem]:
    ids: dict[str, SourceLocation] = {}
    for step in node.subprocesses:
        if step.id in ids:
            msg = f"duplicate sub-process id {step.id!r}: first at {ids[step.id]}"
            yield Problem(step.location, "duplicate-id", msg)
        ids.setdefault(step.id, step.location)
    targets = set(ids) | {"end"}
    for step in node.subprocesses:
        decision = step.decision
        if decision is None:
            continue
        answers = [("no", decision.no, decision.location)]
        if decision.yes is not None:
            answers.append(("yes", decision.yes, decision.yes_location or decision.location))
        for answer, target, where in answers:
            if target not in targets:
                msg = (
                    f"the {answer!r} branch of {step.id!r} goes to {target!r}, which is not a "
                    f"sub-process of this page; use one of its ids or 'end'"
                    f"{did_you_mean(target, targets)}"
                )
                yield Problem(where, "unknown-id", msg)


def check_mappings(corpus: Corpus) -> Iterator[Problem]:
    """Report bad endpoints, self-mappings, duplicates, contradictions, and relations whose
    strength or counterparts contradict their definition (AUTHORING.md, "Relations and strength")."""
    ids = set(corpus.by_id)
    frameworks = {n.id for n in corpus if n.kind == "framework"}
    pairs = {f.location.path: f for f in corpus.mapping_files}
    for header in corpus.mapping_files:
        for fid in header.framework_ids:
            if fid not in frameworks:
                msg = f"unknown framework {fid!r} in 'frameworks'{did_you_mean(fid, frameworks)}"
                yield Problem(header.location, "unknown-id", msg)
    seen: dict[frozenset[str], Mapping] = {}
    for record in corpus.mappings:
        bad = False
        for key in ("source", "target"):
            value = getattr(record, key)
            if value in corpus.unreadable:
                bad = True
            elif value not in ids:
                bad = True
                msg = f"unknown {key} {value!r}{did_you_mean(value, ids)}"
                yield Problem(record.line_of(key), "unknown-id", msg)
        if record.source == record.target:
            msg = f"self-mapping: 'source' and 'target' are both {record.source!r}"
            yield Problem(record.line_of("target"), "self-mapping", msg)
            continue
        yield from _check_strength(record)
        if bad:
            continue
        pair_file = pairs.get(record.location.path)
        if pair_file is not None:
            yield from _check_pair(corpus, record, pair_file.framework_ids)
        pair = frozenset((record.source, record.target))
        if pair in seen:
            yield _duplicate(record, seen[pair])
        else:
            seen[pair] = record
    yield from _check_counterparts(corpus, list(seen.values()))


def _check_strength(record: Mapping) -> Iterator[Problem]:
    """Strength must agree with the relation: see "Relations and strength" in AUTHORING.md."""
    where = record.line_of("strength")
    relation, strength = record.relation, record.strength
    if relation == "equal" and strength != SAME:
        msg = (
            f"'equal' means the same scope, strength {SAME}; got {strength}: where the scopes differ, "
            "write subset-of, superset-of or intersects-with"
        )
        yield Problem(where, "relation-strength", msg)
    elif relation == "no-relation" and strength != NONE:
        msg = (
            f"'no-relation' shares nothing: write strength {NONE} (it is not shown); got {strength}"
        )
        yield Problem(where, "relation-strength", msg)
    elif relation in ("subset-of", "superset-of", "intersects-with") and strength >= SAME:
        msg = (
            f"strength {SAME} means the same scope, which is 'equal'; {relation!r} takes 1-{SAME - 1}: "
            + (
                "how much of the larger one the smaller covers"
                if relation != "intersects-with"
                else "how much the two share, against all that either covers"
            )
        )
        yield Problem(where, "relation-strength", msg)


def _check_counterparts(corpus: Corpus, records: list[Mapping]) -> Iterator[Problem]:
    """``no-relation`` must name a framework and stand alone; an element equals at most one other per framework."""
    nodes = corpus.by_id
    linked: dict[tuple[str, str], list[Mapping]] = {}
    equal: dict[tuple[str, str], Mapping] = {}
    for record in records:
        if record.relation == "no-relation":
            if nodes[record.target].kind != "framework":
                msg = (
                    f"'no-relation' records an element with no counterpart in a framework: its target "
                    f"must be a framework, not the {nodes[record.target].kind} {record.target!r}"
                )
                yield Problem(record.line_of("target"), "no-relation-target", msg)
            continue
        for side in (record, record.inverse()):
            other = effective_framework(nodes[side.target])
            if other is None:
                continue
            linked.setdefault((side.source, other), []).append(side)
            if side.relation != "equal":
                continue
            first = equal.setdefault((side.source, other), side)
            if first is not side:
                msg = (
                    f"{side.source!r} is equal to {side.target!r} here and to {first.target!r} at "
                    f"{first.location}: an element has the same scope as at most one element of "
                    f"another framework"
                )
                yield Problem(record.line_of("relation"), "equal-twice", msg)
    for record in records:
        if record.relation != "no-relation" or nodes[record.target].kind != "framework":
            continue
        found = linked.get((record.source, record.target), [])
        if found:
            nearest = min(found, key=lambda r: (r.location.path, r.location.line))
            msg = (
                f"{record.source!r} has no counterpart in {record.target!r} here, but it is "
                f"{nearest.relation} {nearest.target!r} at {nearest.location}"
            )
            yield Problem(record.line_of("relation"), "no-relation-contradicted", msg)


def _check_pair(corpus: Corpus, record: Mapping, pair: tuple[str, ...]) -> Iterator[Problem]:
    for key in ("source", "target"):
        node = corpus[getattr(record, key)]
        fw = effective_framework(node)
        if fw not in pair:
            msg = f"{key} {node.id!r} belongs to framework {fw!r}, not to this file's pair ({', '.join(pair)})"
            yield Problem(record.line_of(key), "wrong-pair", msg)


def _duplicate(record: Mapping, first: Mapping) -> Problem:
    # Compare both records read in the same direction.
    earlier = first if first.source == record.source else first.inverse()
    if earlier.relation == record.relation:
        msg = f"duplicate mapping of {record.source!r} and {record.target!r}: first at {first.location}"
        return Problem(record.location, "duplicate-mapping", msg)
    msg = (
        f"contradictory mapping: {record.source!r} {record.relation} {record.target!r} here, "
        f"but {earlier.relation} at {first.location}"
    )
    if INVERSE[earlier.relation] == record.relation and record.relation != earlier.relation:
        msg += " (write one record; inverses are derived)"
    return Problem(record.location, "contradictory-mapping", msg)


def check_glossary(corpus: Corpus) -> Iterator[Problem]:
    """Report duplicate terms and ``see`` ids that name no page."""
    ids = set(corpus.by_id)
    first: dict[str, SourceLocation] = {}
    for term in corpus.glossary:
        key = term.term.casefold()
        if key in first:
            msg = f"duplicate glossary term {term.term!r}: first at {first[key]}"
            yield Problem(term.location, "duplicate-term", msg)
        else:
            first[key] = term.location
        for target in term.see:
            if target not in ids:
                msg = f"unknown id {target!r} in 'see' of {term.term!r}{did_you_mean(target, ids)}"
                yield Problem(term.location, "unknown-id", msg)


def check_graph(corpus: Corpus, G: nx.MultiDiGraph) -> Iterator[Problem]:
    """Report part-of cycles and orphan nodes."""
    for cycle in part_of_cycles(G):
        node = corpus[cycle[0]]
        chain = " -> ".join([*cycle, cycle[0]])
        yield Problem(node.line_of("parent"), "part-of-cycle", f"part-of cycle: {chain}")
    for n in orphans(G):
        if corpus[n].parent or corpus[n].links or corpus[n].kind == "template":
            # Its broken references (a template's empty 'used_by') are reported; an orphan
            # report would be noise.
            continue
        msg = f"orphan node {n!r}: give it a 'parent', link to it, or map it"
        yield Problem(corpus[n].line_of("id"), "orphan", msg)
