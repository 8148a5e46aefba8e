"""Database triggers that keep a decided claim as it was decided.

Once a claim is posted in the books, what was posted (amount, account, fund, date,
description, IBAN, receipt, entry) cannot change, and the claim can only move on to
paid. A paid or rejected claim does not change at all, and none of them can be
deleted; approvals are never changed or removed. Kept by the database, as for the
books (`wijk.ledger.triggers`), so no code path can get around it.

Migration 0002 installs the statements from this module.
"""

# ruff: noqa: S608 - the SQL is built from this module's own constants only
from __future__ import annotations

MESSAGE = "expenses: a decided expense claim and its approvals are immutable"

# What the posting in the books was made from.
POSTED = (
    "organisation_id",
    "submitted_by_id",
    "submitted_at",
    "date",
    "description",
    "amount_cents",
    "account_id",
    "fund_id",
    "iban",
    "account_holder",
    "receipt_path",
    "receipt_content_type",
    "receipt_size",
    "receipt_sha256",
    "entry_id",
)


def _row(prefix: str) -> str:
    return "(" + ", ".join(f"{prefix}.{column}" for column in POSTED) + ")"


SQLITE_CREATE = [
    f"""
    CREATE TRIGGER expenses_claim_decided BEFORE UPDATE ON expenses_expenseclaim
    WHEN OLD.status IN ('paid', 'rejected')
      OR (OLD.status = 'posted' AND (
          NEW.status NOT IN ('posted', 'paid') OR {_row("NEW")} IS NOT {_row("OLD")}))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER expenses_claim_kept BEFORE DELETE ON expenses_expenseclaim
    WHEN OLD.status IN ('posted', 'paid', 'rejected')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER expenses_approval_refuse_update BEFORE UPDATE ON expenses_expenseapproval
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER expenses_approval_refuse_delete BEFORE DELETE ON expenses_expenseapproval
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS expenses_claim_decided;",
    "DROP TRIGGER IF EXISTS expenses_claim_kept;",
    "DROP TRIGGER IF EXISTS expenses_approval_refuse_update;",
    "DROP TRIGGER IF EXISTS expenses_approval_refuse_delete;",
]

_RAISE = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION expenses_claim_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status IN ('posted', 'paid', 'rejected') THEN {_RAISE} END IF;
            RETURN OLD;
        END IF;
        IF OLD.status IN ('paid', 'rejected')
           OR (OLD.status = 'posted' AND (
               NEW.status NOT IN ('posted', 'paid')
               OR {_row("NEW")} IS DISTINCT FROM {_row("OLD")})) THEN
            {_RAISE}
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER expenses_claim_guard BEFORE UPDATE OR DELETE ON expenses_expenseclaim
    FOR EACH ROW EXECUTE FUNCTION expenses_claim_guard();
    """,
    f"""
    CREATE OR REPLACE FUNCTION expenses_approval_guard() RETURNS trigger AS $$
    BEGIN
        {_RAISE}
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER expenses_approval_guard BEFORE UPDATE OR DELETE ON expenses_expenseapproval
    FOR EACH ROW EXECUTE FUNCTION expenses_approval_guard();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS expenses_approval_guard ON expenses_expenseapproval;",
    "DROP TRIGGER IF EXISTS expenses_claim_guard ON expenses_expenseclaim;",
    "DROP FUNCTION IF EXISTS expenses_approval_guard();",
    "DROP FUNCTION IF EXISTS expenses_claim_guard();",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError(
        f"expenses triggers are written for SQLite and PostgreSQL, not {vendor}"
    )
