"""The guide's public pages: contents, chapters, pages, library and search.

No login: the guide is for anyone thinking of starting a community enterprise. The
content comes from Markdown files in the repository (`content.py`); only search reads
the database.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import selectors, services
from .content import LANGUAGES, Guide, Page, get_guide, render_markdown

MAX_QUERY_LENGTH = 200


def current_language() -> str:
    """The active language if the guide has it, else Dutch."""
    language = (get_language() or LANGUAGES[0]).split("-")[0]
    return language if language in LANGUAGES else LANGUAGES[0]


def resolve_link(scheme: str, target: str) -> str:
    """The URL, in the active language, of a guide: or library: link in the content."""
    if scheme == "library":
        url = reverse("guide_library")
        return f"{url}?theme={target}" if target else url
    key, _, anchor = target.partition("#")
    chapter, _, page = key.partition("/")
    url = reverse("guide_page", kwargs={"chapter": chapter, "page": page})
    return f"{url}#{anchor}" if anchor else url


def page_url(page: Page) -> str:
    return reverse("guide_page", kwargs={"chapter": page.chapter, "page": page.slug})


def find_page(guide: Guide, language: str, key: str) -> Page | None:
    """The page in `language`, or the other language's version that says it has no twin."""
    page = guide.page(language, key)
    if page is not None:
        return page
    for other in LANGUAGES:
        candidate = guide.page(other, key)
        if candidate is not None and candidate.translation_missing:
            return candidate
    return None


@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    guide = get_guide()
    language = current_language()
    return render(
        request,
        "guide/index.html",
        {"chapters": guide.chapters[language], "publication_count": len(guide.publications)},
    )


@require_GET
def guide_chapter(request: HttpRequest, chapter: str) -> HttpResponse:
    guide = get_guide()
    language = current_language()
    found = guide.chapter(language, chapter)
    if found is None:
        raise Http404
    return render(
        request,
        "guide/chapter.html",
        {
            "chapter": found,
            "chapters": guide.chapters[language],
            "intro": render_markdown(found.intro, resolve_link).html,
        },
    )


@require_GET
def guide_page(request: HttpRequest, chapter: str, page: str) -> HttpResponse:
    guide = get_guide()
    language = current_language()
    found = find_page(guide, language, f"{chapter}/{page}")
    if found is None:
        raise Http404
    chapter_found = guide.chapter(found.language, chapter)
    before, after = guide.neighbours(found)
    rendered = render_markdown(found.body, resolve_link)
    return render(
        request,
        "guide/page.html",
        {
            "page": found,
            "chapter": chapter_found,
            "chapters": guide.chapters[language] or guide.chapters[found.language],
            "content": rendered.html,
            "headings": [h for h in rendered.headings if h.level == 2],
            "previous": before,
            "next": after,
            "other_language": found.language != language,
        },
    )


@require_GET
def guide_library(request: HttpRequest) -> HttpResponse:
    guide = get_guide()
    language = current_language()
    theme_key = request.GET.get("theme", "")
    theme = guide.theme(theme_key) if theme_key else None
    if theme_key and theme is None:
        raise Http404
    publications = [p for p in guide.publications if theme is None or theme.key in p.themes]
    themes = [
        {
            "key": t.key,
            "label": t.labels[language],
            "count": sum(t.key in p.themes for p in guide.publications),
        }
        for t in guide.themes
    ]
    labels = {t.key: t.labels[language] for t in guide.themes}
    return render(
        request,
        "guide/library.html",
        {
            "publications": [
                {
                    "publication": p,
                    "summary": p.summaries[language],
                    "themes": [labels[t] for t in p.themes if t in labels],
                }
                for p in publications
            ],
            "themes": themes,
            "theme": theme,
            "theme_label": theme.labels[language] if theme else "",
        },
    )


@require_GET
def guide_search(request: HttpRequest) -> HttpResponse:
    guide = get_guide()
    language = current_language()
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = []
    if query:
        if not selectors.guide_index_is_current(digest=guide.digest):
            services.guide_index_update(guide=guide)
        for hit in selectors.guide_search(query=query, language=language):
            if hit.kind == "page":
                page = find_page(guide, language, hit.key)
                if page is None:
                    continue
                results.append(
                    {
                        "title": page.title,
                        "url": page_url(page),
                        "summary": page.summary,
                        "kind": "page",
                        "chapter": (guide.chapter(page.language, page.chapter) or page).title,
                    }
                )
            else:
                publication = next((p for p in guide.publications if p.key == hit.key), None)
                if publication is None:
                    continue
                results.append(
                    {
                        "title": publication.title,
                        "url": f"{reverse('guide_library')}#{publication.key}",
                        "summary": publication.summaries[language],
                        "kind": "publication",
                        "chapter": "",
                    }
                )
    return render(request, "guide/search.html", {"query": query, "results": results})
