"""Writes of the guide app: building the search index from the repository's content.

The guide's pages and publications are files, not rows; only the search index is in
the database. It belongs to no organisation, so there is no audit event: it is
derived data, rebuilt from the files at any time (`wijk guide-index`, after
`migrate`, or on the first search after the content changed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .content import LANGUAGES, Guide, get_guide, render_unlinked
from .models import IndexedDocument, IndexedTerm, IndexState
from .text import stem_counts

TITLE_WEIGHT = 10
SUMMARY_WEIGHT = 3
HEADING_WEIGHT = 4
BODY_WEIGHT = 1
STATE_PK = 1


@dataclass(frozen=True)
class IndexResult:
    rebuilt: bool
    documents: int
    terms: int
    digest: str


def _weighted(parts: list[tuple[str, int]], language: str) -> dict[str, int]:
    weights: dict[str, int] = {}
    for text, weight in parts:
        for stem, count in stem_counts(text, language).items():
            weights[stem] = weights.get(stem, 0) + count * weight
    return weights


def _documents(guide: Guide) -> list[tuple[IndexedDocument, dict[str, int]]]:
    from django.utils.html import strip_tags

    documents = []
    for language in LANGUAGES:
        for page in guide.pages(language):
            rendered = render_unlinked(page.body)
            parts = [
                (page.title, TITLE_WEIGHT),
                (page.summary, SUMMARY_WEIGHT),
                (" ".join(h.title for h in rendered.headings), HEADING_WEIGHT),
                (strip_tags(rendered.html), BODY_WEIGHT),
            ]
            documents.append(
                (
                    IndexedDocument(
                        language=language,
                        kind=IndexedDocument.Kind.PAGE,
                        key=page.key,
                        title=page.title[:300],
                    ),
                    _weighted(parts, language),
                )
            )
        for publication in guide.publications:
            themes = [guide.theme(t) for t in publication.themes]
            parts = [
                (publication.title, TITLE_WEIGHT),
                (" ".join(publication.authors) + " " + publication.publisher, SUMMARY_WEIGHT),
                (" ".join(t.labels[language] for t in themes if t), SUMMARY_WEIGHT),
                (publication.summaries[language], BODY_WEIGHT),
            ]
            documents.append(
                (
                    IndexedDocument(
                        language=language,
                        kind=IndexedDocument.Kind.PUBLICATION,
                        key=publication.key,
                        title=publication.title[:300],
                    ),
                    _weighted(parts, language),
                )
            )
    return documents


@transaction.atomic
def guide_index_update(*, guide: Guide | None = None, force: bool = False) -> IndexResult:
    """Bring the search index in line with the content; rebuild only when it changed.

    The state row is locked first, so two requests that find the index stale at the
    same moment rebuild it one after the other, and the second sees it is current.
    """
    guide = guide or get_guide()
    state, _created = IndexState.objects.select_for_update().get_or_create(
        pk=STATE_PK, defaults={"digest": "", "built_at": timezone.now()}
    )
    if state.digest == guide.digest and not force:
        return IndexResult(
            rebuilt=False,
            documents=IndexedDocument.objects.count(),
            terms=IndexedTerm.objects.count(),
            digest=state.digest,
        )
    IndexedTerm.objects.all().delete()
    IndexedDocument.objects.all().delete()
    documents = _documents(guide)
    created = IndexedDocument.objects.bulk_create([document for document, _ in documents])
    terms = [
        IndexedTerm(document=document, stem=stem, weight=weight)
        for document, (_, weights) in zip(created, documents, strict=True)
        for stem, weight in weights.items()
    ]
    IndexedTerm.objects.bulk_create(terms, batch_size=2000)
    state.digest = guide.digest
    state.built_at = timezone.now()
    state.save(update_fields=["digest", "built_at"])
    return IndexResult(rebuilt=True, documents=len(created), terms=len(terms), digest=guide.digest)
