"""The knowledge guide's content: Markdown files with TOML front matter, in the repository.

Layout under `content/`:

    <language>/<chapter>/_chapter.md   the chapter: title, order, a short introduction
    <language>/<chapter>/<page>.md     a page: title, order, summary, checked, sources
    library.toml                       the publications library and its themes

A file starts with front matter between two `+++` lines, in TOML:

    +++
    title = "De stichting"
    order = 2
    summary = "One sentence for the table of contents and search results."
    checked = 2026-11-28
    [[sources]]
    title = "KVK: stichting"
    url = "https://www.kvk.nl/..."
    +++

Chapters and pages have the same file names in every language, so the address of a
page is the same in Dutch and English apart from the `/en/guide/` prefix. A page that
exists in one language only says so with `translation = "missing"`; the other language
then shows it with a notice.

Links between pages are written `[text](guide:<chapter>/<page>#anchor)`; links to the
library `[text](library:)` or `[text](library:<theme>)`. They are resolved to URLs of
the reader's language when a page is rendered, and checked by `validate()`.

Everything here is read-only and pure: `load_guide(root)` parses a folder,
`validate(guide)` lists what is wrong with it, `render_page()` turns a page into HTML.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import markdown

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("nl", "en")
FRONT_MATTER = "+++"
CHAPTER_FILE = "_chapter.md"
LIBRARY_FILE = "library.toml"
# Path segments the guide's own URLs use after the guide prefix; no chapter may take them.
RESERVED_SLUGS = frozenset({"zoeken", "search", "bibliotheek", "library"})
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# [text](guide:chapter/page#anchor) and [text](library:theme)
LINK = re.compile(r"\]\((guide|library):([^)\s]*)\)")


class GuideContentError(Exception):
    """A content file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Page:
    language: str
    chapter: str
    slug: str
    title: str
    order: int
    summary: str
    checked: date | None
    sources: tuple[Source, ...]
    body: str
    translation_missing: bool
    path: Path

    @property
    def key(self) -> str:
        return f"{self.chapter}/{self.slug}"


@dataclass(frozen=True)
class Chapter:
    language: str
    slug: str
    title: str
    order: int
    intro: str
    pages: tuple[Page, ...]
    path: Path


@dataclass(frozen=True)
class Theme:
    key: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Publication:
    key: str
    title: str
    authors: tuple[str, ...]
    publisher: str
    year: int
    url: str
    themes: tuple[str, ...]
    summaries: dict[str, str]
    language: str


@dataclass(frozen=True)
class Guide:
    root: Path
    chapters: dict[str, tuple[Chapter, ...]]
    themes: tuple[Theme, ...]
    publications: tuple[Publication, ...]
    digest: str
    _pages: dict[tuple[str, str], Page] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for language, chapters in self.chapters.items():
            for chapter in chapters:
                for page in chapter.pages:
                    self._pages[(language, page.key)] = page

    def chapter(self, language: str, slug: str) -> Chapter | None:
        return next((c for c in self.chapters.get(language, ()) if c.slug == slug), None)

    def page(self, language: str, key: str) -> Page | None:
        return self._pages.get((language, key))

    def pages(self, language: str) -> list[Page]:
        """Every page of `language` in reading order."""
        return [page for chapter in self.chapters.get(language, ()) for page in chapter.pages]

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        """The pages before and after `page` in reading order."""
        pages = self.pages(page.language)
        index = next(i for i, p in enumerate(pages) if p.key == page.key)
        before = pages[index - 1] if index > 0 else None
        after = pages[index + 1] if index + 1 < len(pages) else None
        return before, after

    def theme(self, key: str) -> Theme | None:
        return next((t for t in self.themes if t.key == key), None)


