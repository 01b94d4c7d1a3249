"""Readers of the sources: content/ (Markdown and the glossary), mappings/ and assessment/."""

from __future__ import annotations

from builder.load.assessment import load_questionnaire
from builder.load.content import load_content
from builder.load.glossary import load_glossary
from builder.load.mappings import load_mappings

__all__ = ["load_content", "load_glossary", "load_mappings", "load_questionnaire"]
