"""The glossary page, and the abbreviations a page explains on hover."""

from __future__ import annotations

import re
from typing import Any

import jinja2

from builder.model import LOCAL, Corpus, Term
from builder.render.nav import Rendered

__all__ = ["abbreviations_in", "acronym_pattern", "render_glossary"]


def render_glossary(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Write glossary.md (when the corpus has a glossary): its terms under their first letter."""
    if not corpus.glossary:
        return Rendered({})
    letters: dict[str, list[dict[str, Any]]] = {}
    for term in sorted(corpus.glossary, key=lambda t: t.term.casefold()):
        letter = term.term[0].upper() if term.term[0].isalpha() else "#"
        see = [{"id": i, "title": corpus[i].title} for i in term.see if i in corpus]
        letters.setdefault(letter, []).append({"term": term, "see": see})
    # An overlay's terms are labelled; the page says what the label means when it has any.
    local = any(t.origin == LOCAL for t in corpus.glossary)
    text = env.get_template("glossary.md.j2").render(letters=sorted(letters.items()), local=local)
    return Rendered({"glossary.md": text}, [{"Glossary": "glossary.md"}])


def abbreviations_in(
    glossary: tuple[Term, ...], text: str, pattern: re.Pattern[str] | None = None
) -> list[Term]:
    """Return the acronyms of ``glossary`` that occur in ``text`` as whole words, sorted.

    ``pattern`` is :func:`acronym_pattern` of the glossary, precomputed for many pages.

    >>> from builder.errors import SourceLocation
    >>> cab = Term("CAB", "A board.", SourceLocation("g.yaml"), expansion="Change Advisory Board")
    >>> [t.term for t in abbreviations_in((cab,), "Ask the CAB.")], abbreviations_in((cab,), "CABS")
    (['CAB'], [])
    """
    pattern = pattern or acronym_pattern(glossary)
    if pattern is None:
        return []
    found = set(pattern.findall(text))
    return sorted((t for t in glossary if t.is_acronym and t.term in found), key=lambda t: t.term)


def acronym_pattern(glossary: tuple[Term, ...]) -> re.Pattern[str] | None:
    """One regular expression that matches any acronym of the glossary as a whole word."""
    terms = sorted({t.term for t in glossary if t.is_acronym}, key=lambda t: (-len(t), t))
    if not terms:
        return None
    # The lookahead on first letters lets the engine skip, cheaply, most places in a page;
    # where one matches, only the acronyms of that letter are tried, longest first as before.
    rests: dict[str, list[str]] = {}
    for t in terms:
        rests.setdefault(t[0], []).append(re.escape(t[1:]))
    first = "".join(sorted(re.escape(f) for f in rests))
    alternatives = "|".join(f"{re.escape(f)}(?:{'|'.join(r)})" for f, r in sorted(rests.items()))
    return re.compile(rf"(?=[{first}])(?<![\w-])({alternatives})(?![\w-])")