# Reading


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    """The TOML front matter and the Markdown body of a content file."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise GuideContentError(
            f"{path}, line 1: the file must start with a line '{FRONT_MATTER}' "
            "followed by the front matter."
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER)
    except StopIteration:
        raise GuideContentError(
            f"{path}: the front matter has no closing '{FRONT_MATTER}' line."
        ) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        # tomllib counts lines from the start of the front matter; the file has one more.
        raise GuideContentError(f"{path}: the front matter is not valid TOML ({exc}).") from exc
    return meta, "\n".join(lines[end + 1 :]).strip() + "\n"


def _text(meta: dict[str, object], name: str, path: Path, default: str | None = None) -> str:
    value = meta.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise GuideContentError(f"{path}: front matter '{name}' must be a non-empty text.")
    return value.strip()


def _order(meta: dict[str, object], path: Path) -> int:
    value = meta.get("order")
    if not isinstance(value, int) or isinstance(value, bool):
        raise GuideContentError(f"{path}: front matter 'order' must be a whole number.")
    return value


def _page(language: str, chapter: str, path: Path) -> Page:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    checked = meta.get("checked")
    sources = meta.get("sources", [])
    if not isinstance(sources, list):
        raise GuideContentError(f"{path}: 'sources' must be a list of [[sources]] tables.")
    parsed_sources = []
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or not all(
            isinstance(source.get(k), str) and source[k].strip() for k in ("title", "url")
        ):
            raise GuideContentError(f"{path}: source {number} needs a 'title' and a 'url'.")
        parsed_sources.append(Source(title=source["title"].strip(), url=source["url"].strip()))
    translation = meta.get("translation")
    if translation not in (None, "missing"):
        raise GuideContentError(
            f"{path}: 'translation' may only be \"missing\" (the other language has no "
            "version of this page)."
        )
    return Page(
        language=language,
        chapter=chapter,
        slug=path.stem,
        title=_text(meta, "title", path),
        order=_order(meta, path),
        summary=_text(meta, "summary", path),
        checked=checked if isinstance(checked, date) else None,
        sources=tuple(parsed_sources),
        body=body,
        translation_missing=translation == "missing",
        path=path,
    )


def _chapter(language: str, folder: Path) -> Chapter:
    chapter_file = folder / CHAPTER_FILE
    if not chapter_file.exists():
        raise GuideContentError(f"{folder}: a chapter folder needs a {CHAPTER_FILE} file.")
    meta, intro = split_front_matter(chapter_file.read_text(encoding="utf-8"), chapter_file)
    pages = sorted(
        (_page(language, folder.name, p) for p in folder.glob("*.md") if p.name != CHAPTER_FILE),
        key=lambda p: (p.order, p.slug),
    )
    return Chapter(
        language=language,
        slug=folder.name,
        title=_text(meta, "title", chapter_file),
        order=_order(meta, chapter_file),
        intro=intro,
        pages=tuple(pages),
        path=chapter_file,
    )


def _library(path: Path) -> tuple[tuple[Theme, ...], tuple[Publication, ...]]:
    if not path.exists():
        return (), ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GuideContentError(f"{path}: not valid TOML ({exc}).") from exc
    themes = []
    for number, raw in enumerate(data.get("theme", []), start=1):
        labels = {lang: raw.get(lang) for lang in LANGUAGES}
        if not isinstance(raw.get("key"), str) or not all(
            isinstance(v, str) and v for v in labels.values()
        ):
            raise GuideContentError(
                f"{path}: theme {number} needs a 'key' and a label for each of {LANGUAGES}."
            )
        themes.append(Theme(key=raw["key"], labels={k: str(v) for k, v in labels.items()}))
    publications = []
    for number, raw in enumerate(data.get("publication", []), start=1):
        where = f"{path}: publication {number} ({raw.get('key', 'no key')})"
        missing = [
            name
            for name in (
                "key",
                "title",
                "authors",
                "publisher",
                "year",
                "url",
                "themes",
                "language",
            )
            if not raw.get(name)
        ]
        missing += [f"summary_{lang}" for lang in LANGUAGES if not raw.get(f"summary_{lang}")]
        if missing:
            raise GuideContentError(f"{where} lacks {', '.join(missing)}.")
        if not isinstance(raw["year"], int):
            raise GuideContentError(f"{where}: 'year' must be a whole number.")
        publications.append(
            Publication(
                key=str(raw["key"]),
                title=str(raw["title"]).strip(),
                authors=tuple(str(a) for a in raw["authors"]),
                publisher=str(raw["publisher"]).strip(),
                year=raw["year"],
                url=str(raw["url"]).strip(),
                themes=tuple(str(t) for t in raw["themes"]),
                summaries={lang: str(raw[f"summary_{lang}"]).strip() for lang in LANGUAGES},
                language=str(raw["language"]),
            )
        )
    publications.sort(key=lambda p: (-p.year, p.title))
    return tuple(themes), tuple(publications)


def _content_files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".md", ".toml"))


def content_digest(root: Path) -> str:
    """A hash of every content file's name and bytes: changes whenever the content does."""
    digest = hashlib.sha256()
    for path in _content_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_guide(root: Path = CONTENT_DIR) -> Guide:
    """Read every chapter, page and publication under `root`."""
    chapters: dict[str, tuple[Chapter, ...]] = {}
    for language in LANGUAGES:
        folder = root / language
        found = (
            [_chapter(language, d) for d in folder.iterdir() if d.is_dir()]
            if folder.is_dir()
            else []
        )
        chapters[language] = tuple(sorted(found, key=lambda c: (c.order, c.slug)))
    themes, publications = _library(root / LIBRARY_FILE)
    return Guide(
        root=root,
        chapters=chapters,
        themes=themes,
        publications=publications,
        digest=content_digest(root),
    )


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in _content_files(root))


@lru_cache(maxsize=2)
def _load_cached(root: Path, stamp: tuple[tuple[str, int, int], ...]) -> Guide:
    return load_guide(root)


def get_guide(root: Path = CONTENT_DIR) -> Guide:
    """The guide, parsed once and parsed again when a content file changes."""
    return _load_cached(root, _stamp(root))


# Rendering


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


LinkResolver = Callable[[str, str], str]


def _flatten(tokens: list[dict[str, object]]) -> Iterator[Heading]:
    for token in tokens:
        yield Heading(id=str(token["id"]), title=str(token["name"]), level=int(str(token["level"])))
        children = token.get("children")
        if isinstance(children, list):
            yield from _flatten(children)


