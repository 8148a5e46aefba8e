"""Backup and restore of everything Wijkonderneming keeps: the database and uploads.

A backup is one `.tar.gz` archive holding the database (an SQLite copy made with
SQLite's online backup API, or a `pg_dump` custom-format dump), the media folder, and
`manifest.json` with a SHA-256 checksum for every file and the number of rows in every
table. Both database copies are consistent snapshots, so a backup may be taken while
the application is in use. Each checksum is computed over the very bytes written into
the archive, so a file that changes while it is archived cannot make a backup that
restore later refuses. The archive is written under a temporary dot-name and renamed
only when it is complete, so a half-written backup never looks like a good one.

Restore checks the archive completely before it touches anything: only regular files
with safe relative names, each listed in the manifest with a matching checksum, and a
database of the engine this installation uses. Then it replaces the database (in one
transaction) and the media folder. Stop the application while restoring.

The secret key in the data folder is not part of a backup: on a new machine, set
SECRET_KEY to the old value or accept that people have to log in again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore/psql are the supported PostgreSQL tools
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

import wijk

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024
ENGINES = ("sqlite", "postgresql")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Errors that mean "this file is not a readable .tar.gz", whatever layer notices first.
_ARCHIVE_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


class _HashingReader:
    """A file wrapper that hashes exactly the bytes tarfile reads from it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_outside_transaction(alias: str) -> None:
    # Inside a transaction an SQLite copy would contain this connection's uncommitted
    # changes (pg_dump would not), and a restore would wait on the transaction's locks.
    if connections[alias].in_atomic_block:
        raise BackupError("Backups and restores must run outside a database transaction.")


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ENGINES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


# Connection options that the PostgreSQL command-line tools read from the environment.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def _pg_env_and_args(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    # The connection's own settings: under test runners they name the test database,
    # and they are what this process really talks to.
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for option, variable in _PG_OPTION_ENV.items():
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env, args


def _pg_name(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{cmd[0]} was not found. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) and try again."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _sqlite_tables(con: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    # Table names come from sqlite_master itself, quoted; no user input reaches SQL.
    return {name: con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def _regexp(pattern: str | None, value: Any) -> bool | None:
    # Django defines REGEXP on its own SQLite connections (as here), and CHECK
    # constraints use it; integrity_check on a plain connection needs it too.
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


def _dump_sqlite(workdir: Path, alias: str) -> tuple[Path, dict[str, Any]]:
    target = workdir / "database.sqlite3"
    connection = connections[alias]
    connection.ensure_connection()
    source = connection.connection
    dest = sqlite3.connect(target)
    dest.create_function("REGEXP", 2, _regexp, deterministic=True)
    try:
        # The online backup API copies a consistent snapshot while others write: with
        # pages=-1 (the default) in one step, under one read transaction.
        source.backup(dest)
        # A self-contained file: no write-ahead log needed to open it later.
        dest.execute("PRAGMA journal_mode=DELETE")
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The copy of the database failed its integrity check: {check}")
        tables = _sqlite_tables(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"The database could not be copied: {exc}") from exc
    finally:
        dest.close()
    return target, {"engine": "sqlite", "file": target.name, "tables": tables}


def _dump_postgresql(workdir: Path, alias: str) -> tuple[Path, dict[str, Any]]:
    target = workdir / "database.pgdump"
    env, args = _pg_env_and_args(alias)
    connection = connections[alias]
    # pg_dump dumps the snapshot this transaction exports, and the row counts are taken
    # in the same snapshot, so the manifest describes exactly what the dump holds.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
                "--dbname",
                _pg_name(alias),
            ],
            env,
        )
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename"
        )
        tables: dict[str, int] = {}
        for (name,) in cursor.fetchall():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - names from pg_tables, quoted
            tables[name] = cursor.fetchone()[0]
    return target, {"engine": "postgresql", "file": target.name, "tables": tables}


def _dump_database(workdir: Path, alias: str = "default") -> tuple[Path, dict[str, Any]]:
    if _engine(alias) == "sqlite":
        return _dump_sqlite(workdir, alias)
    return _dump_postgresql(workdir, alias)


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return

    def fail(exc: OSError) -> None:
        # Path.rglob skips folders it cannot read without a word; a backup must not.
        raise BackupError(f"Cannot read {exc.filename}: {exc.strerror}.") from exc

    for folder, dirs, names in os.walk(root, onerror=fail):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def _add_hashed(archive: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    info = archive.gettarinfo(str(path), arcname=arcname)
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        try:
            archive.addfile(info, reader)  # tarfile needs only read()
        except OSError as exc:
            if exc.errno is not None:  # a real I/O error (disk full, ...): said by the caller
                raise
            # tarfile's "unexpected end of data": the file shrank after stat().
            raise BackupError(f"{path} changed while it was backed up ({exc}); try again.") from exc
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def backup_create(*, destination: Path, alias: str = "default") -> BackupResult:
    """Write a complete backup archive into the folder `destination` and return its path."""
    _check_outside_transaction(alias)
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot use {destination} as the backup folder: {exc}.") from exc
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    final = destination / f"wijk-backup-{stamp}.tar.gz"
    partial = destination / f".{final.name}.partial"
    try:
        with tempfile.TemporaryDirectory(prefix="wijk-backup-") as tmp:
            workdir = Path(tmp)
            db_file, db_info = _dump_database(workdir, alias)
            files: dict[str, dict[str, Any]] = {}
            with tarfile.open(partial, "w:gz") as archive:
                files[db_file.name] = _add_hashed(archive, db_file, db_file.name)
                for path, relative in _media_files():
                    files[f"media/{relative}"] = _add_hashed(archive, path, f"media/{relative}")
                manifest: dict[str, Any] = {
                    "format": FORMAT_VERSION,
                    "application": "wijkonderneming",
                    "version": wijk.__version__,
                    "created_at": timezone.now().isoformat(),
                    "database": db_info,
                    "files": files,
                }
                # The manifest goes last: its checksums are those of the bytes written.
                manifest_path = workdir / MANIFEST
                manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
                archive.add(manifest_path, arcname=MANIFEST)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, final)
            _fsync_folder(destination)
    except OSError as exc:
        raise BackupError(f"The backup could not be written: {exc}.") from exc
    except DatabaseError as exc:
        raise BackupError(f"The database could not be read: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=final, manifest=manifest)


def _safe_name(name: str) -> bool:
    """A relative POSIX path without '..', '.', empty parts or a leading slash."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(part not in {"", ".", ".."} for part in parts)


def _check_manifest(archive: Path, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BackupError(f"{archive}: not a Wijkonderneming backup (the manifest is no object).")
    if data.get("application") != "wijkonderneming" or data.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive}: unknown backup format.")
    files = data.get("files")
    database = data.get("database")
    if not isinstance(files, dict) or not isinstance(database, dict):
        raise BackupError(f"{archive}: the manifest is incomplete.")
    for name, info in files.items():
        if not _safe_name(name) or name == MANIFEST:
            raise BackupError(f"{archive}: the manifest names an unsafe path: {name!r}.")
        if not isinstance(info, dict) or not _SHA256.match(str(info.get("sha256", ""))):
            raise BackupError(f"{archive}: the manifest has no checksum for {name}.")
    db_file = database.get("file")
    if database.get("engine") not in ENGINES or not isinstance(db_file, str):
        raise BackupError(f"{archive}: the manifest does not describe the database.")
    if db_file not in files or "/" in db_file:
        raise BackupError(f"{archive}: the manifest does not describe the database file.")
    return data


def backup_read_manifest(*, archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            data = json.load(member)
    except (*_ARCHIVE_ERRORS, KeyError, ValueError) as exc:
        raise BackupError(f"{archive}: not a Wijkonderneming backup ({exc}).") from exc
    return _check_manifest(archive, data)


def backup_verify(*, archive: Path, workdir: Path) -> dict[str, Any]:
    """Extract into `workdir` and check every file against the manifest.

    Every member must be a regular file (or a folder) with a safe relative name that
    the manifest lists, once; anything else refuses the whole archive. Files are
    written by this function itself, never by tarfile's extract, so no link, device or
    path outside `workdir` can be created whatever the archive holds.
    """
    manifest = backup_read_manifest(archive=archive)
    expected: dict[str, dict[str, Any]] = manifest["files"]
    seen: set[str] = set()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = member.name[2:] if member.name.startswith("./") else member.name
                name = name.rstrip("/") if member.isdir() else name
                if not _safe_name(name):
                    raise BackupError(f"{archive}: unsafe path in the archive: {member.name!r}.")
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(
                        f"{archive}: {member.name} is not a regular file (links are not allowed)."
                    )
                if name in seen:
                    raise BackupError(f"{archive}: {name} appears twice in the archive.")
                seen.add(name)
                if name == MANIFEST:
                    continue
                if name not in expected:
                    raise BackupError(f"{archive}: {name} is not listed in the manifest.")
                source = tar.extractfile(member)
                if source is None:  # pragma: no cover - isfile() members always have data
                    raise BackupError(f"{archive}: {name} cannot be read.")
                target = workdir / PurePosixPath(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                # Keep the permission bits (uploads are 0640), never more than rw.
                target.chmod((member.mode & 0o666) | 0o600)
                if digest.hexdigest() != expected[name]["sha256"]:
                    raise BackupError(f"{archive}: {name} is damaged (checksum does not match).")
    except _ARCHIVE_ERRORS as exc:
        raise BackupError(f"{archive}: cannot be unpacked ({exc}).") from exc
    missing = set(expected) - seen
    if missing:
        raise BackupError(
            f"{archive}: listed in the manifest but missing: {', '.join(sorted(missing))}."
        )
    return manifest


def backup_restore(*, archive: Path, alias: str = "default") -> dict[str, Any]:
    """Replace the database and the media folder with the backup's. Stop the app first.

    Nothing is changed unless the whole archive checks out. The new media folder is
    prepared beside the old one before the database is replaced, so the one step that
    can run out of disk space happens while everything is still as it was.
    """
    _check_outside_transaction(alias)
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="wijk-restore-") as tmp:
        workdir = Path(tmp)
        manifest = backup_verify(archive=archive, workdir=workdir)
        source_engine = manifest["database"]["engine"]
        if source_engine != engine:
            raise BackupError(
                f"{archive}: this backup holds a {source_engine} database, but this "
                f"installation uses {engine}. Restore it on a {source_engine} installation."
            )
        db_file = workdir / manifest["database"]["file"]
        staged = _stage_media(workdir / "media")
        try:
            if engine == "sqlite":
                _restore_sqlite(db_file, alias)
            else:
                _restore_postgresql(db_file, workdir, alias)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        _swap_media(staged)
    return manifest


def _restore_sqlite(db_file: Path, alias: str) -> None:
    connection = connections[alias]
    try:
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            # Copy page by page into the live database through SQLite itself, in one
            # write transaction, so the WAL and any open readers stay coherent (safer
            # than replacing the file underneath). Through Django's own connection, so
            # an in-memory database (as in tests) is restored too.
            source.backup(connection.connection)
        finally:
            source.close()
    except (sqlite3.Error, DatabaseError) as exc:
        raise BackupError(f"The database could not be restored: {exc}") from exc
    finally:
        connection.close()


# Drop every table and sequence of the schema first, in the same transaction as the
# restore: tables that a later migration added (the usual reason to restore) would
# otherwise survive next to the older `django_migrations`. Waiting for locks held by a
# running application ends in a clear error rather than a hang.
_PG_CLEAR = """
SET lock_timeout = '15s';
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
  END LOOP;
  FOR r IN SELECT sequencename FROM pg_catalog.pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', r.sequencename);
  END LOOP;
END $$;
"""


def _restore_postgresql(db_file: Path, workdir: Path, alias: str) -> None:
    connections[alias].close()
    env, args = _pg_env_and_args(alias)
    script = workdir / "restore.sql"
    clear = workdir / "clear.sql"
    clear.write_text(_PG_CLEAR)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file", str(script), str(db_file)],
        env,
    )
    # psql runs both scripts in one transaction: all of it, or nothing on any error.
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            *args,
            "--dbname",
            _pg_name(alias),
            "--file",
            str(clear),
            "--file",
            str(script),
        ],
        env,
    )


def _stage_media(source: Path) -> Path:
    root = Path(settings.MEDIA_ROOT)
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
        try:
            if source.exists():
                shutil.copytree(source, staged, dirs_exist_ok=True)
            # mkdtemp makes 0700; the media folder keeps the mode it had.
            staged.chmod(root.stat().st_mode & 0o7777 if root.exists() else 0o755)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    except (OSError, shutil.Error) as exc:
        raise BackupError(f"The uploaded files could not be prepared: {exc}.") from exc
    return staged


def _swap_media(staged: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    old: Path | None = None
    try:
        if root.exists():
            old = Path(tempfile.mkdtemp(prefix=".media-before-restore-", dir=root.parent))
            os.replace(root, old / "media")
        try:
            os.replace(staged, root)
        except OSError:
            if old is not None:
                os.replace(old / "media", root)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BackupError(
            f"The database was restored, but the uploaded files could not be put in place "
            f"({exc}). The restored files are in {staged}; move them to {root}."
        ) from exc
