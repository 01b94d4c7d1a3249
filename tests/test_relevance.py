"""The threshold of "Similar guidance" against a judged sample of the real content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.config import BuildConfig
from builder.pipeline import check
from builder.render.relevance import THRESHOLD, Relevance

JUDGED = Path(__file__).parent / "related" / "judged.yaml"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def relevance() -> Relevance:
    return Relevance(check(BuildConfig.from_root(REPO)).corpus)


@pytest.fixture(scope="module")
def judged(relevance: Relevance) -> list[tuple[float, bool]]:
    rows = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["judged"]
    assert len(rows) == 100
    return [(relevance(r["page"], r["similar"]), r["relevant"]) for r in rows]


def shown_share(judged: list[tuple[float, bool]], threshold: float) -> tuple[float, float]:
    """Share of shown items judged relevant, and share of relevant items still shown."""
    shown = [ok for score, ok in judged if score >= threshold]
    relevant = sum(ok for _, ok in judged)
    return sum(shown) / len(shown), sum(shown) / relevant


def test_threshold_shows_mostly_relevant_pages_and_keeps_most_of_them(judged):
    before, _ = shown_share(judged, 0.0)
    after, kept = shown_share(judged, THRESHOLD)
    assert before == 0.5
    assert after >= 0.7
    assert kept >= 0.75


def test_cosine_is_symmetric_and_bounded(relevance):
    a, b = "itil-change-management", "mof4-change-and-configuration"
    assert relevance(a, b) == pytest.approx(relevance(b, a))
    assert 0.0 < relevance(a, b) < 1.0
    assert relevance(a, a) == pytest.approx(1.0)
    assert relevance(a, "no-such-page") == 0.0
