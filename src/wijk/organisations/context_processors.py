from __future__ import annotations

from django.http import HttpRequest

from . import selectors
from .navigation import menu_for


def organisations(request: HttpRequest) -> dict[str, object]:
    """The current organisation (on `/o/<slug>/` pages), its menu and the switcher's list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "organisation_access", None)
    match = getattr(request, "resolver_match", None)
    return {
        "my_organisations": selectors.organisation_list_for_user(user=user),
        "current_access": access,
        # What the menu shows; the views check the same permission sets.
        "org_menu": (
            menu_for(
                access=access,
                path=request.path,
                url_name=match.url_name if match and match.url_name else "",
                params=request.GET,
            )
            if access is not None
            else None
        ),
    }
