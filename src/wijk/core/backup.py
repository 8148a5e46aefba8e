"""Backup and restore of everything Wijkonderneming keeps: the database and uploads.

A backup is one `.tar.gz` archive holding the database (an SQLite copy made with
SQLite's online backup API, or a `pg_dump` custom-format dump), the media folder, and
`manifest.json` with a SHA-256 checksum for every file. Both database copies are
consistent snapshots, so a backup may be taken while the application is in use. The
archive is written under a temporary name and renamed only when it is complete, so a
half-written backup never looks like a good one.

Restore verifies every checksum before it touches anything, then replaces the
database and the media folder. Stop the application while restoring.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore are the supported PostgreSQL tools
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

import wijk

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env_and_args(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES[alias]
    env = dict(os.environ)
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


def _sqlite_tables(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        # Table names come from sqlite_master itself, quoted; no user input reaches SQL.
        return {name: con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
    finally:
        con.close()


def _dump_database(workdir: Path, alias: str = "default") -> tuple[Path, dict[str, Any]]:
    engine = _engine(alias)
    if engine == "sqlite":
        target = workdir / "database.sqlite3"
        connection = connections[alias]
        connection.ensure_connection()
        source = connection.connection
        dest = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others write.
            source.backup(dest)
        finally:
            dest.close()
        check = sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The copy of the database failed its integrity check: {check}")
        return target, {"engine": "sqlite", "file": target.name, "tables": _sqlite_tables(target)}
    target = workdir / "database.pgdump"
    env, args = _pg_env_and_args(alias)
    name = str(settings.DATABASES[alias]["NAME"])
    # pg_dump runs in one repeatable-read transaction: a consistent snapshot.
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args, name], env)
    return target, {"engine": "postgresql", "file": target.name}


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def backup_create(*, destination: Path, alias: str = "default") -> BackupResult:
    """Write a complete backup archive into the folder `destination` and return its path."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    final = destination / f"wijk-backup-{stamp}.tar.gz"
    partial = destination / f".{final.name}.partial"
    with tempfile.TemporaryDirectory(prefix="wijk-backup-") as tmp:
        workdir = Path(tmp)
        db_file, db_info = _dump_database(workdir, alias)
        files: dict[str, dict[str, Any]] = {
            db_file.name: {"sha256": _sha256(db_file), "size": db_file.stat().st_size}
        }
        media = list(_media_files())
        for path, relative in media:
            files[f"media/{relative}"] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "application": "wijkonderneming",
            "version": wijk.__version__,
            "created_at": timezone.now().isoformat(),
            "database": db_info,
            "files": files,
        }
        manifest_path = workdir / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(manifest_path, arcname=MANIFEST)
                archive.add(db_file, arcname=db_file.name)
                for path, relative in media:
                    archive.add(path, arcname=f"media/{relative}")
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=final, manifest=manifest)


def backup_read_manifest(*, archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            data: dict[str, Any] = json.load(member)
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive}: not a Wijkonderneming backup ({exc}).") from exc
    if data.get("application") != "wijkonderneming" or data.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive}: unknown backup format.")
    return data


def backup_verify(*, archive: Path, workdir: Path) -> dict[str, Any]:
    """Extract into `workdir` and check every file against the manifest."""
    manifest = backup_read_manifest(archive=archive)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(workdir, filter="data")  # "data" refuses absolute paths, .. and links
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive}: cannot be unpacked ({exc}).") from exc
    expected = manifest["files"]
    for name, info in expected.items():
        path = workdir / name
        if not path.is_file():
            raise BackupError(f"{archive}: {name} is listed in the manifest but missing.")
        if _sha256(path) != info["sha256"]:
            raise BackupError(f"{archive}: {name} is damaged (checksum does not match).")
    present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    extra = present - set(expected)
    if extra:
        raise BackupError(f"{archive}: files not in the manifest: {', '.join(sorted(extra))}.")
    return manifest


def backup_restore(*, archive: Path, alias: str = "default") -> dict[str, Any]:
    """Replace the database and the media folder with the backup's. Stop the app first."""
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
        if engine == "sqlite":
            _restore_sqlite(db_file, alias)
        else:
            _restore_postgresql(db_file, alias)
        _restore_media(workdir / "media")
    return manifest


def _restore_sqlite(db_file: Path, alias: str) -> None:
    target = Path(str(settings.DATABASES[alias]["NAME"]))
    connections[alias].close()
    source = sqlite3.connect(db_file)
    dest = sqlite3.connect(target)
    try:
        # Copy page by page into the live file through SQLite itself, so the WAL and
        # any open readers stay coherent (safer than replacing the file underneath).
        source.backup(dest)
    finally:
        source.close()
        dest.close()


def _restore_postgresql(db_file: Path, alias: str) -> None:
    connections[alias].close()
    env, args = _pg_env_and_args(alias)
    name = str(settings.DATABASES[alias]["NAME"])
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            "--dbname",
            name,
            str(db_file),
        ],
        env,
    )


def _restore_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = root.parent / f".media-restore-{datetime.now().timestamp():.0f}"  # noqa: DTZ005 - a unique name only
    if source.exists():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = root.parent / f".media-before-restore-{datetime.now().timestamp():.0f}"  # noqa: DTZ005
    if root.exists():
        os.replace(root, old)
    os.replace(staged, root)
    if old.exists():
        shutil.rmtree(old)
