"""Helpers shared by the forms of every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)
