"""The guide's addresses: /gids/ in Dutch, /en/guide/ in English (translated paths).

Chapters and pages keep the same slug in both languages, so the language switch
(`translate_url`) leads to the same page in the other language.
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

urlpatterns = [
    path(pgettext_lazy("URL", "guide/"), views.guide_index, name="guide_index"),
    path(pgettext_lazy("URL", "guide/search/"), views.guide_search, name="guide_search"),
    path(pgettext_lazy("URL", "guide/library/"), views.guide_library, name="guide_library"),
    path(pgettext_lazy("URL", "guide/<slug:chapter>/"), views.guide_chapter, name="guide_chapter"),
    path(
        pgettext_lazy("URL", "guide/<slug:chapter>/<slug:page>/"),
        views.guide_page,
        name="guide_page",
    ),
]
