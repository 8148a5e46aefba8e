"""Forms parse and validate input; the services do the work."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation
from .roles import ROLE_HELP, Role
from .validators import (
    clean_kvk_number,
    clean_postcode,
    clean_rsin,
    normalise_cbs_code,
    validate_cbs_code,
)

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("First month of the financial year"),
        choices=MONTHS,
        coerce=int,
        help_text=_("Most enterprises use the calendar year: January."),
    )

    class Meta:
        model = Organisation
        fields = [
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
        ]
        help_texts = {
            "kvk_number": _("8 digits, on the extract from the Chamber of Commerce (KvK)."),
            "rsin": _("9 digits, also on the KvK extract. ANBIs must publish it."),
            "tax_status": _("ANBI and SBBI are statuses given by the tax office."),
        }
        widgets = {
            "kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "rsin": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model field is 8 characters; people type spaces and dots, which we strip.
        for name in ("kvk_number", "rsin"):
            field = cast(forms.CharField, self.fields[name])
            field.max_length = 20
            field.validators = []
            field.widget.attrs.pop("maxlength", None)

    def clean_kvk_number(self) -> str:
        return clean_kvk_number(self.cleaned_data.get("kvk_number", ""))

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_rsin(self) -> str:
        return clean_rsin(self.cleaned_data.get("rsin", ""))

    def _post_clean(self) -> None:
        # Saving is the service's job; skip ModelForm's instance construction checks
        # for the fields we normalised ourselves.
        pass


class NeighbourhoodForm(forms.Form):
    code = forms.CharField(
        label=_("CBS code"),
        max_length=14,
        help_text=_(
            "For example BU03631302 (neighbourhood), WK036313 (district) or GM0363 (municipality)."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    is_priority_area = forms.BooleanField(
        label=_("This is a priority neighbourhood (aandachtswijk)"), required=False
    )

    def clean_code(self) -> str:
        value = normalise_cbs_code(self.cleaned_data["code"])
        validate_cbs_code(value)
        return value


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = cast(forms.ChoiceField, self.fields["role"])
        role.choices = [(value, f"{label} – {ROLE_HELP[value]}") for value, label in Role.choices]


class AcceptNewUserForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A short sentence is easy to remember."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned
