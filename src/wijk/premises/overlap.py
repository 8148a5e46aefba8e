"""The database's own guard against double bookings.

Two bookings that hold a slot (requested or confirmed) may not overlap in the same
room. Intervals are half-open, [starts_at, ends_at), so 19:00–21:00 and 21:00–22:00
both fit. The application checks first for a friendly message; these statements make
it impossible even for two requests that arrive at the same moment:

- PostgreSQL: an exclusion constraint over `tstzrange(starts_at, ends_at, '[)')` with
  the btree_gist extension, so equal room ids and overlapping ranges conflict.
  Concurrent inserts wait for each other and the second fails.
- SQLite: triggers that refuse an overlapping insert or update. The app opens every
  transaction with BEGIN IMMEDIATE (settings.SQLITE_OPTIONS), so writers queue and the
  trigger always sees the last committed booking. Times are stored in whole minutes
  as 'YYYY-MM-DD HH:MM:SS' UTC text, so text comparison is time comparison.

Both raise an IntegrityError whose message contains `CONSTRAINT_NAME`.
"""

from __future__ import annotations

CONSTRAINT_NAME = "premises_booking_no_overlap"

_HOLDS = "('requested', 'confirmed')"

_SQLITE_CHECK = f"""
    SELECT RAISE(ABORT, '{CONSTRAINT_NAME}')
    WHERE EXISTS (
        SELECT 1 FROM premises_booking AS other
        WHERE other.space_id = NEW.space_id
          AND other.id IS NOT NEW.id
          AND other.status IN {_HOLDS}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
    );
"""  # noqa: S608 - fixed names, no input


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        if create:
            return [
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                f"""ALTER TABLE premises_booking ADD CONSTRAINT {CONSTRAINT_NAME}
                    EXCLUDE USING gist (
                        space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
                    ) WHERE (status IN {_HOLDS})""",
            ]
        return [f"ALTER TABLE premises_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT_NAME}"]
    if vendor == "sqlite":
        if create:
            return [
                f"""CREATE TRIGGER {CONSTRAINT_NAME}_insert BEFORE INSERT ON premises_booking
                    WHEN NEW.status IN {_HOLDS}
                    BEGIN {_SQLITE_CHECK} END""",
                f"""CREATE TRIGGER {CONSTRAINT_NAME}_update
                    BEFORE UPDATE OF starts_at, ends_at, space_id, status ON premises_booking
                    WHEN NEW.status IN {_HOLDS}
                    BEGIN {_SQLITE_CHECK} END""",
            ]
        return [
            f"DROP TRIGGER IF EXISTS {CONSTRAINT_NAME}_insert",
            f"DROP TRIGGER IF EXISTS {CONSTRAINT_NAME}_update",
        ]
    raise NotImplementedError(f"no double-booking guard for {vendor}")


def is_overlap_error(exc: BaseException) -> bool:
    return CONSTRAINT_NAME in str(exc)
