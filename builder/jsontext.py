"""JSON that is safe inside an HTML page's ``<script>`` element."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["script_json"]


def script_json(data: Any) -> str:
    """Return ``data`` as compact JSON in which no ``<``, ``>`` or ``&`` can end the script.

    >>> script_json({"title": "</script><b>&"})
    '{"title":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
