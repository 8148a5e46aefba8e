from __future__ import annotations

from django.http import HttpRequest

from . import selectors
from .roles import (
    SUBMIT_EXPENSE_CLAIMS,
    VIEW_AUDIT_LOG,
    VIEW_BOOKS,
    VIEW_PEOPLE,
    VIEW_PERSONS,
    VIEW_SALES,
    Role,
)


def organisations(request: HttpRequest) -> dict[str, object]:
    """The current organisation (on `/o/<slug>/` pages) and the switcher's list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "organisation_access", None)
    return {
        "my_organisations": selectors.organisation_list_for_user(user=user),
        "current_access": access,
        # What the navigation shows; the views check the same permission sets.
        "nav": {
            "people": access is not None and access.has(VIEW_PEOPLE),
            "audit_log": access is not None and access.has(VIEW_AUDIT_LOG),
            "books": access is not None and access.has(VIEW_BOOKS),
            "claims": access is not None and access.has(SUBMIT_EXPENSE_CLAIMS),
            "invoices": access is not None and access.has(VIEW_SALES),
            "persons": access is not None and access.has(VIEW_PERSONS),
            # Volunteers log their own hours; others reach the page by its address too.
            "my_hours": access is not None and access.has({Role.VOLUNTEER}),
        },
    }
