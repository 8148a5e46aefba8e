"""Every change to organisations, memberships and invitations.

Services are keyword-only, run in one transaction, validate with located, translated
`ValidationError`s, and write an audit event.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record

from .models import Invitation, Membership, NeighbourhoodLink, Organisation
from .roles import Role
from .validators import (
    clean_kvk_number,
    clean_postcode,
    clean_rsin,
    normalise_cbs_code,
    validate_cbs_code,
)

INVITATION_VALID_DAYS = 14

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "kvk_number",
    "rsin",
    "tax_status",
    "street_address",
    "postcode",
    "city",
    "email",
    "website",
    "fiscal_year_start_month",
)


# Shared with the form, so the website and the command line check the same way.
FIELD_CLEANERS = {"kvk_number": clean_kvk_number, "rsin": clean_rsin, "postcode": clean_postcode}


def _clean_organisation_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise and validate; raise one ValidationError naming every bad field."""
    cleaned = dict(fields)
    errors: dict[str, list[ValidationError]] = {}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [ValidationError(_("Give the organisation a name."))]
    for field, clean in FIELD_CLEANERS.items():
        if cleaned.get(field):
            try:
                cleaned[field] = clean(cleaned[field])
            except ValidationError as exc:
                errors[field] = [exc]
    month = cleaned.get("fiscal_year_start_month")
    if month is not None and not 1 <= int(month) <= 12:
        errors["fiscal_year_start_month"] = [
            ValidationError(_("Choose a month from 1 (January) to 12 (December)."))
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str = "",
    actor: User | None,
    board_member: User | None = None,
    **fields: Any,
) -> Organisation:
    """Create an enterprise; `board_member`, when given, becomes its first board member."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    cleaned = _clean_organisation_fields({"name": name, **fields})
    slug = slugify(slug or cleaned["name"])[:60]
    if not slug:
        raise ValidationError(
            {
                "slug": [
                    ValidationError(
                        _("Choose a short name of lower-case letters, digits and hyphens.")
                    )
                ]
            }
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(
            {
                "slug": [
                    ValidationError(
                        _("The short name “%(slug)s” is already taken.") % {"slug": slug}
                    )
                ]
            }
        )
    organisation = Organisation.objects.create(slug=slug, **cleaned)
    audit_record(
        action="organisation.create", actor=actor, organisation=organisation, obj=organisation
    )
    if board_member is not None:
        membership_add(organisation=organisation, user=board_member, role=Role.BOARD, actor=actor)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    cleaned = _clean_organisation_fields(fields)
    changed = {}
    for field, value in cleaned.items():
        if getattr(organisation, field) != value:
            changed[field] = value
            setattr(organisation, field, value)
    if changed:
        organisation.full_clean()
        organisation.save(update_fields=list(changed))
        audit_record(
            action="organisation.update",
            actor=actor,
            organisation=organisation,
            obj=organisation,
            data={"fields": sorted(changed)},
        )
    return organisation


@transaction.atomic
def neighbourhood_link_add(
    *,
    organisation: Organisation,
    code: str,
    name: str = "",
    is_priority_area: bool = False,
    actor: User | None,
) -> NeighbourhoodLink:
    code = normalise_cbs_code(code)
    try:
        validate_cbs_code(code)
    except ValidationError as exc:
        raise ValidationError({"code": [exc]}) from exc
    if NeighbourhoodLink.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError(
            {
                "code": [
                    ValidationError(
                        _("%(code)s is already linked to this organisation.") % {"code": code}
                    )
                ]
            }
        )
    link = NeighbourhoodLink.objects.create(
        organisation=organisation, code=code, name=name.strip(), is_priority_area=is_priority_area
    )
    audit_record(
        action="neighbourhood.add",
        actor=actor,
        organisation=organisation,
        obj=link,
        data={"code": code},
    )
    return link


@transaction.atomic
def neighbourhood_link_remove(*, link: NeighbourhoodLink, actor: User) -> None:
    audit_record(
        action="neighbourhood.remove",
        actor=actor,
        organisation=link.organisation,
        obj=link,
        data={"code": link.code},
    )
    link.delete()


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, actor: User | None
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": [ValidationError(_("Choose one of the listed roles."))]})
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role
    )
    if created:
        audit_record(
            action="membership.add",
            actor=actor,
            organisation=organisation,
            obj=membership,
            data={"user": user.email, "role": role},
        )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: User) -> None:
    """End one role. The last board member cannot be removed: someone must be in charge."""
    organisation = membership.organisation
    if membership.role == Role.BOARD:
        # Lock the board rows so two concurrent removals cannot both pass the check.
        board = list(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, role=Role.BOARD)
            .values_list("pk", flat=True)
        )
        if len(board) <= 1:
            raise ValidationError(
                _(
                    "This is the last board member. Another person must first accept "
                    "an invitation as board member; then you can remove this role."
                )
            )
    audit_record(
        action="membership.end",
        actor=actor,
        organisation=organisation,
        obj=membership,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: User | None, base_url: str
) -> tuple[Invitation, str]:
    """Invite `email` to `role` and send the link. Returns the invitation and its secret token."""
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": [ValidationError(_("Enter a valid e-mail address."))]}
        ) from exc
    if role not in Role.values:
        raise ValidationError({"role": [ValidationError(_("Choose one of the listed roles."))]})
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, role=role
    ).exists():
        raise ValidationError(
            {"email": [ValidationError(_("%(email)s already has this role.") % {"email": email})]}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    link = base_url.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    context = {
        "organisation": organisation,
        "role": invitation.get_role_display().lower(),
        "inviter": actor,
        "link": link,
        "days": INVITATION_VALID_DAYS,
    }
    subject = _("Invitation to %(organisation)s") % {"organisation": organisation.name}
    body = render_to_string("organisations/email/invitation.txt", context)
    audit_record(
        action="invitation.create",
        actor=actor,
        organisation=organisation,
        obj=invitation,
        data={"email": email, "role": role},
    )
    # Sent last: when sending fails the transaction rolls back and no orphan invitation stays.
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return invitation, token


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The open invitation for `token`, or None (unknown, used, revoked or expired)."""
    invitation: Invitation | None = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open():
        return None
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if not invitation.is_open():
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="invitation.revoke",
        actor=actor,
        organisation=invitation.organisation,
        obj=invitation,
        data={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation: as the logged-in `user`, or as a new user with `password`.

    A logged-in user must own the invited address. A new user is created only when no
    account exists for the address.
    """
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid any more. Ask the board for a new one.")
        )
    # Lock the row so the same link cannot be used twice at once.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise ValidationError(_("This invitation has already been used."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail address exists. Log in first, then open the link again."
                )
            )
        full_name = full_name.strip()
        if not full_name:
            raise ValidationError({"full_name": [ValidationError(_("Enter your name."))]})
        candidate = User(email=invitation.email, full_name=full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.error_list}) from exc
        try:
            user = User.objects.create_user(invitation.email, password, full_name=full_name)
        except IntegrityError as exc:  # a concurrent sign-up with the same address
            raise ValidationError(
                _("An account with this e-mail address exists. Log in first.")
            ) from exc
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _(
                "This invitation is for %(email)s, but you are logged in as %(current)s. "
                "Log out and open the link again."
            )
            % {"email": invitation.email, "current": user.email}
        )
    membership = membership_add(
        organisation=invitation.organisation, user=user, role=invitation.role, actor=user
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accept",
        actor=user,
        organisation=invitation.organisation,
        obj=invitation,
        data={"email": invitation.email, "role": invitation.role},
    )
    return membership
