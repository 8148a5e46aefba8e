"""Which database engine the test suite runs on."""

from __future__ import annotations

import os

# The database the suite runs on. Tests that start their own processes against a
# database of their own (concurrency, killed imports, a backup under writes) use the
# same engine: CI runs the whole suite once on SQLite and once on PostgreSQL, so each
# engine is covered once, not twice.
SUITE_ENGINE = (
    "postgresql"
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))
    else "sqlite"
)