def render_markdown(body: str, resolve: LinkResolver) -> Rendered:
    """Markdown to HTML, with guide: and library: links turned into URLs by `resolve`.

    `resolve(scheme, target)` returns the URL of a link target. Headings get ids, so
    a page's table of contents and links to a section (`#anchor`) work.
    """
    text = LINK.sub(lambda m: f"]({resolve(m.group(1), m.group(2))})", body)
    md = markdown.Markdown(
        extensions=["attr_list", "toc", "tables", "sane_lists", "smarty"],
        extension_configs={"toc": {"toc_depth": "2-3"}, "smarty": {"smart_quotes": False}},
        output_format="html",
    )
    html = md.convert(text)
    return Rendered(html=html, headings=tuple(_flatten(md.toc_tokens)))


@lru_cache(maxsize=512)
def render_unlinked(body: str) -> Rendered:
    """A page rendered with every guide: and library: link pointing nowhere.

    For what does not depend on the reader's language: the text to index for search,
    and the section ids that links may point to. Cached, since Markdown is slow.
    """
    return render_markdown(body, lambda scheme, target: "#")


def links(text: str) -> Iterator[tuple[str, str]]:
    """The (scheme, target) of every guide: and library: link in `text`."""
    for match in LINK.finditer(text):
        yield match.group(1), match.group(2)


# Checking


def _anchors(page: Page) -> set[str]:
    return {h.id for h in render_unlinked(page.body).headings}


def validate(guide: Guide) -> list[str]:
    """Everything wrong with the content, one located sentence each; empty when fine."""
    problems: list[str] = []
    theme_keys = {t.key for t in guide.themes}
    for language in LANGUAGES:
        other = next(lang for lang in LANGUAGES if lang != language)
        for chapter in guide.chapters.get(language, ()):
            if not SLUG.match(chapter.slug) or chapter.slug in RESERVED_SLUGS:
                problems.append(
                    f"{chapter.path.parent}: the folder name must be lower-case words joined "
                    f"by hyphens and not one of {sorted(RESERVED_SLUGS)}."
                )
            if guide.chapter(other, chapter.slug) is None and not any(
                p.translation_missing for p in chapter.pages
            ):
                problems.append(
                    f"{chapter.path}: the chapter has no {other} version; add "
                    f"{other}/{chapter.slug}/{CHAPTER_FILE}."
                )
            if not chapter.pages:
                problems.append(f"{chapter.path}: the chapter has no pages.")
            for page in chapter.pages:
                problems.extend(_page_problems(guide, page, other, theme_keys))
    for publication in guide.publications:
        unknown = [t for t in publication.themes if t not in theme_keys]
        if unknown:
            problems.append(
                f"{guide.root / LIBRARY_FILE}: publication {publication.key} has unknown "
                f"themes {unknown}; add them as [[theme]] or correct them."
            )
        if not publication.url.startswith("https://"):
            problems.append(
                f"{guide.root / LIBRARY_FILE}: publication {publication.key}: the link must "
                "start with https://."
            )
    keys = [p.key for p in guide.publications]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"{guide.root / LIBRARY_FILE}: the key {key} is used twice.")
    return problems


def _page_problems(guide: Guide, page: Page, other: str, theme_keys: set[str]) -> list[str]:
    problems = []
    if not SLUG.match(page.slug):
        problems.append(f"{page.path}: the file name must be lower-case words joined by hyphens.")
    if not page.sources:
        problems.append(f"{page.path}: the page names no sources; add at least one [[sources]].")
    for source in page.sources:
        if not source.url.startswith("https://"):
            problems.append(f"{page.path}: source '{source.title}' must link with https://.")
    if page.checked is None:
        problems.append(
            f"{page.path}: the page has no 'checked' date (the day its facts were last "
            "checked against the sources, as 2026-11-28)."
        )
    counterpart = guide.page(other, page.key)
    if counterpart is None and not page.translation_missing:
        problems.append(
            f"{page.path}: there is no {other} version of this page; write "
            f'{other}/{page.key}.md or declare translation = "missing".'
        )
    if counterpart is not None and page.translation_missing:
        problems.append(
            f'{page.path}: says translation = "missing" but {other}/{page.key}.md exists.'
        )
    for scheme, target in links(page.body):
        problem = _link_problem(guide, page.language, scheme, target, theme_keys)
        if problem:
            problems.append(f"{page.path}: the link {scheme}:{target} {problem}")
    return problems


def _link_problem(
    guide: Guide, language: str, scheme: str, target: str, theme_keys: set[str]
) -> str | None:
    if scheme == "library":
        if target and target not in theme_keys:
            return "names a theme that does not exist."
        return None
    key, _, anchor = target.partition("#")
    linked = guide.page(language, key) or next(
        (guide.page(lang, key) for lang in LANGUAGES if guide.page(lang, key)), None
    )
    if linked is None:
        return "points to a page that does not exist (write guide:<chapter>/<page>)."
    if anchor and anchor not in _anchors(linked):
        return f"points to a section #{anchor} that page {key} does not have."
    return None
