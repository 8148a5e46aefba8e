"""`{% guide_help "chapter/page" %}`: a link from an app page to the guide page that explains it.

The key must name an existing guide page; a wrong key fails when the template is
rendered, and tests/guide/test_help_links.py checks every use in the templates.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wijk.guide.content import get_guide
from wijk.guide.views import current_language, find_page, resolve_link

register = template.Library()


@register.simple_tag
def guide_help(key: str) -> str:
    page_key, _sep, _anchor = key.partition("#")
    page = find_page(get_guide(), current_language(), page_key)
    if page is None:
        raise template.TemplateSyntaxError(f"guide_help: there is no guide page {page_key!r}.")
    return format_html(
        '<p class="guide-help"><a href="{}">{}</a></p>',
        resolve_link("guide", key),
        _("Guide: %(title)s") % {"title": page.title},
    )
