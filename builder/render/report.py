"""The self-assessment report of ``portal assess``: Markdown, or one standalone HTML page.

Both are rendered from Jinja templates (``assessment-report.md.j2``,
``assessment-report.html.j2``) from the same context. The HTML page is autoescaped, carries
its own stylesheet (light and dark, and print) and loads nothing, so that it can be mailed or
opened from any folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2

from builder.assessment import Report
from builder.model import Questionnaire
from builder.render.templating import environment

__all__ = ["report_html", "report_markdown"]


def report_markdown(questionnaire: Questionnaire, report: Report, titles: Mapping[str, str]) -> str:
    """Return the report as Markdown: levels, backlog, improvement waves, unanswered questions.

    Args:
        questionnaire: the questionnaire the answers were scored against.
        report: the scored answers.
        titles: page titles by id, to name the pages to read and the tasks to do.
    """
    context = _context(questionnaire, report, titles)
    return _environment().get_template("assessment-report.md.j2").render(context)


def report_html(questionnaire: Questionnaire, report: Report, titles: Mapping[str, str]) -> str:
    """Return the report as a standalone, styled HTML page (same arguments as the Markdown)."""
    context = _context(questionnaire, report, titles)
    return _environment().get_template("assessment-report.html.j2").render(context)


# -----------------------------------------------------------------------------


def _context(
    questionnaire: Questionnaire, report: Report, titles: Mapping[str, str]
) -> dict[str, Any]:
    """Name every page, task and area by its title (ids stand in for missing titles)."""
    backlog = [
        {
            "item": b,
            "read": [titles.get(p, p) for p in b.pages],
            "do": [titles.get(t, t) for t in b.tasks],
        }
        for b in report.backlog
    ]
    waves = [[questionnaire.area(a).title for a in wave] for wave in report.waves]
    return {
        "areas": report.areas,
        "backlog": backlog,
        "waves": waves,
        "unanswered": report.unanswered,
        "weights": report.weights,
        "levels": questionnaire.levels,
    }


@cache
def _environment() -> jinja2.Environment:
    return environment()
