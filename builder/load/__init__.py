"""Readers for the two sources of truth: content/ (Markdown) and mappings/ (YAML)."""

from __future__ import annotations

from builder.load.content import load_content
from builder.load.glossary import load_glossary
from builder.load.mappings import load_mappings

__all__ = ["load_content", "load_glossary", "load_mappings"]
