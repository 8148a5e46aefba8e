"""A small guide written to a temporary folder, to test the checks on broken content."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGE = """+++
title = "{title}"
order = {order}
summary = "A summary."
{extra}
+++
{body}
"""
SOURCE = '[[sources]]\ntitle = "Belastingdienst"\nurl = "https://www.belastingdienst.nl/"\n'
CHECKED = "checked = 2026-11-28\n"


def write_page(
    root: Path,
    language: str,
    key: str,
    *,
    title: str = "Page",
    order: int = 1,
    body: str = "## Kosten\n\nGeld.",
    checked: bool = True,
    sources: bool = True,
    extra: str = "",
) -> Path:
    chapter, page = key.split("/")
    folder = root / language / chapter
    folder.mkdir(parents=True, exist_ok=True)
    chapter_file = folder / "_chapter.md"
    if not chapter_file.exists():
        order_of_chapter = 2 if chapter == "geld" else 1
        chapter_file.write_text(
            f'+++\ntitle = "Chapter {chapter}"\norder = {order_of_chapter}\n+++\nIntro.\n'
        )
    # Top-level keys must come before the [[sources]] tables in TOML.
    front = extra + (CHECKED if checked else "") + (SOURCE if sources else "")
    path = folder / f"{page}.md"
    path.write_text(PAGE.format(title=title, order=order, extra=front, body=body))
    return path


@pytest.fixture
def guide_root(tmp_path: Path) -> Path:
    """Two chapters, two pages each, in both languages, with valid links."""
    for language in ("nl", "en"):
        write_page(
            tmp_path,
            language,
            "start/een",
            title=f"Een ({language})",
            body=(
                "## Vereniging\n\nEen vereniging heeft leden. Zie [twee](guide:start/twee#kosten)."
            ),
        )
        write_page(tmp_path, language, "start/twee", order=2, body="## Kosten\n\nGeld.")
        write_page(tmp_path, language, "geld/drie", body="[Bibliotheek](library:onderzoek)")
    (tmp_path / "library.toml").write_text(
        '[[theme]]\nkey = "onderzoek"\nnl = "Onderzoek"\nen = "Research"\n\n'
        '[[publication]]\nkey = "p1"\ntitle = "Een studie"\nauthors = ["A. Auteur"]\n'
        'publisher = "Uitgever"\nyear = 2020\nurl = "https://example.org/p1"\n'
        'themes = ["onderzoek"]\nlanguage = "nl"\nsummary_nl = "Over stichtingen."\n'
        'summary_en = "About foundations."\n'
    )
    return tmp_path
