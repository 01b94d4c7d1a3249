"""What a page shows of its process anatomy: the flow, the sub-processes, and the templates.

:func:`anatomy_context` gives the node template (through ``anatomy.md.j2``) a process's flow
and sub-processes and the templates that a process, function, SMF, review or task uses;
:func:`form_context` gives a template's own page (``form.md.j2``) its fields and the pages that
use it. Both read the ``used-by`` edges of the graph, so the two sides always agree.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from builder.graph import RELATION, USED_BY
from builder.model import Corpus, Guidance
from builder.render.flow import END, flow_svg

__all__ = ["FORM_TEMPLATE", "anatomy_context", "form_context", "step_anchor"]

#: The page template of a node of kind ``template``: a printable fill-in form.
FORM_TEMPLATE = "form.md.j2"

#: How the pages that use a template are grouped on its page, in this order.
_USER_GROUPS = (
    (("process", "function"), "Processes and functions"),
    (("smf", "review"), "Service management functions and reviews"),
    (("task",), "Tasks"),
)


def step_anchor(step_id: str) -> str:
    """Return the anchor of a sub-process on its page.

    >>> step_anchor("assess")
    'sp-assess'
    """
    return f"sp-{step_id}"


def anatomy_context(corpus: Corpus, G: nx.MultiDiGraph, node: Guidance) -> dict[str, Any] | None:
    """Return the flow, sub-processes and templates of ``node``, or None when it has none."""
    templates = [
        corpus[u]
        for u, _, d in G.in_edges(node.id, data=True)
        if d[RELATION] == USED_BY and u in corpus
    ]
    if not node.subprocesses and not templates:
        return None
    steps = node.subprocesses
    number = {s.id: i for i, s in enumerate(steps, start=1)}
    names = {s.id: s.name for s in steps}

    def target(step_id: str | None, default: str) -> dict[str, str]:
        goal = default if step_id is None else step_id
        if goal == END or goal not in number:
            return {"text": "the end of the process", "anchor": ""}
        return {"text": f"{number[goal]}. {names[goal]}", "anchor": step_anchor(goal)}

    rows = []
    for i, step in enumerate(steps):
        after = steps[i + 1].id if i + 1 < len(steps) else END
        decision = None
        if step.decision is not None:
            decision = {
                "question": step.decision.question,
                "yes": target(step.decision.yes, after),
                "no": target(step.decision.no, END),
            }
        rows.append(
            {
                "number": i + 1,
                "anchor": step_anchor(step.id),
                "step": step,
                "decision": decision,
            }
        )
    return {
        "flow": flow_svg(steps, title=node.title) if steps else "",
        "steps": rows,
        "templates": sorted(templates, key=lambda t: (t.title.lower(), t.id)),
    }


def form_context(corpus: Corpus, G: nx.MultiDiGraph, node: Guidance) -> dict[str, Any]:
    """Return a template's fields and the pages that use it, grouped by kind."""
    users = sorted(
        {corpus[v] for _, v, d in G.out_edges(node.id, data=True) if d[RELATION] == USED_BY},
        key=lambda n: (n.title.lower(), n.id),
    )
    groups = [
        {"title": title, "pages": [u for u in users if u.kind in kinds]}
        for kinds, title in _USER_GROUPS
    ]
    return {
        "fields": node.fields,
        "used_by": [g for g in groups if g["pages"]],
    }
