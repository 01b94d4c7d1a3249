"""The worked example overlay (examples/overlay-fernbrook) built over the real content: each
capability checked in the built site, the search index and the export."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from builder.config import BuildConfig
from builder.errors import ValidationFailed
from builder.export import export_graph
from builder.pipeline import BuildResult, build
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "overlay-fernbrook"


@dataclass(frozen=True)
class Built:
    cfg: BuildConfig
    result: BuildResult

    @property
    def site(self) -> Path:
        return self.cfg.site_dir

    def html(self, name: str) -> str:
        return (self.site / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("fernbrook")
    cfg = BuildConfig.from_root(
        REPO, site_dir=out / "site", build_dir=out / "build", overlays=(EXAMPLE,)
    )
    return Built(cfg, build(cfg))


def _article(html: str) -> str:
    return html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def _map_nodes(html: str) -> dict[str, dict[str, object]]:
    blocks = re.findall(
        r'<script type="application/json" class="pm-data">(.*?)</script>', html, re.S
    )
    return {n["id"]: n for block in blocks for n in json.loads(block)["nodes"]}


pytestmark = pytest.mark.slow


def test_the_example_builds_clean_and_content_is_untouched(built: Built) -> None:
    assert built.result.check.problems == []
    corpus = built.result.check.corpus
    local = sorted(n.id for n in corpus if n.origin == "local")
    assert local == [
        "fb-change-control",
        "fb-process-model",
        "fb-service-restoration",
        "task-fb-request-a-peak-freeze-exception",
        "task-fb-run-the-daily-change-call",
    ]
    # content/ is read, never written: the standard file still has its own steps.
    standard = (REPO / "content/tasks/task-assess-and-schedule-a-normal-change.md").read_text()
    assert "**Check the RFC is complete.**" in standard


def test_local_pages_are_marked_as_our_practice(built: Built) -> None:
    page = _article(built.html("task-fb-run-the-daily-change-call.html"))
    assert 'class="admonition portal-local"' in page
    assert "Fernbrook Logistics IT's own guidance" in page
    # The renamed persona reads under its local name in the facts of the local task.
    assert ">Change Coordinator</a>" in page


def test_renamed_role_keeps_its_standard_name(built: Built) -> None:
    page = _article(built.html("role-change-manager.html"))
    assert re.search(r"<h1[^>]*>Change Coordinator", page)
    assert "(standard name: Change Manager)" in page
    # The inserted section comes right after the one it names.
    headings = re.findall(r'<h2 id="([^"]+)"', page)
    assert headings[headings.index("mission") + 1] == "at-fernbrook"


def test_replaced_procedure_keeps_the_standard_text_one_click_away(built: Built) -> None:
    page = _article(built.html("task-assess-and-schedule-a-normal-change.html"))
    ours, rest = page.split('<details class="quote">', 1)
    standard = rest.split("</details>", 1)[0]
    steps = ours.split('id="steps"', 1)[1]
    assert "Check the change record is complete." in steps
    assert '<p class="portal-local-label">Our practice</p>' in steps
    assert "Check for duplicates and link the sources." not in ours
    assert "The standard guidance this replaces" in standard
    assert "Check for duplicates and link the sources." in standard


def test_local_priorities_and_contacts(built: Built) -> None:
    page = _article(built.html("itil-incident-management.html"))
    headings = re.findall(r'<h2 id="([^"]+)"', page)
    assert headings[headings.index("key-concepts") + 1] == "our-priority-levels"
    assert "who-to-call" in headings and "see-also-in-our-practice" in headings
    assert 'href="mailto:servicedesk@fernbrook.example"' in page
    assert 'href="fb-service-restoration.html"' in page


def test_hidden_element_is_reachable_but_out_of_nav_and_search(built: Built) -> None:
    page = built.html("itil-demand-management.html")
    assert "Not adopted here" in page and "Fernbrook does not run demand management" in page
    nav = built.html("itil-incident-management.html").split('<nav class="md-nav md-nav--primary"')[
        1
    ]
    nav = nav.split("</nav>", 1)[0]
    assert "itil-demand-management.html" not in nav
    assert "itil-incident-management.html" in nav
    # The site's own search index, a script that assigns one object: its docs start with the id.
    script = (built.site / "search" / "portal-search-index.js").read_text()
    data = json.loads(script.removeprefix("var portalSearchIndex = ").rstrip().removesuffix(";"))
    ids = {doc[0] for doc in data["docs"]}
    assert "itil-demand-management" not in ids
    assert "task-fb-run-the-daily-change-call" in ids
    listing = built.html("browse/kind-process.html")
    assert "itil-demand-management.html" not in listing
    assert "itil-incident-management.html" in listing


def test_terminal_search_finds_local_content_and_not_hidden(built: Built) -> None:
    from builder.search.engine import search

    hits = [h.id for h in search(built.cfg, "daily change call warehouse", limit=5).hits]
    assert hits[0] == "task-fb-run-the-daily-change-call"
    hidden = [h.id for h in search(built.cfg, "demand management", limit=20).hits]
    assert "itil-demand-management" not in hidden
    renamed = [h.id for h in search(built.cfg, "Change Coordinator", limit=5).hits]
    assert "role-change-manager" in renamed


def test_maps_tint_local_and_hidden_elements(built: Built) -> None:
    html = built.html("maps/lifecycle.html")
    nodes = _map_nodes(html)
    assert nodes["fb-change-control"]["tint"] == "local"
    assert nodes["itil-demand-management"]["tint"] == "hidden"
    assert "tint" not in nodes["itil-change-management"]
    # Each tint ships the colours of both schemes, once per map.
    data = json.loads(re.search(r'class="pm-data">(.*?)</script>', html, re.S).group(1))
    assert data["tints"]["local"] == {
        "light": ["#882255", "#882255"],
        "dark": ["#AA3377", "#E58FB8"],
    }
    assert data["tints"]["hidden"]["light"] == ["#E4E4E4", "#9E9E9E"]


def _glossary_entry(html: str, anchor: str) -> str:
    return html.split(f'<dt id="{anchor}">', 1)[1].split("<dt ", 1)[0]


def test_local_glossary_terms_are_labelled_and_an_override_keeps_the_standard(
    built: Built,
) -> None:
    html = _article(built.html("glossary.html"))
    label = '<span class="portal-local-label">Our practice</span>'
    assert "Terms labelled <strong>Our practice</strong> are this organisation" in html
    dcc = _glossary_entry(html, "term-dcc")
    assert dcc.startswith(f"<strong>DCC</strong> (Daily Change Call) {label}</dt>")
    assert 'href="task-fb-run-the-daily-change-call.html"' in dcc
    major = _glossary_entry(html, "term-major-incident")
    ours, standard = major.split('<details class="quote">', 1)
    assert label in ours and "At Fernbrook, a P1" in ours
    assert "The standard definition this replaces" in standard
    assert "An incident with the highest impact on the business" in standard
    assert "highest impact" not in ours
    assert html.count('id="term-major-incident"') == 1  # replaced, not listed twice
    assert label not in _glossary_entry(html, "term-cab")


def test_local_acronyms_expand_on_pages_and_in_both_searches(built: Built) -> None:
    from builder.search.engine import search

    page = _article(built.html("task-fb-run-the-daily-change-call.html"))
    assert '<abbr title="Daily Change Call">DCC</abbr>' in page
    # fb-change-control says "warehouse management system", never WMS: found by the synonym.
    assert "WMS" not in _article(built.html("fb-change-control.html"))
    hits = [h.id for h in search(built.cfg, "WMS", limit=5).hits]
    assert hits[0] == "fb-change-control"
    script = (built.site / "search" / "portal-search-index.js").read_text()
    data = json.loads(script.removeprefix("var portalSearchIndex = ").rstrip().removesuffix(";"))
    assert data["synonyms"]["wms"] == ["warehouse management system"]
    assert data["synonyms"]["dcc"] == ["daily change call"]


#: Fernbrook's change control and the standard Change Manager persona match "change window"
#: about equally (the local page's words score 3% below the persona's): the organisation's
#: own page ranks first, in both searches.
EQUAL_MATCH = ("change window", "fb-change-control", "role-change-manager")


def test_terminal_search_ranks_local_content_first_among_equal_matches(built: Built) -> None:
    from builder.search.engine import search
    from builder.search.intent import LOCAL_TIE

    query, local, standard = EQUAL_MATCH
    hits = search(built.cfg, query, limit=10).hits
    assert [h.id for h in hits[:2]] == [local, standard]
    # Without the tie-break the standard page would be ahead, by less than the tie.
    unaided = hits[0].score / LOCAL_TIE
    assert hits[1].score / LOCAL_TIE < unaided < hits[1].score


#: Queries for the overlay's parity test: the benchmark's and some that its pages answer.
OVERLAY_QUERIES = [
    "change window",
    "change call",
    "normal change",
    "change freeze",
    "peak season freeze",
    "schedule a normal change",
    "daily change call warehouse",
    "Change Coordinator",
    "restoration",
    "WMS",
    "DCC",
    "demand management",
]


@pytest.mark.browser
def test_site_search_ranks_local_content_first_and_marks_it(built: Built, browser) -> None:
    """The site's own search ranks the overlay's pages as `portal search` does (its top ten,
    on the benchmark and on queries that the overlay's pages answer), and marks them."""
    from playwright.sync_api import expect

    from builder.render.overlay import LOCAL_LABEL
    from builder.search.engine import SearchEngine
    from tests.conftest import Offline

    benchmark = yaml.safe_load((REPO / "tests/search/queries.yaml").read_text())["queries"]
    queries = [q["query"] for q in benchmark] + OVERLAY_QUERIES
    tab = Offline(browser)
    try:
        p = tab.page
        p.goto((built.site / "itil-change-management.html").as_uri())
        box = p.locator("#portal-search-input")
        query, local, standard = EQUAL_MATCH
        box.fill(query)
        expect(p.locator(".portal-search__status")).to_have_attribute("data-query", query)
        options = p.locator("#portal-search-listbox [role=option]")
        expect(options.nth(0)).to_have_attribute("data-id", local)
        expect(options.nth(1)).to_have_attribute("data-id", standard)
        badge = ".portal-search__badge--local"
        expect(options.nth(0).locator(badge)).to_have_text(LOCAL_LABEL)
        expect(options.nth(1).locator(badge)).to_have_count(0)
        got = p.evaluate(
            """qs => { const e = PortalSearchEngine(portalSearchIndex);
            return qs.map(q => e.search(q, {}, 10).hits.map(h => h.id)); }""",
            queries,
        )
        assert tab.errors == []
    finally:
        tab.close()
    assert tab.blocked == []
    with SearchEngine(built.cfg) as engine:
        assert not engine.rebuilt  # the index the site was built with
        want = [[h.id for h in engine.search(q).hits] for q in queries]
    assert dict(zip(queries, got, strict=True)) == dict(zip(queries, want, strict=True))


def test_local_crosswalk_is_built(built: Built) -> None:
    page = built.html("crosswalks/fb-process-model-itil.html")
    assert "Fernbrook change control" in page and "Change Management" in page


def test_export_marks_each_node_and_record(built: Built) -> None:
    G = built.result.check.graph
    data = json.loads(export_graph(G, "json"))
    origin = {n["id"]: n["origin"] for n in data["nodes"]}
    assert origin["task-fb-run-the-daily-change-call"] == "local"
    assert origin["itil-change-management"] == "standard"
    assert set(origin.values()) == {"standard", "local"}
    records = [link for link in data["links"] if link["relation"] == "maps-to"]
    local = {(r["source"], r["target"]) for r in records if r["origin"] == "local"}
    assert ("fb-change-control", "itil-change-management") in local
    assert all(r["origin"] in ("standard", "local") for r in records)
    assert next(n for n in data["nodes"] if n["id"] == "itil-demand-management")["hidden"]
    csv_head = export_graph(G, "csv").splitlines()[0]
    assert csv_head.endswith(",origin")


def test_a_bad_overlay_leaves_the_site_as_it_was(built: Built, tmp_path: Path) -> None:
    overlay = tmp_path / "bad"
    shutil.copytree(EXAMPLE, overlay)
    bad = overlay / "content" / "extensions" / "role-service-desk-analyst.md"
    bad.write_text(bad.read_text().replace("[[itil-incident-management]]", "<script>x()</script>"))
    before = {p: p.stat().st_mtime_ns for p in built.site.rglob("*.html")}
    cfg = BuildConfig.from_root(
        REPO, site_dir=built.site, build_dir=built.cfg.build_dir, overlays=(overlay,)
    )
    with pytest.raises(ValidationFailed) as e:
        build(cfg)
    assert "role-service-desk-analyst.md:9: the body contains a <script> element" in str(e.value)
    assert {p: p.stat().st_mtime_ns for p in built.site.rglob("*.html")} == before


#: Maps with both tints, one, the other, and none; the overview, pair, stage, role and local maps.
LEGEND_PAGES = {
    "maps/lifecycle.html": {"local", "hidden"},
    "maps/pair-fb-process-model-itil.html": {"local"},
    "maps/stage-itil-service-strategy.html": {"hidden"},
    "maps/role-role-it-executive.html": {"local", "hidden"},
    "maps/pair-itil-msf.html": set(),
    "fb-change-control.html": {"local"},
    "itil-demand-management.html": {"hidden"},
    "itil-access-management.html": set(),
}

#: The centre of this node is painted in its tint (both are dots, not rings).
TINTED_NODE = {"local": "fb-change-control", "hidden": "itil-demand-management"}

_PIXEL = """([id, rgb]) => {
    const m = (window.portalMaps || []).find((m) => m.network.body.nodes[id]);
    if (!m) return false;
    const canvas = m.app.querySelector(".pm-canvas canvas");
    const at = m.network.canvasToDOM(m.network.getPositions([id])[id]);
    const ratio = canvas.width / canvas.clientWidth;
    const px = canvas.getContext("2d").getImageData(
        Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data;
    return [0, 1, 2].every((i) => Math.abs(px[i] - rgb[i]) <= 2);
}"""


def _rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_legends_explain_overlay_tints_exactly_where_maps_show_them(
    built: Built, browser, scheme: str
) -> None:
    from playwright.sync_api import expect

    from builder.render.overlay import TINTS
    from tests.conftest import Offline

    other = "dark" if scheme == "light" else "light"
    tab = Offline(browser, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        p = tab.page
        own_framework_legends = 0
        for name, expected in LEGEND_PAGES.items():
            # What the page's maps ship decides the legend, as the table above says.
            shipped = {n["tint"] for n in _map_nodes(built.html(name)).values() if "tint" in n}
            assert shipped == expected, name
            p.goto((built.site / name).as_uri())
            p.wait_for_function("window.portalMaps && window.portalMaps.length > 0")
            if scheme == "dark":
                p.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
            expect(p.locator(".pm-tint")).to_have_count(len(expected))
            for key in expected:
                entry = p.locator(f'.pm-tint[data-tint="{key}"]')
                expect(entry).to_contain_text(TINTS[key].label)
                # The swatch shows this scheme's colours, the other scheme's stays hidden.
                swatch = entry.locator(f".pm-scheme-{scheme}")
                expect(swatch).to_be_visible()
                expect(swatch).to_have_attribute("fill", getattr(TINTS[key], scheme)[0])
                expect(entry.locator(f".pm-scheme-{other}")).to_be_hidden()
                node = TINTED_NODE[key]
                if node in _map_nodes(built.html(name)):
                    fill = getattr(TINTS[key], scheme)[0]
                    p.wait_for_function(_PIXEL, arg=[node, _rgb(fill)])
            if 'class="pm-framework" value="fb-process-model"' in built.html(name):
                # The overlay's own framework: all its elements are drawn local, and so is its
                # swatch among the frameworks, in this scheme's colours.
                own_framework_legends += 1
                own = p.locator('label:has(.pm-framework[value="fb-process-model"])')
                expect(own.locator(f".pm-scheme-{scheme}")).to_be_visible()
                expect(own.locator(f".pm-scheme-{scheme}")).to_have_attribute(
                    "fill", getattr(TINTS["local"], scheme)[0]
                )
                expect(own.locator(f".pm-scheme-{other}")).to_be_hidden()
        assert own_framework_legends >= 2
        assert tab.errors == []
    finally:
        tab.close()
    assert tab.blocked == []
