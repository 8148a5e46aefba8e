"""`wijk guide-index`: checks the content, then builds the search index (once)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.guide.conftest import write_page
from wijk.guide import content
from wijk.guide.models import IndexedDocument, IndexState

pytestmark = pytest.mark.django_db


def use_content_from(monkeypatch, root: Path) -> None:
    """Point the command at another content folder (load_guide's default argument)."""
    monkeypatch.setattr(content.load_guide, "__defaults__", (root,))


def run(*args: str) -> str:
    out = StringIO()
    call_command("guide-index", *args, stdout=out)
    return out.getvalue()


def test_builds_then_reports_current():
    IndexState.objects.all().delete()
    assert run().startswith("Search index rebuilt: ")
    assert run().startswith("Search index already current: ")
    assert run("--force").startswith("Search index rebuilt: ")
    assert IndexedDocument.objects.filter(kind="publication").count() >= 20  # two languages


def test_check_only_changes_nothing():
    IndexState.objects.all().delete()
    IndexedDocument.objects.all().delete()
    pages = sum(len(content.get_guide().pages(lang)) for lang in content.LANGUAGES)
    assert f"The guide is in order: {pages} pages" in run("--check")
    assert not IndexedDocument.objects.exists()


def test_broken_content_is_refused_with_the_file_named(guide_root: Path, monkeypatch):
    path = write_page(guide_root, "nl", "start/twee", order=2, sources=False)
    use_content_from(monkeypatch, guide_root)
    before = IndexedDocument.objects.count()
    with pytest.raises(CommandError, match=f"{path}: the page names no sources"):
        run()
    assert IndexedDocument.objects.count() == before


def test_unreadable_content_is_refused_with_the_file_named(guide_root: Path, monkeypatch):
    bad = guide_root / "nl" / "start" / "twee.md"
    bad.write_text("geen front matter\n")
    use_content_from(monkeypatch, guide_root)
    with pytest.raises(CommandError, match=f"{bad}, line 1"):
        run()
