"""Forms for moving into the books: opening balances and an audit file (XAF)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation

from . import imports, xaf_import
from .models import FiscalYear


class _UploadField(forms.FileField):
    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload.size > self.limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": self.limit // (1024 * 1024)}
            )
        return upload


class OpeningBalancesForm(forms.Form):
    file = _UploadField(
        label=_("File with opening balances"),
        limit=imports.MAX_BYTES,
        help_text=_(
            "A CSV or XLSX file. First line: account, description, debit, credit, fund "
            "(description and fund may be left out)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    year = forms.ModelChoiceField(
        label=_("Fiscal year"),
        queryset=FiscalYear.objects.none(),
        empty_label=None,
        help_text=_("The opening entry is dated the first day of this year."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = FiscalYear.objects.filter(
            organisation=organisation, closed_at__isnull=True
        ).order_by("start_date")


class XafImportForm(forms.Form):
    file = _UploadField(
        label=_("Audit file (XAF 3.2)"),
        limit=xaf_import.MAX_BYTES,
        help_text=_(
            "Export it from your old package as “XML Auditfile Financieel 3.2”, one fiscal "
            "year per file."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xaf,.xml"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; do not import yet"),
        required=False,
        initial=True,
    )
