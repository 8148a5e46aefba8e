"""The search index of the knowledge guide.

The guide itself lives in the repository as Markdown (`content/`), not in the
database. These tables only hold what search needs: one `IndexedDocument` per guide
page or publication per language, and its stemmed words with a weight
(`IndexedTerm`). `IndexState` remembers which version of the content the index was
built from, so the index is rebuilt when the content changes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("guide page")
        PUBLICATION = "publication", _("publication")

    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("indexed document")
        verbose_name_plural = _("indexed documents")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "kind", "key"], name="guide_document_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["page", "publication"]), name="guide_document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.kind}:{self.key}"


class IndexedTerm(models.Model):
    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="terms")
    stem = models.CharField(_("stem"), max_length=100)
    weight = models.PositiveIntegerField(_("weight"))

    class Meta:
        verbose_name = _("indexed term")
        verbose_name_plural = _("indexed terms")
        constraints = [
            models.UniqueConstraint(fields=["document", "stem"], name="guide_term_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="guide_term_weight_positive"),
        ]
        indexes = [models.Index(fields=["stem"], name="guide_term_stem_idx")]

    def __str__(self) -> str:
        return f"{self.stem} ({self.weight})"


class IndexState(models.Model):
    """One row: the digest of the content the index was last built from."""

    digest = models.CharField(_("content digest"), max_length=64)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("index state")
        verbose_name_plural = _("index states")

    def __str__(self) -> str:
        return self.digest
