"""How close two pages are in what they say: the cosine of their TF-IDF vectors, 0 to 1.

"Similar guidance" lists the pages that more-like-this found (builder/index.py), and shows only
those at :data:`THRESHOLD` or above. More-like-this ranks candidates for one page by a sum of
BM25 scores, which cannot be compared from one page to another; a cosine can, so one threshold
serves every page.

The threshold was set on a judged sample (tests/related/judged.yaml): 20 pages, the five
candidates each. Without it half of the 100 candidates were judged relevant; at 0.16, 41 of the
54 shown are (76%), and 41 of the 50 relevant ones are still shown (82%); 0.17 and above lose
relevant pages faster than irrelevant ones. The cosines move a little as content is added (the
same sample gave 80% and 80% before the latest content was merged), so tests/test_relevance.py holds the
threshold to the sample with some room: at least 70% of shown pages relevant, 75% kept.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

from builder.load.content import LINK
from builder.model import Corpus, Guidance

__all__ = ["THRESHOLD", "Relevance"]

#: Below this cosine, a candidate is not shown as similar guidance.
THRESHOLD = 0.16

_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")


class Relevance:
    """Cosine similarity between the pages of a corpus (title, summary and body)."""

    def __init__(self, corpus: Corpus) -> None:
        counts = {n.id: _terms(corpus, n) for n in corpus}
        df: Counter[str] = Counter()
        for vector in counts.values():
            df.update(vector.keys())
        total = len(counts)
        idf = {t: math.log(total / pages) for t, pages in df.items()}
        # 1 + log(f) for each count f a page has (a few dozen values, 72,000 uses).
        top = max((max(v.values(), default=0) for v in counts.values()), default=0)
        tf = [0.0, *(1 + math.log(f) for f in range(1, top + 1))]
        self._vectors = {
            node_id: _unit({t: tf[f] * idf[t] for t, f in v.items()})
            for node_id, v in counts.items()
        }

    def __call__(self, a: str, b: str) -> float:
        """Return the cosine of pages ``a`` and ``b`` (0 when either is unknown)."""
        va, vb = self._vectors.get(a, {}), self._vectors.get(b, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(w * vb[t] for t, w in va.items() if t in vb)

    def above(self, page: str, candidates: Iterable[str]) -> list[str]:
        """Return the ``candidates`` at :data:`THRESHOLD` or above, in their order."""
        return [c for c in candidates if self(page, c) >= THRESHOLD]


def _terms(corpus: Corpus, node: Guidance) -> Counter[str]:
    def title(m: re.Match[str]) -> str:
        target = m.group(1).strip()
        return m.group(2) or (corpus[target].title if target in corpus else "")

    text = " ".join([node.title, node.summary, LINK.sub(title, node.body)]).lower()
    words = _WORD.findall(text)
    for word in set(words).difference(_STEMS):
        _STEMS[word] = "" if word in STOP_WORDS else str(stem(word))
    terms = Counter(map(_STEMS.__getitem__, words))
    del terms[""]  # the stop words
    return terms


#: Each word met so far -> its stem, or "" for a stop word (no word's stem is empty).
_STEMS: dict[str, str] = {}


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}
