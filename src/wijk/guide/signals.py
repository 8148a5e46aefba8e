"""Hooks the guide app registers: the index after `migrate`, and a content check."""

from __future__ import annotations

import logging
from typing import Any

from django.core import checks
from django.db import DatabaseError

from .content import GuideContentError, load_guide, validate

logger = logging.getLogger(__name__)


def index_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Build the search index once the tables exist, so the first search is fast.

    Only after a real `migrate` (which passes its `plan`): `flush` sends the same
    signal after emptying the tables, and the first search rebuilds the index then.
    """
    from .services import guide_index_update

    if kwargs.get("plan") is None:
        return

    try:
        guide_index_update()
    except GuideContentError as exc:
        logger.warning("The guide's search index was not built: %s", exc)
    except DatabaseError as exc:  # the tables are not there yet (migrating backwards)
        logger.warning("The guide's search index was not built: %s", exc)


def check_content(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`wijk check` reports broken guide content: missing sources, dates, links."""
    try:
        problems = validate(load_guide())
    except GuideContentError as exc:
        problems = [str(exc)]
    return [checks.Warning(problem, id="wijk.guide.W001") for problem in problems]
