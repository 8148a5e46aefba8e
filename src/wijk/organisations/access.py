"""The one door into an organisation's data.

`access_organisation` decides whether a user may see an organisation and with which
roles. For an organisation the user does not belong to it raises `Http404`, exactly
as for one that does not exist, so the answer leaks nothing. Every view under
`/o/<slug>/` goes through `organisation_view`, and every `access_<entity>` function
for enterprise-owned rows starts from the `OrganisationAccess` it returns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from wijk.accounts.models import User

from .models import Invitation, Membership, NeighbourhoodLink, Organisation
from .roles import ALL_ROLES


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    user: User
    roles: frozenset[str]

    def has(self, allowed: Iterable[str]) -> bool:
        return bool(self.roles & frozenset(allowed))

    def require(self, allowed: Iterable[str]) -> None:
        if not self.has(allowed):
            raise PermissionDenied


def access_organisation(
    *, user: User, slug: str, allowed: Iterable[str] = ALL_ROLES
) -> OrganisationAccess:
    """Resolve `slug` for `user`: 404 when missing or not theirs, 403 when the role is lacking."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    roles = frozenset(
        Membership.objects.filter(organisation__slug=slug, user=user).values_list("role", flat=True)
    )
    if not roles:
        raise Http404
    organisation = Organisation.objects.get(slug=slug)
    access = OrganisationAccess(organisation=organisation, user=user, roles=roles)
    access.require(allowed)
    return access


def access_membership(*, access: OrganisationAccess, membership_id: int) -> Membership:
    try:
        return (
            Membership.objects.for_organisation(access.organisation)
            .select_related("user")
            .get(pk=membership_id)
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def access_invitation(*, access: OrganisationAccess, invitation_id: int) -> Invitation:
    try:
        return Invitation.objects.for_organisation(access.organisation).get(pk=invitation_id)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def access_neighbourhood(*, access: OrganisationAccess, link_id: int) -> NeighbourhoodLink:
    try:
        return NeighbourhoodLink.objects.for_organisation(access.organisation).get(pk=link_id)
    except NeighbourhoodLink.DoesNotExist as exc:
        raise Http404 from exc


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def organisation_view(allowed: Iterable[str] = ALL_ROLES) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view under `/o/<slug:organisation>/`.

    Anonymous visitors go to the login page; everybody else gets the view called with
    `access` (an `OrganisationAccess`) in place of the slug, or a 404/403.
    """
    allowed_roles = frozenset(allowed)

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, organisation: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_organisation(
                user=request.user, slug=organisation, allowed=allowed_roles
            )
            # Read by the layout (context processor) for navigation.
            request.organisation_access = access  # type: ignore[attr-defined]
            return view(request, *args, access=access, **kwargs)

        return cast(ViewFunc, wrapper)

    return decorator
