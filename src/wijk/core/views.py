"""Views that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, able to translate `next` from any language.

    Django resolves `next` in the language that is active for this request, which is
    Dutch on this unprefixed URL, so `/en/...` would not resolve and switching back
    from English would keep the English address. Resolve it in its own language.
    """
    next_url = request.POST.get("next", request.GET.get("next", "")) or ""
    language = translation.get_language_from_path(next_url)
    if language:
        with translation.override(language):
            return django_set_language(request)
    return django_set_language(request)
