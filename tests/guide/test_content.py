"""The guide's content: the repository's pages pass every check, and broken content fails.

A page without a source or a checked-on date, a broken internal link, a link to a
section that does not exist, and a page in one language only (unless it says
`translation = "missing"`) are each reported with the file they are in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.guide.conftest import write_page
from wijk.guide.content import (
    CONTENT_DIR,
    LANGUAGES,
    GuideContentError,
    load_guide,
    render_markdown,
    validate,
)


def test_the_repository_content_passes_every_check():
    guide = load_guide(CONTENT_DIR)
    assert validate(guide) == []


def test_the_repository_content_is_substantial_and_paired():
    guide = load_guide(CONTENT_DIR)
    for language in LANGUAGES:
        pages = guide.pages(language)
        assert 12 <= len(pages) <= 30
        for page in pages:
            assert page.sources, page.path
            assert page.checked is not None, page.path
            assert len(page.body.split()) >= 250, f"{page.path} is too short"
    assert {p.key for p in guide.pages("nl")} == {p.key for p in guide.pages("en")}
    assert len(guide.publications) >= 10
    assert all(p.summaries["nl"] and p.summaries["en"] for p in guide.publications)


# The Dutch pages speak to the reader as "u", like the app. Names of others keep their
# own words: the crowdfunding platform is called "Voor je Buurt".
INFORMAL = re.compile(r"\b(?:je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
NAMES_WITH_JE = ("Voor je Buurt",)


def _informal_words(text: str) -> list[str]:
    for name in NAMES_WITH_JE:
        text = text.replace(name, "")
    return INFORMAL.findall(text)


def test_the_dutch_guide_addresses_the_reader_as_u():
    guide = load_guide(CONTENT_DIR)
    found = []
    for chapter in guide.chapters["nl"]:
        if words := _informal_words(f"{chapter.title}\n{chapter.intro}"):
            found.append((str(chapter.path), words))
        for page in chapter.pages:
            if words := _informal_words(f"{page.title}\n{page.summary}\n{page.body}"):
                found.append((str(page.path), words))
    for publication in guide.publications:
        if words := _informal_words(publication.summaries["nl"]):
            found.append((f"library.toml: {publication.key}", words))
    assert found == []
    assert _informal_words("Hebt u je eigen gebouw?") == ["je"]


def test_the_issue_topics_are_covered():
    text = " ".join(p.body.lower() for p in load_guide(CONTENT_DIR).pages("nl"))
    for topic in (
        "development trust",
        "stichting",
        "vereniging",
        "coöperatie",
        "bv",
        "kascommissie",
        "anbi",
        "sbbi",
        "publicatieplicht",
        "btw",
        "vennootschapsbelasting",
        "vrijwilligersvergoeding",
        "verzeker",
        "fonds",
        "lening",
        "crowdfunding",
        "erfpacht",
        "beheerovereenkomst",
        "meerjarenonderhoudsplan",
        "uitdaagrecht",
        "woningcorporatie",
        "zaalverhuur",
        "horeca",
        "energie",
        "sroi",
        "mkba",
        "steun ook kan vertragen",
        "sociaal kapitaal",
    ):
        assert topic in text, topic


def test_a_valid_small_guide_passes(guide_root: Path):
    guide = load_guide(guide_root)
    assert validate(guide) == []
    assert [p.key for p in guide.pages("nl")] == ["start/een", "start/twee", "geld/drie"]


def test_a_page_without_sources_fails(guide_root: Path):
    path = write_page(guide_root, "nl", "start/twee", order=2, sources=False)
    problems = validate(load_guide(guide_root))
    assert problems == [f"{path}: the page names no sources; add at least one [[sources]]."]


def test_a_page_without_checked_date_fails(guide_root: Path):
    path = write_page(guide_root, "en", "start/twee", order=2, checked=False)
    problems = validate(load_guide(guide_root))
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: the page has no 'checked' date")


def test_a_broken_internal_link_fails(guide_root: Path):
    path = write_page(guide_root, "nl", "geld/drie", body="[Weg](guide:start/bestaat-niet)")
    problems = validate(load_guide(guide_root))
    assert problems == [
        f"{path}: the link guide:start/bestaat-niet points to a page that does not exist "
        "(write guide:<chapter>/<page>)."
    ]


def test_a_link_to_a_missing_section_fails(guide_root: Path):
    path = write_page(guide_root, "en", "geld/drie", body="[Costs](guide:start/twee#nowhere)")
    problems = validate(load_guide(guide_root))
    assert problems == [
        f"{path}: the link guide:start/twee#nowhere points to a section #nowhere that page "
        "start/twee does not have."
    ]


def test_a_link_to_an_unknown_library_theme_fails(guide_root: Path):
    write_page(guide_root, "nl", "geld/drie", body="[B](library:onbekend)")
    assert any("names a theme that does not exist" in p for p in validate(load_guide(guide_root)))


def test_a_page_in_one_language_only_fails(guide_root: Path):
    path = write_page(guide_root, "nl", "geld/vier", order=2)
    problems = validate(load_guide(guide_root))
    assert problems == [
        f"{path}: there is no en version of this page; write en/geld/vier.md or declare "
        'translation = "missing".'
    ]


def test_a_page_in_one_language_that_says_so_passes(guide_root: Path):
    write_page(guide_root, "nl", "geld/vier", order=2, extra='translation = "missing"\n')
    assert validate(load_guide(guide_root)) == []


def test_saying_missing_while_the_translation_exists_fails(guide_root: Path):
    write_page(guide_root, "nl", "start/twee", order=2, extra='translation = "missing"\n')
    assert any("exists" in p for p in validate(load_guide(guide_root)))


def test_a_chapter_named_like_a_guide_address_fails(guide_root: Path):
    for language in LANGUAGES:
        write_page(guide_root, language, "zoeken/iets")
    assert any("zoeken" in p for p in validate(load_guide(guide_root)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "line 1: the file must start with a line '+++'"),
        ("+++\ntitle = 'x'\n", "the front matter has no closing '+++' line"),
        ("+++\ntitle = \n+++\n", "the front matter is not valid TOML"),
        ("+++\ntitle = 'x'\nsummary = 's'\n+++\n", "front matter 'order' must be a whole"),
        ("+++\norder = 1\nsummary = 's'\n+++\n", "front matter 'title' must be a non-empty"),
    ],
)
def test_unreadable_front_matter_names_the_file(guide_root: Path, text: str, message: str):
    path = guide_root / "nl" / "start" / "twee.md"
    path.write_text(text)
    with pytest.raises(GuideContentError) as error:
        load_guide(guide_root)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_a_publication_lacking_fields_names_them(guide_root: Path):
    library = guide_root / "library.toml"
    library.write_text(library.read_text().replace('summary_en = "About foundations."\n', ""))
    with pytest.raises(GuideContentError, match=r"publication 1 \(p1\) lacks summary_en"):
        load_guide(guide_root)


def test_links_become_addresses_and_headings_get_ids():
    rendered = render_markdown(
        "## Wat is het?\n\nZie [hier](guide:a/b#c) en [boeken](library:onderzoek).",
        lambda scheme, target: f"/{scheme}/{target}",
    )
    assert '<h2 id="wat-is-het">Wat is het?</h2>' in rendered.html
    assert 'href="/guide/a/b#c"' in rendered.html
    assert 'href="/library/onderzoek"' in rendered.html
    assert [h.id for h in rendered.headings] == ["wat-is-het"]


def test_wijk_check_warns_about_broken_content(guide_root: Path, monkeypatch):
    from wijk.guide import content
    from wijk.guide.signals import check_content

    assert check_content() == []
    path = write_page(guide_root, "nl", "start/twee", order=2, checked=False)
    monkeypatch.setattr(content.load_guide, "__defaults__", (guide_root,))
    warnings = check_content()
    assert [w.id for w in warnings] == ["wijk.guide.W001"]
    assert str(path) in warnings[0].msg
