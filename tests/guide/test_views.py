"""The guide's public pages: contents, chapter, page, library, search, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.guide.conftest import write_page
from wijk.guide import views
from wijk.guide.content import load_guide

pytestmark = pytest.mark.django_db


def page_url(key: str) -> str:
    chapter, page = key.split("/")
    return reverse("guide_page", kwargs={"chapter": chapter, "page": page})


def test_the_guide_is_public_and_lists_every_chapter(client):
    response = client.get(reverse("guide_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="guide-chapters"' in html
    assert "Legal forms: foundation, association or cooperative" in html
    assert reverse("guide_library") in html


def test_dutch_addresses_and_english_addresses(client, dutch_default):
    assert reverse("guide_index") == "/gids/"
    assert reverse("guide_search") == "/gids/zoeken/"
    assert page_url("starten/rechtsvormen") == "/gids/starten/rechtsvormen/"
    dutch = client.get("/gids/starten/rechtsvormen/")
    assert "Rechtsvormen: stichting, vereniging of coöperatie" in dutch.content.decode()
    with translation.override("en"):
        assert reverse("guide_index") == "/en/guide/"
        assert page_url("starten/rechtsvormen") == "/en/guide/starten/rechtsvormen/"
    english = client.get("/en/guide/starten/rechtsvormen/")
    assert "Legal forms: foundation, association or cooperative" in english.content.decode()


def test_the_language_switch_keeps_the_page(client, dutch_default):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/gids/belasting/btw/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/guide/belasting/btw/"


def test_a_page_has_contents_sources_date_and_neighbours(client):
    html = client.get(page_url("starten/rechtsvormen")).content.decode()
    assert 'id="guide-sources"' in html
    assert "https://wetten.overheid.nl/BWBR0003045/" in html
    assert 'id="guide-checked"' in html and "28 November 2026" in html
    assert (
        f'rel="prev" class="guide-pager__prev" href="{page_url("starten/van-initiatief-naar-onderneming")}"'
        in html
    )
    assert (
        f'rel="next" class="guide-pager__next" href="{page_url("starten/bestuur-en-toezicht")}"'
        in html
    )
    assert 'aria-labelledby="guide-toc-heading"' in html  # table of contents of the page
    # Internal links were resolved to addresses in the reader's language.
    assert f'href="{page_url("geld/financiering")}"' in html
    assert "guide:" not in html


def test_the_first_page_has_no_previous_and_the_last_no_next(client):
    first = client.get(page_url("wijkonderneming/wat-is-een-wijkonderneming")).content.decode()
    last = client.get(page_url("verdienmodellen/meerwaarde-laten-zien")).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_a_chapter_page_lists_its_pages(client):
    html = client.get(reverse("guide_chapter", kwargs={"chapter": "vastgoed"})).content.decode()
    assert page_url("vastgoed/huren-erfpacht-kopen") in html
    assert page_url("vastgoed/beheer-en-onderhoud") in html


@pytest.mark.parametrize(
    "path",
    ["/guide/geen-hoofdstuk/", "/guide/starten/geen-pagina/", "/guide/library/?theme=geen"],
)
def test_unknown_guide_addresses_answer_404(client, path):
    assert client.get(path).status_code == 404


def test_the_guide_only_answers_get(client):
    assert client.post(reverse("guide_index")).status_code == 405


def test_the_library_filters_by_theme(client):
    everything = client.get(reverse("guide_library")).content.decode()
    assert everything.count('class="guide-publication"') >= 10
    html = client.get(reverse("guide_library") + "?theme=meerwaarde").content.decode()
    assert 'id="sroi-guide-2012"' in html and 'id="mkba-leidraad-2013"' in html
    assert 'id="bailey-2012"' not in html
    assert "Publications on Showing added value" in html
    assert "Romijn, Gusta Renes" in html or "Gerbert Romijn, Gusta Renes" in html


def test_search_page_finds_by_inflected_dutch_word(client, dutch_default):
    html = client.get("/gids/zoeken/", {"q": "verenigingen"}).content.decode()
    assert 'id="search-results"' in html
    first = html.index('id="search-results"')
    assert html.index("/gids/starten/rechtsvormen/", first) < html.index("</ol>", first)
    assert "Rechtsvormen: stichting, vereniging of coöperatie" in html


def test_english_search_page(client):
    html = client.get(reverse("guide_search"), {"q": "leasehold"}).content.decode()
    assert page_url("vastgoed/huren-erfpacht-kopen") in html


def test_empty_and_fruitless_searches_say_so(client):
    assert "Type one or more words" in client.get(reverse("guide_search")).content.decode()
    html = client.get(reverse("guide_search"), {"q": "xyzzyqq"}).content.decode()
    assert "0 results" in html and "Nothing found" in html


def test_search_keeps_its_query_count_small(client, django_assert_max_num_queries):
    client.get(reverse("guide_search"), {"q": "stichting"})  # builds the index if needed
    with django_assert_max_num_queries(5):
        client.get(reverse("guide_search"), {"q": "stichting vereniging"})


def test_a_page_without_translation_is_shown_with_a_notice(client, guide_root: Path, monkeypatch):
    write_page(
        guide_root,
        "nl",
        "geld/vier",
        order=2,
        title="Alleen Nederlands",
        extra='translation = "missing"\n',
    )
    guide = load_guide(guide_root)
    monkeypatch.setattr(views, "get_guide", lambda: guide)
    html = client.get(page_url("geld/vier")).content.decode()
    assert "Alleen Nederlands" in html
    assert 'id="translation-missing"' in html
    assert 'lang="nl"' in html


def test_the_site_navigation_links_to_the_guide(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("guide_index")}"' in html and 'id="guide-link"' in html


def test_print_styles_hide_the_navigation():
    css = (Path(views.__file__).parent / "static" / "guide" / "guide.css").read_text()
    print_block = css[css.index("@media print") :]
    for selector in (".site-header", ".guide-contents", ".guide-pager", ".guide-search"):
        assert selector in print_block


def test_search_rebuilds_a_missing_or_stale_index(client):
    from wijk.guide.models import IndexedDocument, IndexState

    IndexState.objects.all().delete()
    IndexedDocument.objects.all().delete()
    html = client.get(reverse("guide_search"), {"q": "leasehold"}).content.decode()
    assert page_url("vastgoed/huren-erfpacht-kopen") in html
    assert IndexState.objects.exists()
