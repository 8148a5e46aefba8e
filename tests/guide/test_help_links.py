"""Contextual help: app pages link to the guide page that explains them.

Every `{% guide_help "chapter/page#section" %}` in the templates must name a page and
a section that exist in both languages, so a help link can never point nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

import wijk
from wijk.guide.content import LANGUAGES, get_guide, render_markdown

HELP_TAG = re.compile(r'{%\s*guide_help\s+"([^"]+)"\s*%}')
TEMPLATES = Path(wijk.__file__).parent


def help_keys() -> list[tuple[Path, str]]:
    return [
        (path, match.group(1))
        for path in TEMPLATES.rglob("templates/**/*.html")
        for match in HELP_TAG.finditer(path.read_text())
    ]


def test_help_links_exist():
    assert any("ledger/account_list.html" in str(p) for p, _ in help_keys())


@pytest.mark.parametrize(("path", "key"), help_keys(), ids=lambda v: str(v).split("/")[-1])
def test_every_help_link_names_a_page_and_section_in_both_languages(path, key):
    guide = get_guide()
    page_key, _, anchor = key.partition("#")
    for language in LANGUAGES:
        page = guide.page(language, page_key)
        assert page is not None, f"{path}: no {language} guide page {page_key}"
        if anchor:
            ids = {h.id for h in render_markdown(page.body, lambda s, t: "#").headings}
            assert anchor in ids, f"{path}: {language}/{page_key} has no section #{anchor}"


def test_a_help_link_to_a_missing_page_fails_loudly():
    with pytest.raises(TemplateSyntaxError, match="no guide page 'geld/bestaat-niet'"):
        Template('{% load guide %}{% guide_help "geld/bestaat-niet" %}').render(Context())


@pytest.mark.django_db
def test_the_chart_of_accounts_links_to_bookkeeping_for_foundations(client, org_a, board_a):
    client.force_login(board_a)
    html = client.get(reverse("account_list", kwargs={"organisation": org_a.slug})).content
    target = reverse(
        "guide_page", kwargs={"chapter": "geld", "page": "boekhouden-voor-stichtingen"}
    )
    assert f'href="{target}#rekeningschema"' in html.decode()
    assert "Guide: Bookkeeping for foundations and associations" in html.decode()


def test_the_help_link_speaks_the_page_language(dutch_default):
    template = Template(
        '{% load guide %}{% guide_help "geld/boekhouden-voor-stichtingen#rekeningschema" %}'
    )
    with translation.override("nl"):
        html = template.render(Context())
    assert 'href="/gids/geld/boekhouden-voor-stichtingen/#rekeningschema"' in html
    assert "Gids: Boekhouden voor stichtingen en verenigingen" in html
