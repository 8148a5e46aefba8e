"""Validation of Dutch registration numbers and CBS area codes.

RSIN and postcode use python-stdnum. The KvK (Chamber of Commerce) number is
written by hand here because python-stdnum has no module for it: it is eight digits
and, since 2016, carries no check digit, so a format check is all that is possible.
CBS area codes follow the CBS "Wijk- en buurtkaart": GM + 4 digits (municipality),
WK + 6 digits (district), BU + 8 digits (neighbourhood); the digits of a district or
neighbourhood start with those of its municipality.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn, postcode

KVK_RE = re.compile(r"^\d{8}$")
CBS_CODE_RE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
CBS_CODE_REGEX = r"^(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})$"


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "")


def validate_kvk_number(value: str) -> None:
    if not KVK_RE.match(normalise_kvk(value)):
        raise ValidationError(
            _("A KvK number has exactly 8 digits, for example 41234567."), code="kvk"
        )


def normalise_rsin(value: str) -> str:
    return bsn.compact(value or "")


def validate_rsin(value: str) -> None:
    # The RSIN of a legal entity passes the same "11-proef" as a citizen service number.
    try:
        bsn.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError(
            _(
                "This is not a valid RSIN: it must have 9 digits that pass the "
                "eleven test. You find the RSIN on the KvK extract."
            ),
            code="rsin",
        ) from exc


def normalise_postcode(value: str) -> str:
    """Write a valid postcode as "1064 HC"; leave anything else for the validator to refuse."""
    try:
        return str(postcode.validate(value or ""))
    except StdnumValidationError:
        return value


def validate_postcode(value: str) -> None:
    try:
        postcode.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, for example 1064 AB."),
            code="postcode",
        ) from exc


def clean_kvk_number(value: str) -> str:
    """Normalise and validate; empty stays empty (the number is optional)."""
    value = normalise_kvk(value)
    if value:
        validate_kvk_number(value)
    return value


def clean_rsin(value: str) -> str:
    value = normalise_rsin(value)
    if value:
        validate_rsin(value)
    return value


def clean_postcode(value: str) -> str:
    value = normalise_postcode(value)
    if value:
        validate_postcode(value)
    return value


def normalise_cbs_code(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_cbs_code(value: str) -> None:
    if not CBS_CODE_RE.match(value):
        raise ValidationError(
            _(
                "Enter a CBS area code: GM and 4 digits for a municipality, WK and "
                "6 digits for a district, or BU and 8 digits for a neighbourhood "
                "(for example BU03631302)."
            ),
            code="cbs_code",
        )
