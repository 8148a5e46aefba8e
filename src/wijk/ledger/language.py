"""The language of what is written into the books.

Posted entries never change and end up in exports (XAF, the journal) that an
accountant reads years later. So a description the software writes is in the
installation's language (`LANGUAGE_CODE`, Dutch), whatever language the person or
command that posted it happened to use.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation


def books_text(make: Callable[[], object]) -> str:
    """Build a text for the books in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(make())
