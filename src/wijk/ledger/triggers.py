"""Database triggers that keep posted journal entries unalterable.

Written by hand because no library offers this for both SQLite and PostgreSQL. The
rules, enforced in the database so that no code path (ORM save, queryset update or
delete, bulk operations, raw SQL, the admin) can get around them:

- a posted entry cannot be updated or deleted;
- lines of a posted entry cannot be inserted, updated or deleted;
- an entry can only become posted when it has at least two lines and its debits
  equal its credits.

Migration 0002 installs the statements from this module, so tests read the same
text. Changing a statement here therefore needs a new migration that drops and
recreates the triggers.
"""

# ruff: noqa: S608 - the SQL is built from this module's own constant messages only
from __future__ import annotations

IMMUTABLE_MESSAGE = "ledger: posted journal entries are immutable; correct them with a reversal"
UNBALANCED_MESSAGE = "ledger: an entry can only be posted when its debits equal its credits"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER ledger_entry_refuse_update BEFORE UPDATE ON ledger_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_entry_refuse_delete BEFORE DELETE ON ledger_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_entry_post_balanced BEFORE UPDATE OF status ON ledger_journalentry
    WHEN NEW.status = 'posted' AND (
        (SELECT COUNT(*) FROM ledger_journalline WHERE entry_id = NEW.id) < 2
        OR (SELECT COALESCE(SUM(debit_cents), 0) - COALESCE(SUM(credit_cents), 0)
            FROM ledger_journalline WHERE entry_id = NEW.id) <> 0
    )
    BEGIN SELECT RAISE(ABORT, '{UNBALANCED_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_entry_insert_posted BEFORE INSERT ON ledger_journalentry
    WHEN NEW.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{UNBALANCED_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_line_refuse_insert BEFORE INSERT ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_line_refuse_update BEFORE UPDATE ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
      OR (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_line_refuse_delete BEFORE DELETE ON ledger_journalline
    WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_refuse_update;",
    "DROP TRIGGER IF EXISTS ledger_entry_refuse_delete;",
    "DROP TRIGGER IF EXISTS ledger_entry_post_balanced;",
    "DROP TRIGGER IF EXISTS ledger_entry_insert_posted;",
    "DROP TRIGGER IF EXISTS ledger_line_refuse_insert;",
    "DROP TRIGGER IF EXISTS ledger_line_refuse_update;",
    "DROP TRIGGER IF EXISTS ledger_line_refuse_delete;",
]

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_entry_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.status = 'posted' THEN
                RAISE EXCEPTION '{UNBALANCED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END IF;
        IF OLD.status = 'posted' THEN
            RAISE EXCEPTION '{IMMUTABLE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.status = 'posted' AND (
            (SELECT COUNT(*) FROM ledger_journalline WHERE entry_id = NEW.id) < 2
            OR (SELECT COALESCE(SUM(debit_cents), 0) - COALESCE(SUM(credit_cents), 0)
                FROM ledger_journalline WHERE entry_id = NEW.id) <> 0
        ) THEN
            RAISE EXCEPTION '{UNBALANCED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard();
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_line_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND
           (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted' THEN
            RAISE EXCEPTION '{IMMUTABLE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND
           (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted' THEN
            RAISE EXCEPTION '{IMMUTABLE_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_line_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_line_guard();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS ledger_line_guard ON ledger_journalline;",
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_journalentry;",
    "DROP FUNCTION IF EXISTS ledger_line_guard();",
    "DROP FUNCTION IF EXISTS ledger_entry_guard();",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError(
        f"ledger triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


# A closed fiscal year is never reopened or changed, and nothing is posted into it.
CLOSED_YEAR_MESSAGE = "ledger: a closed fiscal year cannot be reopened, changed or posted into"

SQLITE_CLOSED_YEAR_CREATE = [
    f"""
    CREATE TRIGGER ledger_year_refuse_change BEFORE UPDATE ON ledger_fiscalyear
    WHEN OLD.closed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{CLOSED_YEAR_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_year_refuse_delete BEFORE DELETE ON ledger_fiscalyear
    WHEN OLD.closed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{CLOSED_YEAR_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_entry_refuse_closed_year BEFORE UPDATE OF status ON ledger_journalentry
    WHEN NEW.status = 'posted'
      AND (SELECT closed_at FROM ledger_fiscalyear WHERE id = NEW.fiscal_year_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{CLOSED_YEAR_MESSAGE}'); END;
    """,
]
SQLITE_CLOSED_YEAR_DROP = [
    "DROP TRIGGER IF EXISTS ledger_year_refuse_change;",
    "DROP TRIGGER IF EXISTS ledger_year_refuse_delete;",
    "DROP TRIGGER IF EXISTS ledger_entry_refuse_closed_year;",
]
POSTGRESQL_CLOSED_YEAR_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_year_guard() RETURNS trigger AS $$
    BEGIN
        IF OLD.closed_at IS NOT NULL THEN
            RAISE EXCEPTION '{CLOSED_YEAR_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_year_guard BEFORE UPDATE OR DELETE ON ledger_fiscalyear
    FOR EACH ROW EXECUTE FUNCTION ledger_year_guard();
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_entry_closed_year_guard() RETURNS trigger AS $$
    BEGIN
        IF NEW.status = 'posted' AND OLD.status = 'draft' AND
           (SELECT closed_at FROM ledger_fiscalyear WHERE id = NEW.fiscal_year_id) IS NOT NULL THEN
            RAISE EXCEPTION '{CLOSED_YEAR_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_entry_closed_year_guard BEFORE UPDATE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_closed_year_guard();
    """,
]
POSTGRESQL_CLOSED_YEAR_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_closed_year_guard ON ledger_journalentry;",
    "DROP TRIGGER IF EXISTS ledger_year_guard ON ledger_fiscalyear;",
    "DROP FUNCTION IF EXISTS ledger_entry_closed_year_guard();",
    "DROP FUNCTION IF EXISTS ledger_year_guard();",
]


def closed_year_statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CLOSED_YEAR_CREATE if create else SQLITE_CLOSED_YEAR_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CLOSED_YEAR_CREATE if create else POSTGRESQL_CLOSED_YEAR_DROP
    raise NotImplementedError(
        f"ledger triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


# Balances per account and month (AccountMonthBalance) change only by posting: rows
# are never deleted, never moved to another account or month, their amounts only grow
# (posting adds; a reversal adds to the other side), they belong to their account's
# organisation and a month's first day, and nothing changes in a closed fiscal year.
# `wijk verify-ledger` checks the amounts themselves against the lines.
ROLLUP_MESSAGE = (
    "ledger: balances per account and month are only added to by posting; "
    "they cannot be lowered, moved or deleted"
)
_ROLLUP_IN_CLOSED_YEAR = """EXISTS (
        SELECT 1 FROM ledger_fiscalyear y
        WHERE y.organisation_id = {row}.organisation_id AND y.closed_at IS NOT NULL
          AND y.start_date <= {row}.month_start AND y.end_date >= {row}.month_start
    )"""
_ROLLUP_MOVED_OR_LOWERED = """NEW.id <> OLD.id OR NEW.organisation_id <> OLD.organisation_id
      OR NEW.account_id <> OLD.account_id OR NEW.month_start <> OLD.month_start
      OR NEW.debit_cents < OLD.debit_cents OR NEW.credit_cents < OLD.credit_cents
      OR NEW.closing_debit_cents < OLD.closing_debit_cents
      OR NEW.closing_credit_cents < OLD.closing_credit_cents"""

SQLITE_ROLLUP_CREATE = [
    f"""
    CREATE TRIGGER ledger_rollup_refuse_delete BEFORE DELETE ON ledger_accountmonthbalance
    BEGIN SELECT RAISE(ABORT, '{ROLLUP_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_rollup_refuse_update BEFORE UPDATE ON ledger_accountmonthbalance
    WHEN {_ROLLUP_MOVED_OR_LOWERED}
    BEGIN SELECT RAISE(ABORT, '{ROLLUP_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_rollup_check_insert BEFORE INSERT ON ledger_accountmonthbalance
    WHEN NEW.month_start <> date(NEW.month_start, 'start of month')
      OR NEW.organisation_id IS NOT (SELECT organisation_id FROM ledger_account WHERE id = NEW.account_id)
    BEGIN SELECT RAISE(ABORT, '{ROLLUP_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_rollup_refuse_closed_insert BEFORE INSERT ON ledger_accountmonthbalance
    WHEN {_ROLLUP_IN_CLOSED_YEAR.format(row="NEW")}
    BEGIN SELECT RAISE(ABORT, '{CLOSED_YEAR_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER ledger_rollup_refuse_closed_update BEFORE UPDATE ON ledger_accountmonthbalance
    WHEN {_ROLLUP_IN_CLOSED_YEAR.format(row="OLD")}
    BEGIN SELECT RAISE(ABORT, '{CLOSED_YEAR_MESSAGE}'); END;
    """,
]
SQLITE_ROLLUP_DROP = [
    "DROP TRIGGER IF EXISTS ledger_rollup_refuse_delete;",
    "DROP TRIGGER IF EXISTS ledger_rollup_refuse_update;",
    "DROP TRIGGER IF EXISTS ledger_rollup_check_insert;",
    "DROP TRIGGER IF EXISTS ledger_rollup_refuse_closed_insert;",
    "DROP TRIGGER IF EXISTS ledger_rollup_refuse_closed_update;",
]
POSTGRESQL_ROLLUP_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_rollup_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{ROLLUP_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND ({_ROLLUP_MOVED_OR_LOWERED}) THEN
            RAISE EXCEPTION '{ROLLUP_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'INSERT' AND (
            NEW.month_start <> date_trunc('month', NEW.month_start)::date
            OR NEW.organisation_id IS DISTINCT FROM
               (SELECT organisation_id FROM ledger_account WHERE id = NEW.account_id)
        ) THEN
            RAISE EXCEPTION '{ROLLUP_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF {_ROLLUP_IN_CLOSED_YEAR.format(row="NEW")} THEN
            RAISE EXCEPTION '{CLOSED_YEAR_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER ledger_rollup_guard BEFORE INSERT OR UPDATE OR DELETE
    ON ledger_accountmonthbalance FOR EACH ROW EXECUTE FUNCTION ledger_rollup_guard();
    """,
]
POSTGRESQL_ROLLUP_DROP = [
    "DROP TRIGGER IF EXISTS ledger_rollup_guard ON ledger_accountmonthbalance;",
    "DROP FUNCTION IF EXISTS ledger_rollup_guard();",
]


def rollup_statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_ROLLUP_CREATE if create else SQLITE_ROLLUP_DROP
    if vendor == "postgresql":
        return POSTGRESQL_ROLLUP_CREATE if create else POSTGRESQL_ROLLUP_DROP
    raise NotImplementedError(
        f"ledger triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


def all_statements(vendor: str, *, create: bool) -> list[str]:
    """Every ledger trigger: for tools that must lift them briefly (test clean-up, benchmark)."""
    parts = [
        statements(vendor, create=create),
        closed_year_statements(vendor, create=create),
        rollup_statements(vendor, create=create),
    ]
    return [sql for part in parts for sql in part]
