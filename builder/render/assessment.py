"""The self-assessment page: the questionnaire a reader answers in the browser, by area."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import jinja2

from builder.jsontext import script_json
from builder.model import Corpus, Questionnaire
from builder.render.nav import Rendered

__all__ = ["render_assessment"]

#: The pages that describe the method, as (id, link text); those the corpus has are linked.
_METHOD = (
    ("cir", "Continuous Improvement Roadmap"),
    ("cir-service-assessment", "an assessment"),
    (
        "cir-service-improvement",
        "problem-opportunity statements ranked by risk, cost, time and value",
    ),
    ("task-build-a-service-improvement-program-roadmap", "a Service Improvement Program"),
)


def render_assessment(
    env: jinja2.Environment, corpus: Corpus, questionnaire: Questionnaire
) -> Rendered:
    """Write assessment.md, with the questionnaire and page titles as script data."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for area in questionnaire.areas:
        qs = questionnaire.questions_in(area.id)
        groups.setdefault(area.group, []).append({**asdict(area), "questions": qs})
    titles = {n.id: n.title for n in corpus}
    method = ", then ".join(f"[{text}]({i}.md)" for i, text in _METHOD if i in corpus)
    text = env.get_template("assessment.md.j2").render(
        method=method,
        groups=list(groups.items()),
        levels=questionnaire.levels,
        count=len(questionnaire.questions),
        data=questionnaire.to_json(),
        titles=script_json(titles),
    )
    return Rendered({"assessment.md": text}, [{"Self-assessment": "assessment.md"}])
