"""IBAN checks with schwifty: country format, length, bank code and check digits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def normalise_iban(value: str) -> str:
    """Return the IBAN in its compact form (no spaces, capitals) or raise ValidationError."""
    compact = "".join(value.split()).upper()
    if not compact:
        raise ValidationError(_("Enter an IBAN, for example NL91 ABNA 0417 1643 00."))
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException as exc:
        raise ValidationError(
            _("%(value)s is not a valid IBAN (%(reason)s). Check it against your bank card.")
            % {"value": value.strip(), "reason": str(exc)}
        ) from exc


def is_iban(value: str) -> bool:
    try:
        IBAN("".join(value.split()).upper())
    except SchwiftyException:
        return False
    return True
