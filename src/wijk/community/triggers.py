"""Database triggers that keep the register of member shares a history that never changes.

A row of `community_sharemovement` is never updated or deleted, whatever the code
path (ORM, queryset update, raw SQL, admin): a mistake is undone by a correction row
(see `ShareMovement`). The migration that adds the table installs these statements.
"""

from __future__ import annotations

MESSAGE = "community: the share register is never changed; correct a line with a new one"

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER community_share_refuse_update BEFORE UPDATE ON community_sharemovement
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER community_share_refuse_delete BEFORE DELETE ON community_sharemovement
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS community_share_refuse_update;",
    "DROP TRIGGER IF EXISTS community_share_refuse_delete;",
]
POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION community_share_guard() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER community_share_guard BEFORE UPDATE OR DELETE ON community_sharemovement
    FOR EACH ROW EXECUTE FUNCTION community_share_guard();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS community_share_guard ON community_sharemovement;",
    "DROP FUNCTION IF EXISTS community_share_guard();",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError(
        f"community triggers are written for SQLite and PostgreSQL, not {vendor}"
    )
