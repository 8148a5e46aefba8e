"""Opening balances from a CSV or XLSX file: one balanced opening entry per fiscal year.

A treasurer who starts with Wijkonderneming mid-life brings the balances of the last
balance sheet: bank, cash, receivables, debts, reserves and funds. The file has a first
line that names the columns, then one line per balance:

- `account` (or `rekening`): our account number, or an RGS code that fits one account;
- `description` (`omschrijving`), optional;
- `debit` (`debet`) and `credit`: one of them filled in, Dutch ("1.234,56") or plain
  ("1234.56") notation; XLSX cells may hold numbers;
- `fund` (`fonds`), optional: the name of a restricted fund or designated reserve.

Reading the file (`opening_balances_read`) only parses and looks accounts up; it
writes nothing, so the page can show a preview. `opening_balances_import` then checks
everything again and posts one entry in the general journal, dated the first day of the
fiscal year, through the posting service. It refuses, with the place and what to do:
an unknown account, an income or expense account (opening balances are balance-sheet
only), an amount it cannot read, a file that does not balance (and by how much), a
year that already has an opening entry, or books that already hold earlier entries.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation

from . import services
from .models import Account, FiscalYear, Fund, Journal, JournalEntry, LedgerImport
from .money import format_cents, parse_cents

MAX_BYTES = 2 * 1024 * 1024  # thousands of lines; an opening balance has dozens
MAX_ERRORS = 20

COLUMNS: dict[str, frozenset[str]] = {
    "account": frozenset(
        {
            "account",
            "account code",
            "accountcode",
            "code",
            "rekening",
            "rekeningnummer",
            "grootboekrekening",
            "number",
            "nummer",
            "rgs",
            "rgs code",
            "rgs-code",
        }
    ),
    "description": frozenset({"description", "omschrijving", "name", "naam"}),
    "debit": frozenset({"debit", "debet"}),
    "credit": frozenset({"credit"}),
    "fund": frozenset({"fund", "fonds"}),
}
REQUIRED_COLUMNS = ("account", "debit", "credit")


@dataclass(frozen=True)
class OpeningLine:
    """One line of the file, with its account looked up. Amounts in cents."""

    line: int  # the line (row) number in the file, for messages
    account: Account
    debit_cents: int
    credit_cents: int
    description: str = ""
    fund: Fund | None = None


@dataclass(frozen=True)
class OpeningFile:
    file_name: str
    sha256: str
    lines: list[OpeningLine]

    @property
    def debit_cents(self) -> int:
        return sum(line.debit_cents for line in self.lines)

    @property
    def credit_cents(self) -> int:
        return sum(line.credit_cents for line in self.lines)


def _header_key(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(text.strip().lower().replace("_", " ").split())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _refuse(messages: list[str]) -> ValidationError:
    if len(messages) > MAX_ERRORS:
        rest = len(messages) - MAX_ERRORS
        messages = messages[:MAX_ERRORS] + [_("… and %(count)s more problems.") % {"count": rest}]
    return ValidationError([ValidationError(message) for message in messages])


def _rows_from_xlsx(file_name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(
            [
                _(
                    "%(file)s: this is not a spreadsheet that can be read (%(reason)s). "
                    "Save it again as .xlsx, or as CSV."
                )
                % {"file": file_name, "reason": exc.__class__.__name__}
            ]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _rows_from_csv(file_name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            [
                _(
                    "%(file)s, line %(line)s: this is not UTF-8 text. Save the file as "
                    "“CSV UTF-8” (in Excel: Save as, CSV UTF-8) and upload it again."
                )
                % {"file": file_name, "line": line}
            ]
        ) from exc
    if "\x00" in text:
        raise _refuse(
            [
                _("%(file)s: this is not a text file. Upload a CSV or XLSX file.")
                % {"file": file_name}
            ]
        )
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise _refuse(
            [
                _("%(file)s, line %(line)s: %(reason)s. Check the quotes on that line.")
                % {"file": file_name, "line": reader.line_num, "reason": exc}
            ]
        ) from exc


def _amount(value: Any, *, where: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValidationError(where)
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(where) from exc
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(where)
        return int(amount * 100)
    return parse_cents(str(value))


def _find_account(
    code: str, by_number: dict[str, Account], by_rgs: dict[str, list[Account]]
) -> Account | list[Account] | None:
    if code in by_number:
        return by_number[code]
    if code.isdigit() and code.zfill(4) in by_number:  # Excel drops leading zeros: 200 -> 0200
        return by_number[code.zfill(4)]
    matches = by_rgs.get(code.lower(), [])
    if len(matches) == 1:
        return matches[0]
    return matches or None


def opening_balances_read(
    *, organisation: Organisation, file_name: str, data: bytes
) -> OpeningFile:
    """Parse the file and look its accounts up. Writes nothing; raises located errors."""
    if len(data) > MAX_BYTES:
        raise _refuse(
            [
                _("%(file)s is larger than %(limit)s MB. An opening balance fits in far less.")
                % {"file": file_name, "limit": MAX_BYTES // (1024 * 1024)}
            ]
        )
    if not data.strip():
        raise _refuse([_("%(file)s is empty.") % {"file": file_name}])
    if data.startswith(b"PK\x03\x04"):
        rows = _rows_from_xlsx(file_name, data)
    else:
        kind = filetype.guess(data)
        if kind is not None:
            raise _refuse(
                [
                    _(
                        "%(file)s is a %(type)s file, not a list of balances. "
                        "Upload a CSV or XLSX file."
                    )
                    % {"file": file_name, "type": kind.extension.upper()}
                ]
            )
        rows = _rows_from_csv(file_name, data)
    rows = [(n, row) for n, row in rows if any(_cell_text(cell) for cell in row)]
    if not rows:
        raise _refuse([_("%(file)s has no lines.") % {"file": file_name}])

    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(_cell_text(cell))
        for name, aliases in COLUMNS.items():
            if key in aliases and name not in columns:
                columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    # "C (debet)": the spreadsheet's column letter and the file's own heading.
    labels = {
        name: f"{get_column_letter(index + 1)} ({_cell_text(header[index])})"
        for name, index in columns.items()
    }
    if missing:
        raise _refuse(
            [
                _(
                    "%(file)s, line %(line)s: the first line must name the columns account, "
                    "debit and credit (description and fund are optional). Missing: %(missing)s."
                )
                % {"file": file_name, "line": header_line, "missing": ", ".join(missing)}
            ]
        )

    accounts = list(Account.objects.filter(organisation=organisation))
    if not accounts:
        raise _refuse([_("Set up the books first: there is no chart of accounts yet.")])
    by_number = {account.number: account for account in accounts}
    by_rgs: dict[str, list[Account]] = {}
    for account in accounts:
        if account.rgs_code:
            by_rgs.setdefault(account.rgs_code.lower(), []).append(account)
    funds = {
        fund.name.strip().lower(): fund for fund in Fund.objects.filter(organisation=organisation)
    }

    def value_of(row: list[Any], name: str) -> Any:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    errors: list[str] = []
    lines: list[OpeningLine] = []
    for number, row in rows[1:]:
        where = {"file": file_name, "line": number}
        code = _cell_text(value_of(row, "account"))
        amounts: dict[str, int] = {}
        for side in ("debit", "credit"):
            raw = value_of(row, side)
            try:
                amounts[side] = _amount(raw, where=side)
            except ValidationError:
                errors.append(
                    _(
                        "%(file)s, line %(line)s, column %(column)s: “%(value)s” is not an "
                        "amount. Write it as 1.234,56 or 1234.56, without other text."
                    )
                    % {**where, "column": labels[side], "value": _cell_text(raw)}
                )
        if len(amounts) < 2:
            continue
        debit, credit = amounts["debit"], amounts["credit"]
        if debit < 0 or credit < 0:
            errors.append(
                _(
                    "%(file)s, line %(line)s: a negative amount. Put the amount without a "
                    "minus sign in the other column (debit or credit)."
                )
                % where
            )
            continue
        if debit and credit:
            errors.append(
                _(
                    "%(file)s, line %(line)s: both debit and credit are filled in. Fill in "
                    "one of them, or net them and keep the difference."
                )
                % where
            )
            continue
        if not code:
            if debit or credit:
                errors.append(
                    _("%(file)s, line %(line)s, column %(column)s: give the account number.")
                    % {**where, "column": labels["account"]}
                )
            continue
        found = _find_account(code, by_number, by_rgs)
        if found is None:
            errors.append(
                _(
                    "%(file)s, line %(line)s, column %(column)s: there is no account %(code)s "
                    "in the chart of accounts. Use an account number from the chart, or an "
                    "RGS code that fits one account."
                )
                % {**where, "column": labels["account"], "code": code}
            )
            continue
        if isinstance(found, list):
            errors.append(
                _(
                    "%(file)s, line %(line)s, column %(column)s: the RGS code %(code)s fits "
                    "several accounts (%(numbers)s). Use the account number instead."
                )
                % {
                    **where,
                    "column": labels["account"],
                    "code": code,
                    "numbers": ", ".join(a.number for a in found),
                }
            )
            continue
        fund_name = _cell_text(value_of(row, "fund"))
        fund = None
        if fund_name:
            fund = funds.get(fund_name.lower())
            if fund is None:
                errors.append(
                    _(
                        "%(file)s, line %(line)s, column %(column)s: there is no fund named "
                        "“%(fund)s”. Add the fund first, or leave the column empty."
                    )
                    % {**where, "column": labels["fund"], "fund": fund_name}
                )
                continue
        if not debit and not credit:
            continue  # a zero balance: nothing to book
        lines.append(
            OpeningLine(
                line=number,
                account=found,
                debit_cents=debit,
                credit_cents=credit,
                description=_cell_text(value_of(row, "description"))[:255],
                fund=fund,
            )
        )
    if errors:
        raise _refuse(errors)
    return OpeningFile(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), lines=lines)


def opening_entry_problem(*, fiscal_year: FiscalYear) -> str:
    """Why the year cannot get an opening entry, or "" when it can."""
    if fiscal_year.is_closed:
        return _("The fiscal year %(year)s is closed.") % {"year": fiscal_year}
    existing = LedgerImport.objects.filter(opening_year=fiscal_year).first()
    if existing is not None:
        return _(
            "The fiscal year %(year)s already has an opening entry (imported from %(file)s "
            "on %(date)s). Nothing was added. To change it, reverse that entry first."
        ) % {
            "year": fiscal_year,
            "file": existing.file_name,
            "date": existing.created_at.strftime("%d-%m-%Y"),
        }
    earlier = JournalEntry.objects.filter(
        organisation_id=fiscal_year.organisation_id,
        status=JournalEntry.Status.POSTED,
        date__lt=fiscal_year.start_date,
    ).exists()
    if earlier:
        return _(
            "The books already hold entries before %(date)s; their balances carry over "
            "into %(year)s, so an opening balance would count them twice."
        ) % {"date": fiscal_year.start_date.strftime("%d-%m-%Y"), "year": fiscal_year}
    return ""


def _opening_line_errors(opening: OpeningFile, organisation: Organisation) -> list[str]:
    errors: list[str] = []
    for line in opening.lines:
        where = {"file": opening.file_name, "line": line.line, "number": line.account.number}
        if line.account.organisation_id != organisation.pk:
            errors.append(_("%(file)s, line %(line)s: unknown account.") % where)
        elif not line.account.is_balance_sheet:
            errors.append(
                _(
                    "%(file)s, line %(line)s: account %(number)s is an income or expense "
                    "account. Opening balances are for balance-sheet accounts only (assets, "
                    "debts, reserves and funds); leave this line out."
                )
                % where
            )
        elif not line.account.is_active:
            errors.append(
                _(
                    "%(file)s, line %(line)s: account %(number)s is no longer in use. Use the "
                    "account that replaced it, or put it back in use first."
                )
                % where
            )
    return errors


@transaction.atomic
def opening_balances_import(
    *,
    organisation: Organisation,
    fiscal_year: FiscalYear,
    opening: OpeningFile,
    actor: User | None,
) -> LedgerImport:
    """Post the opening entry of `fiscal_year` from a read file, once per year."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown fiscal year."))
    # Lock the year, so two uploads at once cannot both open it.
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    same_file = LedgerImport.objects.filter(
        organisation=organisation,
        kind=LedgerImport.Kind.OPENING_BALANCES,
        sha256=opening.sha256,
    ).first()
    if same_file is not None:
        raise ValidationError(
            _("%(file)s was already imported on %(date)s. Nothing was added.")
            % {"file": same_file.file_name, "date": same_file.created_at.strftime("%d-%m-%Y")}
        )
    problem = opening_entry_problem(fiscal_year=fiscal_year)
    if problem:
        raise ValidationError(problem)
    errors = _opening_line_errors(opening, organisation)
    if len(opening.lines) < 2:
        errors.append(_("The file needs at least two balances (a debit and a credit)."))
    debit, credit = opening.debit_cents, opening.credit_cents
    if debit != credit:
        errors.append(
            _(
                "The opening balance does not balance: debit %(debit)s, credit %(credit)s. "
                "The %(side)s side is %(difference)s higher. Correct the file so both "
                "sides are equal (often the difference belongs on the general reserve)."
            )
            % {
                "debit": format_cents(debit),
                "credit": format_cents(credit),
                "side": _("debit") if debit > credit else _("credit"),
                "difference": format_cents(abs(debit - credit)),
            }
        )
    if errors:
        raise _refuse(errors)
    journal = (
        Journal.objects.filter(organisation=organisation, kind=Journal.Kind.GENERAL)
        .order_by("code")
        .first()
    )
    if journal is None:
        raise ValidationError(_("There is no general journal. Set up the books first."))
    entry = services.journal_entry_create(
        organisation=organisation,
        journal=journal,
        date=fiscal_year.start_date,
        description=_("Opening balance %(year)s") % {"year": fiscal_year},
        reference=opening.file_name[:80],
        lines=[
            services.LineInput(
                account=line.account,
                debit_cents=line.debit_cents,
                credit_cents=line.credit_cents,
                description=line.description,
                fund=line.fund,
            )
            for line in opening.lines
        ],
        actor=actor,
    )
    entry = services.journal_entry_post(entry=entry, actor=actor)
    record = LedgerImport.objects.create(
        organisation=organisation,
        kind=LedgerImport.Kind.OPENING_BALANCES,
        file_name=opening.file_name[:255],
        sha256=opening.sha256,
        opening_year=fiscal_year,
        opening_entry=entry,
        entries_count=1,
        summary={"lines": len(opening.lines), "total": format_cents(debit)},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="ledger.import_opening",
        actor=actor,
        organisation=organisation,
        obj=record,
        data={"year": str(fiscal_year), "file": record.file_name, "total": format_cents(debit)},
    )
    return record


