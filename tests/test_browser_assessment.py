"""The self-assessment page in Chromium from file://: answer, score, export, import, agree with the CLI."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import REPO, Offline
from playwright.sync_api import expect

from builder.assessment import score
from builder.config import BuildConfig
from builder.load.assessment import load_answers, load_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AREA = "io-identity-and-access-management"


@pytest.fixture
def offline(browser):
    o = Offline(browser)
    yield o
    o.close()


def expect_level(page, area: str, level: str, score: str) -> None:
    row = page.locator(f".pa-levels tr[data-area='{area}']")
    expect(row.locator(".pa-level")).to_have_text(level)
    expect(row.locator(".pa-score")).to_have_text(score)


def test_answer_score_export_and_import(site, browser, tmp_path):
    first = Offline(browser)
    page = first.page
    page.goto((site / "assessment.html").as_uri())
    page.locator("input[name='iam-directory'][value='1']").check()
    page.locator("input[name='iam-accounts'][value='2']").check()
    expect(page.locator(".pa-count")).to_have_text(re.compile(r"^2 of "))
    page.locator(".pa-show").click()
    expect_level(page, AREA, "Basic", "1.50")
    expect(page.locator(f".pa-backlog li[data-area='{AREA}']")).to_have_count(1)
    with page.expect_download() as info:
        page.locator(".pa-export").click()
    exported = tmp_path / "answers.json"
    info.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["answers"]["iam-directory"] == "Basic"
    assert data["answers"]["iam-accounts"] == "Standardized"
    assert first.blocked == [] and first.errors == []
    first.close()

    second = Offline(browser)  # a fresh context: no local storage
    page = second.page
    page.goto((site / "assessment.html").as_uri())
    expect(page.locator(".pa-count")).to_have_text(re.compile(r"^0 of "))
    page.locator(".pa-import").set_input_files(str(exported))
    expect_level(page, AREA, "Basic", "1.50")
    expect(page.locator("input[name='iam-accounts'][value='2']")).to_be_checked()
    assert second.blocked == [] and second.errors == []
    second.close()


def test_answers_survive_a_reload(site, offline):
    page = offline.page
    page.goto((site / "assessment.html").as_uri())
    page.locator("input[name='iam-directory'][value='3']").check()
    expect(page.locator(".pa-count")).to_have_text(re.compile(r"^1 of "))
    page.reload()
    expect(page.locator("input[name='iam-directory'][value='3']")).to_be_checked()


def test_site_and_cli_score_the_same_answers(site, offline):
    questionnaire, _ = load_questionnaire(
        BuildConfig.from_root(REPO), {p.stem for p in (REPO / "content").rglob("*.md")}
    )
    sample = REPO / "assessment" / "sample-answers.yaml"
    answers, problems = load_answers(sample, questionnaire)
    assert problems == [] and answers is not None
    python = score(questionnaire, answers)
    raw = yaml.safe_load(sample.read_text())
    state = {"answers": dict(raw["answers"]), "weights": raw["weights"]}
    offline.page.goto((site / "assessment.html").as_uri())
    js = offline.page.evaluate("state => window.portalAssessment.score(state)", state)
    assert [(a["id"], a["score"], a["level"]) for a in js["areas"]] == [
        (a.id, a.score, a.level) for a in python.areas
    ]
    assert [(b["area"], b["priority"], b["statement"]) for b in js["backlog"]] == [
        (b.area, b.priority, b.statement) for b in python.backlog
    ]
    assert js["waves"] == python.waves
    assert js["unanswered"] == python.unanswered
    assert offline.blocked == [] and offline.errors == []
