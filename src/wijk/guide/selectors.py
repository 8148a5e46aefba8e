"""Reads of the guide app: search over the guide's pages and the library.

The query is stemmed like the content (`text.stems`), and the ranking happens in SQL:
documents that contain more of the query's stems come first, then those whose
matching words weigh more (title above headings above body text). Works the same on
SQLite and PostgreSQL; no database-specific full-text features.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import IndexedDocument, IndexedTerm, IndexState
from .text import stems

MAX_RESULTS = 50
MAX_QUERY_STEMS = 12


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str
    title: str
    matched: int
    score: int


def guide_search(*, query: str, language: str) -> list[SearchHit]:
    """Pages and publications in `language` that contain words of `query`, best first."""
    wanted = list(dict.fromkeys(stems(query, language)))[:MAX_QUERY_STEMS]
    if not wanted:
        return []
    ranked = list(
        IndexedTerm.objects.filter(document__language=language, stem__in=wanted)
        .values("document_id")
        .annotate(matched=Count("stem"), score=Sum("weight"))
        .order_by("-matched", "-score", "document_id")[:MAX_RESULTS]
    )
    documents = IndexedDocument.objects.in_bulk([row["document_id"] for row in ranked])
    return [
        SearchHit(
            kind=documents[row["document_id"]].kind,
            key=documents[row["document_id"]].key,
            title=documents[row["document_id"]].title,
            matched=int(row["matched"]),
            score=int(row["score"]),
        )
        for row in ranked
    ]


def guide_index_is_current(*, digest: str) -> bool:
    """Whether the search index was built from the content with this digest."""
    return IndexState.objects.filter(digest=digest).exists()