def opening_to_session(opening: OpeningFile, *, fiscal_year: FiscalYear) -> dict[str, Any]:
    """The read file as plain data, kept in the session between preview and confirm."""
    return {
        "year": fiscal_year.pk,
        "file_name": opening.file_name,
        "sha256": opening.sha256,
        "lines": [
            [
                line.line,
                line.account.pk,
                line.debit_cents,
                line.credit_cents,
                line.description,
                line.fund.pk if line.fund else None,
            ]
            for line in opening.lines
        ],
    }


def opening_from_session(
    *, organisation: Organisation, data: dict[str, Any]
) -> tuple[FiscalYear, OpeningFile] | None:
    """The preview kept in the session, looked up again inside `organisation` only."""
    try:
        fiscal_year = FiscalYear.objects.get(organisation=organisation, pk=data["year"])
        accounts = Account.objects.for_organisation(organisation).in_bulk(
            [row[1] for row in data["lines"]]
        )
        funds = Fund.objects.for_organisation(organisation).in_bulk(
            [row[5] for row in data["lines"] if row[5]]
        )
        lines = [
            OpeningLine(
                line=int(row[0]),
                account=accounts[row[1]],
                debit_cents=int(row[2]),
                credit_cents=int(row[3]),
                description=str(row[4]),
                fund=funds[row[5]] if row[5] else None,
            )
            for row in data["lines"]
        ]
        return fiscal_year, OpeningFile(
            file_name=str(data["file_name"]), sha256=str(data["sha256"]), lines=lines
        )
    except (FiscalYear.DoesNotExist, KeyError, TypeError, ValueError, IndexError):
        return None
