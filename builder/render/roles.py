"""The pages for IT pro roles (personas): "Find your role", a learning path and a checklist each,
and the work a persona's own page lists."""

from __future__ import annotations

import re
from typing import Any

import jinja2

from builder.model import Corpus, Guidance
from builder.render.mdtext import resolve_links, section
from builder.render.nav import Rendered
from builder.render.order import by_stage, title_key

__all__ = ["persona_work", "render_role_pages"]

#: Words in a task title that make it a meeting or review the role attends.
_MEETING = re.compile(r"\b(review|CAB|ECAB|bridge|meeting|board)\b", re.IGNORECASE)


def persona_work(corpus: Corpus, role: Guidance) -> dict[str, Any]:
    """The tasks a persona performs or answers for, by lifecycle stage, and its meetings."""
    tasks = sorted(
        (
            n
            for n in corpus
            if n.kind == "task" and (role.id in n.performer or n.accountable == role.id)
        ),
        key=lambda t: (t.title.lower(), t.id),
    )
    groups = [
        {
            "title": stage.title if stage else "Across the lifecycle",
            "tasks": [
                {"id": t.id, "title": t.title, "accountable_only": role.id not in t.performer}
                for t in members
            ],
        }
        for stage, members in by_stage(corpus, tasks)
    ]
    meetings = [
        {"id": t.id, "title": t.title}
        for t in tasks
        if _MEETING.search(t.title)
        or any(corpus.by_id[c].kind == "review" for c in t.carries_out if c in corpus)
    ]
    return {"groups": groups, "meetings": meetings, "count": len(tasks)}


def render_role_pages(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Write roles.md ("Find your role"), and learning/ and checklists/ pages for every persona.

    The nav entry, "Find your role", opens the section of the roles.
    """
    personas = sorted((n for n in corpus if n.kind == "role" and not n.framework), key=title_key)
    if not personas:
        return Rendered({})
    files: dict[str, str] = {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for role in personas:
        work = persona_work(corpus, role)
        home = next(
            (corpus[s] for s in role.sits if s in corpus and corpus[s].kind == "accountability"),
            None,
        )
        title = home.title if home else "Other roles"
        groups.setdefault(title, []).append(
            {"id": role.id, "title": role.title, "summary": role.summary, "tasks": work["count"]}
        )
        path = section(role.body, "Learning path")
        files[f"learning/{role.id}.md"] = env.get_template("learning.md.j2").render(
            role=role, path=resolve_links(corpus, path, prefix="../"), groups=work["groups"]
        )
        files[f"checklists/{role.id}.md"] = env.get_template("checklist.md.j2").render(
            role=role, tasks=_checklist(corpus, work)
        )
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "Other roles", kv[0]))
    files["roles.md"] = env.get_template("roles.md.j2").render(
        groups=[{"title": title, "roles": roles} for title, roles in ordered]
    )
    return Rendered(files, [{"Find your role": "roles.md"}])


def _checklist(corpus: Corpus, work: dict[str, Any]) -> list[dict[str, Any]]:
    """A persona's tasks in the order of its work, each with its trigger and checklist."""
    return [
        {
            "id": t.id,
            "title": t.title,
            "trigger": t.trigger,
            "checklist": resolve_links(corpus, section(t.body, "Checklist"), prefix="../"),
        }
        for g in work["groups"]
        for t in (corpus[x["id"]] for x in g["tasks"])
    ]
