"""Database triggers that keep sent invoices, their lines and payments unalterable.

As for posted journal entries (`wijk.ledger.triggers`), the rule is kept by the
database itself, so no code path (ORM save, queryset update or delete, raw SQL, the
admin) can change a sent invoice:

- a sent invoice cannot be deleted, and of its columns only the e-mail status
  (`email_status`, `email_error`, `emailed_at`) may still change;
- lines of a sent invoice cannot be inserted, updated or deleted;
- a registered payment (posted in the books) cannot be updated or deleted.

Migration 0002 installs the statements from this module.
"""

# ruff: noqa: S608 - the SQL is built from this module's own constants only
from __future__ import annotations

MESSAGE = "sales: a sent invoice and its payments are immutable; correct them with a credit note"

# Everything but the e-mail bookkeeping.
FROZEN = (
    "organisation_id",
    "customer_id",
    "kind",
    "credit_of_id",
    "status",
    "payment_term_days",
    "note",
    "year",
    "sequence",
    "number",
    "issue_date",
    "due_date",
    "payment_reference",
    "net_cents",
    "vat_cents",
    "total_cents",
    "entry_id",
    "pdf_path",
    "sent_at",
    "sent_by_id",
)


def _row(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}.{column}" for column in columns) + ")"


SQLITE_CREATE = [
    f"""
    CREATE TRIGGER sales_invoice_sent_frozen BEFORE UPDATE ON sales_invoice
    WHEN OLD.status = 'sent' AND {_row("NEW", FROZEN)} IS NOT {_row("OLD", FROZEN)}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_invoice_sent_kept BEFORE DELETE ON sales_invoice
    WHEN OLD.status = 'sent'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_line_refuse_insert BEFORE INSERT ON sales_invoiceline
    WHEN (SELECT status FROM sales_invoice WHERE id = NEW.invoice_id) = 'sent'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_line_refuse_update BEFORE UPDATE ON sales_invoiceline
    WHEN (SELECT status FROM sales_invoice WHERE id = OLD.invoice_id) = 'sent'
      OR (SELECT status FROM sales_invoice WHERE id = NEW.invoice_id) = 'sent'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_line_refuse_delete BEFORE DELETE ON sales_invoiceline
    WHEN (SELECT status FROM sales_invoice WHERE id = OLD.invoice_id) = 'sent'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_payment_refuse_update BEFORE UPDATE ON sales_payment
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER sales_payment_refuse_delete BEFORE DELETE ON sales_payment
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS sales_invoice_sent_frozen;",
    "DROP TRIGGER IF EXISTS sales_invoice_sent_kept;",
    "DROP TRIGGER IF EXISTS sales_line_refuse_insert;",
    "DROP TRIGGER IF EXISTS sales_line_refuse_update;",
    "DROP TRIGGER IF EXISTS sales_line_refuse_delete;",
    "DROP TRIGGER IF EXISTS sales_payment_refuse_update;",
    "DROP TRIGGER IF EXISTS sales_payment_refuse_delete;",
]

_RAISE = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION sales_invoice_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'sent' THEN {_RAISE} END IF;
            RETURN OLD;
        END IF;
        IF OLD.status = 'sent' AND {_row("NEW", FROZEN)} IS DISTINCT FROM {_row("OLD", FROZEN)} THEN
            {_RAISE}
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER sales_invoice_guard BEFORE UPDATE OR DELETE ON sales_invoice
    FOR EACH ROW EXECUTE FUNCTION sales_invoice_guard();
    """,
    f"""
    CREATE OR REPLACE FUNCTION sales_line_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND
           (SELECT status FROM sales_invoice WHERE id = OLD.invoice_id) = 'sent' THEN
            {_RAISE}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND
           (SELECT status FROM sales_invoice WHERE id = NEW.invoice_id) = 'sent' THEN
            {_RAISE}
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER sales_line_guard BEFORE INSERT OR UPDATE OR DELETE ON sales_invoiceline
    FOR EACH ROW EXECUTE FUNCTION sales_line_guard();
    """,
    f"""
    CREATE OR REPLACE FUNCTION sales_payment_guard() RETURNS trigger AS $$
    BEGIN
        {_RAISE}
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER sales_payment_guard BEFORE UPDATE OR DELETE ON sales_payment
    FOR EACH ROW EXECUTE FUNCTION sales_payment_guard();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS sales_payment_guard ON sales_payment;",
    "DROP TRIGGER IF EXISTS sales_line_guard ON sales_invoiceline;",
    "DROP TRIGGER IF EXISTS sales_invoice_guard ON sales_invoice;",
    "DROP FUNCTION IF EXISTS sales_payment_guard();",
    "DROP FUNCTION IF EXISTS sales_line_guard();",
    "DROP FUNCTION IF EXISTS sales_invoice_guard();",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError(f"sales triggers are written for SQLite and PostgreSQL, not {vendor}")
