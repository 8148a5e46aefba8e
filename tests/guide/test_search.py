"""Search over the guide and the library: stemmed, ranked in SQL, rebuilt when content changes.

Runs on SQLite and on PostgreSQL (DATABASE_URL); the ranking uses plain SQL only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.guide.conftest import write_page
from wijk.guide.content import load_guide
from wijk.guide.models import IndexedDocument, IndexedTerm, IndexState
from wijk.guide.selectors import guide_search
from wijk.guide.services import guide_index_update
from wijk.guide.text import stems

pytestmark = pytest.mark.django_db


def keys(query: str, language: str) -> list[str]:
    return [hit.key for hit in guide_search(query=query, language=language)]


def test_dutch_stemming_joins_inflected_forms():
    assert stems("verenigingen", "nl") == stems("vereniging", "nl")
    assert stems("coöperaties", "nl") == stems("cooperatie", "nl")
    assert stems("associations", "en") == stems("association", "en")
    assert stems("de en het van", "nl") == []


def test_an_inflected_dutch_word_finds_the_page_about_it():
    guide_index_update(force=True)
    found = keys("verenigingen", "nl")
    assert found[0] == "starten/rechtsvormen"
    assert "vereniging" not in " ".join(found)  # the query word itself is not in the keys


def test_english_search_uses_the_english_stemmer():
    guide_index_update(force=True)
    assert keys("associations", "en")[0] == "starten/rechtsvormen"
    assert keys("maintenance plans", "en")[0] == "vastgoed/beheer-en-onderhoud"


def test_pages_with_more_of_the_words_rank_first():
    guide_index_update(force=True)
    hits = guide_search(query="btw zaalverhuur", language="nl")
    assert {hits[0].key, hits[1].key} == {"belasting/btw", "verdienmodellen/zaalverhuur-en-horeca"}
    assert hits[0].matched == 2
    assert [h.matched for h in hits] == sorted((h.matched for h in hits), reverse=True)


def test_the_library_is_searched_too():
    guide_index_update(force=True)
    hits = guide_search(query="steunparadox support paradox", language="en")
    assert ("publication", "kleinhans-van-ham-2017") in [(h.kind, h.key) for h in hits]


def test_a_query_of_only_common_words_finds_nothing():
    assert guide_search(query="de het een", language="nl") == []
    assert guide_search(query="   ", language="nl") == []


def test_the_polite_you_is_a_common_word():
    # The Dutch pages say "u" and "uw" to the reader on nearly every line.
    assert stems("uw boekhouding", "nl") == stems("boekhouding", "nl")
    guide_index_update(force=True)
    assert guide_search(query="u uw", language="nl") == []


def test_the_index_is_rebuilt_only_when_the_content_changes(guide_root: Path):
    first = guide_index_update(guide=load_guide(guide_root))
    assert first.rebuilt
    assert IndexedDocument.objects.count() == 2 * 3 + 2  # pages and the publication
    assert IndexState.objects.get().digest == first.digest

    again = guide_index_update(guide=load_guide(guide_root))
    assert not again.rebuilt
    assert keys("verenigingen", "nl") == ["start/een"]

    write_page(
        guide_root,
        "nl",
        "start/twee",
        order=2,
        title="Verenigingen en kosten",
        body="## Kosten\n\nGeld.",
    )
    changed = guide_index_update(guide=load_guide(guide_root))
    assert changed.rebuilt
    assert changed.digest != first.digest
    assert keys("verenigingen", "nl")[0] == "start/twee"  # the title weighs most
    assert (
        IndexedTerm.objects.filter(document__key="start/twee", stem__in=stems("verenigingen", "nl"))
        .get()
        .weight
        >= 10
    )


def test_the_index_is_built_after_migrate_but_not_after_flush():
    from wijk.guide.apps import GuideConfig
    from wijk.guide.signals import index_after_migrate

    IndexState.objects.all().delete()
    IndexedDocument.objects.all().delete()
    index_after_migrate(sender=GuideConfig)  # what flush sends: no migration plan
    assert not IndexState.objects.exists()
    index_after_migrate(sender=GuideConfig, plan=[])  # what migrate sends
    assert IndexState.objects.exists()
    assert IndexedDocument.objects.filter(language="nl", kind="page").count() >= 12
