"""Our own HTML pages turned into PDF by WeasyPrint, with nothing fetched but `data:` URLs.

WeasyPrint sets up a font configuration (fontconfig and Pango) for every document unless
it is handed one. That set-up is about a third of the time of a one-page invoice, and
the demo and a month's booking invoices render a hundred of them in a row, so each thread
keeps one configuration and reuses it. We load no web fonts (no `@font-face`), so a
reused configuration holds nothing from an earlier document. Per thread, because a Pango
font map is not meant to be shared between threads.
"""

from __future__ import annotations

import threading
from typing import Any

_local = threading.local()


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = FontConfiguration()
        _local.font_config = config
    return config


def html_to_pdf(html: str) -> bytes:
    """Render `html` to PDF bytes. Only inline `data:` URLs (a chart, a logo) are loaded."""
    # Imported here: loading Pango takes a moment, and most requests need no PDF.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_font_config()))
