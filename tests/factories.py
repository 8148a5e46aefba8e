"""Deterministic test data: every value is named, nothing is random."""

from __future__ import annotations

from wijk.accounts.models import User
from wijk.organisations import services
from wijk.organisations.models import Organisation

PASSWORD = "correct horse battery staple"  # noqa: S105


def make_organisation(name: str, slug: str, **fields: object) -> Organisation:
    return services.organisation_create(name=name, slug=slug, actor=None, **fields)  # type: ignore[arg-type]


def make_user(
    email: str,
    organisation: Organisation | None = None,
    *roles: str,
    two_factor: bool = False,
    **extra: object,
) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, full_name=email.split("@")[0].title(), **extra
    )
    for role in roles:
        services.membership_add(organisation=organisation, user=user, role=role, actor=None)  # type: ignore[arg-type]
    if two_factor:
        add_totp(user)
    return user


TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - a fixed test secret


def add_totp(user: User) -> None:
    """Give the user an activated authenticator app, as allauth would store it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
