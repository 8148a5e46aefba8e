"""`wijk backup` and `wijk restore`: round trip, damage, atomic naming, live writers.

Two levels, chosen for what each can prove soundly:

* Service level (`backup_create` / `backup_restore` inside pytest-django) runs on the
  test database of whichever engine this run uses. It uses `transactional_db`, never
  `db`: `db` wraps each test in a transaction, and a backup taken inside it would hold
  uncommitted rows on SQLite (the copy is made through the same connection) but not on
  PostgreSQL (pg_dump is another session), and a restore must replace the database
  from outside any transaction. The services refuse to run inside one, which a test
  below checks. On SQLite the test database is in memory (shared cache); that is
  sound here because both services go through Django's own connection: the backup
  API reads the in-memory database and writes it back into the very same one, and
  Django never closes an in-memory connection, so nothing is lost in between. What
  the in-memory database cannot show (a real file in the WAL mode, a second process
  writing, a fresh data folder) the process-level tests do.

* Process level runs the real `wijk` entry point in subprocesses against their own
  data folder (and their own throwaway PostgreSQL database), with an environment
  cleaned of everything pytest-env and the test run set, so no subprocess ever sees
  the test database.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.engine import SUITE_ENGINE
from tests.factories import make_organisation, make_user
from wijk.accounts.models import User
from wijk.core.backup import BackupError, backup_create, backup_read_manifest, backup_restore
from wijk.core.models import AuditEvent
from wijk.organisations.models import Membership, Organisation

WIJK = Path(sys.executable).with_name("wijk")
FINAL_NAME = re.compile(r"^wijk-backup-\d{8}-\d{6}-\d{6}\.tar\.gz$")
PARTIAL_NAME = re.compile(r"^\.wijk-backup-\d{8}-\d{6}-\d{6}\.tar\.gz\.partial$")
# Every byte value, so text-mode or encoding slips in the archive would show.
BINARY = bytes(range(256)) * 64
NOTES = "Notulen buurtcafé-overleg, 3 maart: kas klopt.\n".encode()


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_media(root: Path) -> dict[str, bytes]:
    (root / "uploads" / "2024").mkdir(parents=True)
    (root / "logo.png").write_bytes(BINARY)
    (root / "uploads" / "2024" / "notulen.txt").write_bytes(NOTES)
    return read_tree(root)


def archive_members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    with tarfile.open(archive, "r:gz") as tar:
        members = []
        for info in tar.getmembers():
            handle = tar.extractfile(info) if info.isfile() else None
            members.append((info, handle.read() if handle else None))
        return members


def rewrite_archive(
    source: Path,
    target: Path,
    change: Callable[[list[tuple[tarfile.TarInfo, bytes | None]]], None],
) -> Path:
    """Copy an archive member by member, letting `change` edit the list first."""
    members = archive_members(source)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for info, data in members:
            if data is None:
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return target


def member(members: list[tuple[tarfile.TarInfo, bytes | None]], name: str) -> int:
    return next(i for i, (info, _) in enumerate(members) if info.name == name)


def edit_manifest(
    members: list[tuple[tarfile.TarInfo, bytes | None]], edit: Callable[[dict[str, Any]], None]
) -> None:
    index = member(members, "manifest.json")
    info, data = members[index]
    assert data is not None
    manifest = json.loads(data)
    edit(manifest)
    members[index] = (info, json.dumps(manifest).encode())


def new_file(name: str, data: bytes = b"not from the backup") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def table_counts(names: Iterator[str] | list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
        return counts


def sqlite_regexp(pattern: str, value: Any) -> bool:
    # CHECK constraints use REGEXP, which Django defines on its own connections only;
    # integrity_check evaluates them, so a plain connection needs it as well.
    return bool(re.search(pattern, str(value)))


# --------------------------------------------------------------------------------------
# Service level
# --------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "data" / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def original(transactional_db: None, media_root: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Data and uploads, and a backup of both."""
    org = make_organisation("Bewonersbedrijf Alfa", "alfa", city="Utrecht")
    board = make_user("bestuur@alfa.example", org, "board")
    make_user("vrijwilliger@alfa.example", org, "volunteer")
    files = write_media(media_root)
    result = backup_create(destination=tmp_path / "backups")
    yield {"org": org, "board": board, "files": files, "result": result}
    # The flush after a transactional test empties Django's tables but would leave
    # this one (see change_everything) for the next test.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS later_migration_table")


def snapshot(media_root: Path) -> dict[str, Any]:
    """Everything a restore could change, to prove that a refused one changed nothing."""
    return {
        "organisations": sorted(Organisation.objects.values_list("slug", "name", "city")),
        "users": sorted(User.objects.values_list("email", flat=True)),
        "memberships": Membership.objects.count(),
        "audit": AuditEvent.objects.count(),
        "media": read_tree(media_root),
        "beside_media": sorted(p.name for p in media_root.parent.iterdir()),
    }


def change_everything(media_root: Path) -> None:
    Organisation.objects.filter(slug="alfa").update(name="Hernoemd", city="Zwolle")
    User.objects.filter(email="vrijwilliger@alfa.example").delete()
    make_organisation("Buurtbedrijf Gamma", "gamma")
    (media_root / "logo.png").unlink()
    (media_root / "uploads" / "2024" / "notulen.txt").write_bytes(b"overwritten")
    (media_root / "uploads" / "new.txt").write_bytes(b"uploaded after the backup")
    # As if a later migration added a table: a restore must not leave it behind.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_migration_table (id integer)")


def test_round_trip_brings_back_data_and_files(original: dict[str, Any], media_root: Path):
    before = snapshot(media_root)
    manifest = original["result"].manifest
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["database"]["tables"]["organisations_organisation"] == 1
    assert manifest["database"]["tables"]["organisations_membership"] == 2

    change_everything(media_root)
    assert snapshot(media_root) != before

    restored = backup_restore(archive=original["result"].path)

    assert restored == manifest
    assert snapshot(media_root) == before
    org = Organisation.objects.get(slug="alfa")
    assert (org.pk, org.name, org.city) == (original["org"].pk, "Bewonersbedrijf Alfa", "Utrecht")
    volunteer = User.objects.get(email="vrijwilliger@alfa.example")
    assert volunteer.check_password("correct horse battery staple")
    assert set(Membership.objects.values_list("user__email", "role")) == {
        ("bestuur@alfa.example", "board"),
        ("vrijwilliger@alfa.example", "volunteer"),
    }
    assert read_tree(media_root) == original["files"]
    assert "later_migration_table" not in connection.introspection.table_names()
    tables = manifest["database"]["tables"]
    assert table_counts(list(tables)) == tables
    # The app keeps working on the restored database: new rows get fresh keys.
    assert make_organisation("Na herstel", "na-herstel").pk > org.pk


def test_a_backup_inside_a_transaction_is_refused(db: None, settings: Any, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(BackupError, match="outside a database transaction"):
        backup_create(destination=tmp_path / "backups")
    with pytest.raises(BackupError, match="outside a database transaction"):
        backup_restore(archive=tmp_path / "any.tar.gz")
    assert not (tmp_path / "backups").exists()


def test_manifest_lists_every_file_with_its_checksum(original: dict[str, Any]):
    archive = original["result"].path
    members = {info.name: data for info, data in archive_members(archive)}
    assert all(info.isfile() for info, _ in archive_members(archive))
    manifest = backup_read_manifest(archive=archive)
    assert manifest == original["result"].manifest
    database_file = manifest["database"]["file"]
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    assert set(manifest["files"]) == {
        database_file,
        "media/logo.png",
        "media/uploads/2024/notulen.txt",
    }
    for name, info in manifest["files"].items():
        data = members[name]
        assert data is not None
        assert info == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert members["media/logo.png"] == BINARY


def _flip_database_byte(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    names = [info.name for info, _ in members]
    index = next(i for i, name in enumerate(names) if name.startswith("database."))
    info, data = members[index]
    assert data is not None
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x01
    members[index] = (info, bytes(damaged))


ESCAPE = f"wijk-backup-test-escape-{os.getpid()}.txt"


def _symlink(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    link = tarfile.TarInfo("media/link.png")
    link.type = tarfile.SYMTYPE
    link.linkname = "../../../../etc/passwd"
    members.append((link, None))


def _unsafe_in_manifest_too(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    name = f"media/../../{ESCAPE}"
    data = b"escaped"
    members.insert(0, new_file(name, data))
    edit_manifest(
        members,
        lambda m: m["files"].update({name: {"sha256": hashlib.sha256(data).hexdigest()}}),
    )


def _drop_media_file(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    del members[member(members, "media/logo.png")]


def _duplicate(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> None:
    members.append(new_file("media/logo.png", b"second copy, wrong contents"))


TAMPERING = {
    "one byte of the database changed": (_flip_database_byte, "damaged"),
    "a file not in the manifest": (
        lambda m: m.append(new_file("media/extra.txt")),
        "not listed in the manifest",
    ),
    "a path with ..": (lambda m: m.insert(0, new_file(f"media/../../{ESCAPE}")), "unsafe path"),
    "an absolute path": (
        lambda m: m.insert(0, new_file(f"{tempfile.gettempdir()}/{ESCAPE}")),
        "unsafe path",
    ),
    "a path with .. that the manifest lists too": (_unsafe_in_manifest_too, "unsafe path"),
    "a symbolic link": (_symlink, "not a regular file"),
    "a file missing": (_drop_media_file, "missing: media/logo.png"),
    "a file twice": (_duplicate, "appears twice"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_a_tampered_archive_is_refused_and_nothing_changes(
    case: str, original: dict[str, Any], media_root: Path, tmp_path: Path
):
    tamper, message = TAMPERING[case]
    archive = rewrite_archive(original["result"].path, tmp_path / "tampered.tar.gz", tamper)
    change_everything(media_root)
    before = snapshot(media_root)

    with pytest.raises(BackupError, match=re.escape(message)) as exc:
        backup_restore(archive=archive)

    assert str(archive) in str(exc.value)
    assert snapshot(media_root) == before
    assert "later_migration_table" in connection.introspection.table_names()
    assert not (Path(tempfile.gettempdir()) / ESCAPE).exists()
    assert not (tmp_path / ESCAPE).exists()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Dit is geen back-up.\n", id="plain text"),
        pytest.param(b"\x1f\x8b\x08\x00 truncated gzip", id="broken gzip"),
        pytest.param("tar without manifest", id="tar without manifest"),
        pytest.param("manifest of something else", id="manifest of something else"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(
    content: bytes | str, original: dict[str, Any], media_root: Path, tmp_path: Path
):
    archive = tmp_path / "not-a-backup.tar.gz"
    if content == "tar without manifest":
        rewrite_archive(
            original["result"].path, archive, lambda m: m.pop(member(m, "manifest.json"))
        )
    elif content == "manifest of something else":
        rewrite_archive(
            original["result"].path, archive, lambda m: edit_manifest(m, lambda d: d.clear())
        )
    else:
        assert isinstance(content, bytes)
        archive.write_bytes(content)
    change_everything(media_root)
    before = snapshot(media_root)

    with pytest.raises(BackupError, match="not a Wijkonderneming backup|unknown backup format"):
        backup_restore(archive=archive)
    assert snapshot(media_root) == before


def test_a_backup_of_the_other_engine_is_refused(
    original: dict[str, Any], media_root: Path, tmp_path: Path
):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(manifest: dict[str, Any]) -> None:
        manifest["database"]["engine"] = other

    archive = rewrite_archive(
        original["result"].path, tmp_path / "other.tar.gz", lambda m: edit_manifest(m, relabel)
    )
    change_everything(media_root)
    before = snapshot(media_root)

    with pytest.raises(BackupError, match=f"holds a {other} database.*uses {connection.vendor}"):
        backup_restore(archive=archive)
    assert snapshot(media_root) == before


# Atomic naming -------------------------------------------------------------------------


def test_only_a_dot_partial_exists_while_writing(
    transactional_db: None, media_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_media(media_root)
    destination = tmp_path / "backups"
    seen: list[list[str]] = []
    addfile = tarfile.TarFile.addfile

    def watching_addfile(
        self: tarfile.TarFile, tarinfo: tarfile.TarInfo, fileobj: Any = None
    ) -> None:
        seen.append(sorted(os.listdir(destination)))
        addfile(self, tarinfo, fileobj)

    monkeypatch.setattr(tarfile.TarFile, "addfile", watching_addfile)
    result = backup_create(destination=destination)

    assert len(seen) == 4  # database, two uploads, manifest
    for listing in seen:
        assert len(listing) == 1 and PARTIAL_NAME.match(listing[0]), listing
    assert os.listdir(destination) == [result.path.name]
    assert FINAL_NAME.match(result.path.name)
    assert seen[0] == [f".{result.path.name}.partial"]


def _disk_full(monkeypatch: pytest.MonkeyPatch, media_root: Path) -> str:
    addfile = tarfile.TarFile.addfile

    def failing_addfile(
        self: tarfile.TarFile, tarinfo: tarfile.TarInfo, fileobj: Any = None
    ) -> None:
        if tarinfo.name == "media/uploads/2024/notulen.txt":
            raise OSError(28, "No space left on device")
        addfile(self, tarinfo, fileobj)

    monkeypatch.setattr(tarfile.TarFile, "addfile", failing_addfile)
    return "The backup could not be written: [Errno 28] No space left on device"


def _file_shrinks(monkeypatch: pytest.MonkeyPatch, media_root: Path) -> str:
    # An upload replaced by a shorter one between stat() and reading its bytes.
    addfile = tarfile.TarFile.addfile

    def shrinking_addfile(
        self: tarfile.TarFile, tarinfo: tarfile.TarInfo, fileobj: Any = None
    ) -> None:
        if tarinfo.name == "media/logo.png":
            (media_root / "logo.png").write_bytes(b"short")
        addfile(self, tarinfo, fileobj)

    monkeypatch.setattr(tarfile.TarFile, "addfile", shrinking_addfile)
    return "logo.png changed while it was backed up"


def _unreadable_folder(monkeypatch: pytest.MonkeyPatch, media_root: Path) -> str:
    folder = media_root / "uploads"
    if os.geteuid() != 0:
        folder.chmod(0)  # the test puts the mode back
    else:
        # Root reads everything whatever the mode says: fail the listing as the
        # kernel would for anyone else.
        scandir = os.scandir

        def refusing_scandir(path: Any = ".") -> Any:
            if isinstance(path, str | os.PathLike) and Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refusing_scandir)
    return "Cannot read"


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(_disk_full, id="disk full"),
        pytest.param(_file_shrinks, id="upload changes while archived"),
        pytest.param(_unreadable_folder, id="media folder unreadable"),
    ],
)
def test_a_failed_backup_leaves_no_partial_file(
    failure: Callable[[pytest.MonkeyPatch, Path], str],
    transactional_db: None,
    media_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    write_media(media_root)
    destination = tmp_path / "backups"
    message = failure(monkeypatch, media_root)
    try:
        with pytest.raises(BackupError, match=re.escape(message)):
            backup_create(destination=destination)
    finally:
        (media_root / "uploads").chmod(0o755)
    assert os.listdir(destination) == []


# --------------------------------------------------------------------------------------
# Process level
# --------------------------------------------------------------------------------------


def clean_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The caller's environment without the test run's settings, plus this instance's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WIJK_", "DJANGO_", "PYTEST_"))
        and key not in {"DATABASE_URL", "SECRET_KEY"}
    }
    env["WIJK_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    password: str

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host or None,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        )

    def url(self, name: str) -> str:
        auth = quote(self.user, safe="") + (
            f":{quote(self.password, safe='')}" if self.password else ""
        )
        return f"postgres://{auth}@{quote(self.host, safe='')}:{self.port}/{name}"


@pytest.fixture(scope="module")
def postgres_server() -> PostgresServer:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        config = dj_database_url.parse(url)
        server = PostgresServer(
            str(config.get("HOST") or ""),
            int(config.get("PORT") or 5432),
            str(config.get("USER") or "postgres"),
            str(config.get("PASSWORD") or ""),
        )
    else:
        server = PostgresServer("127.0.0.1", 5432, "postgres", "")
    try:
        server.admin().close()
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL reachable at {server.host}:{server.port}: {exc}")
    return server


_names = itertools.count()


@dataclass
class Instance:
    """One installation: a data folder and, for PostgreSQL, its own database."""

    data_dir: Path
    database_url: str | None = None
    database: str | None = None

    @property
    def engine(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def env(self) -> dict[str, str]:
        return clean_env(self.data_dir, self.database_url)

    def wijk(
        self, *args: str, input: str | None = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(WIJK), *args],
            env=self.env(),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        if self.database_url:
            with psycopg.connect(self.database_url) as con:
                return list(con.execute(statement).fetchall())  # type: ignore[call-overload]
        con = sqlite3.connect(self.data_dir / "wijk.sqlite3")
        try:
            return con.execute(statement).fetchall()
        finally:
            con.close()


@pytest.fixture
def make_instance(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Instance]]:
    created: list[tuple[PostgresServer, str]] = []

    def make(engine: str) -> Instance:
        data_dir = tmp_path / f"instance-{next(_names)}"
        data_dir.mkdir()
        if engine == "sqlite":
            return Instance(data_dir)
        server: PostgresServer = request.getfixturevalue("postgres_server")
        name = f"wijk_backup_test_{os.getpid()}_{next(_names)}"
        with server.admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append((server, name))
        return Instance(data_dir, server.url(name), name)

    yield make
    for server, name in created:
        with server.admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_ok(instance: Instance, *args: str) -> subprocess.CompletedProcess[str]:
    result = instance.wijk(*args)
    assert result.returncode == 0, (
        f"wijk {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result


def backup_path(result: subprocess.CompletedProcess[str]) -> Path:
    match = re.search(r"Backup written: (\S+\.tar\.gz)", result.stdout)
    assert match, result.stdout
    return Path(match.group(1))


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    import django

    django.setup()
    from django.db import transaction

    from wijk.core.models import AuditEvent

    started, stop, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    deadline = time.monotonic() + 10
    done = 0
    while done < limit and time.monotonic() < deadline and not stop.exists():
        with transaction.atomic():
            key = f"pair-{done}"
            AuditEvent.objects.create(action="test.pair", object_id=key, data={"half": 1})
            time.sleep(0.001)  # the transaction stays open half-written for a moment
            AuditEvent.objects.create(action="test.pair", object_id=key, data={"half": 2})
        done += 1
        if done == 50:
            started.touch()
    print(done)
    """
)


@pytest.mark.parametrize("engine", [SUITE_ENGINE])
def test_backup_while_another_process_writes(
    engine: str, make_instance: Callable[[str], Instance], tmp_path: Path
):
    live = make_instance(engine)
    run_ok(live, "migrate", "--verbosity", "0")
    (live.data_dir / "media" / "fotos").mkdir(parents=True)
    (live.data_dir / "media" / "fotos" / "buurtfeest.jpg").write_bytes(BINARY)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    started, stop = tmp_path / "writer-started", tmp_path / "writer-stop"
    writer = subprocess.Popen(
        [sys.executable, str(script), str(started), str(stop), "20000"],
        env={**live.env(), "DJANGO_SETTINGS_MODULE": "wijk.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not started.exists():
            assert writer.poll() is None, f"the writer stopped early: {writer.communicate()}"
            assert time.monotonic() < deadline, "the writer did not get going"
            time.sleep(0.02)
        made = run_ok(live, "backup", "--to", str(tmp_path / "backups"))
        time.sleep(0.3)  # let the writer go on past the snapshot
    finally:
        stop.touch()
        try:
            out, err = writer.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            writer.kill()
            out, err = writer.communicate()
    assert writer.returncode == 0, err
    written_pairs = int(out)
    assert live.query("SELECT COUNT(*) FROM core_auditevent") == [(2 * written_pairs,)]

    archive = backup_path(made)
    assert archive.parent == tmp_path / "backups"
    assert os.listdir(archive.parent) == [archive.name]
    manifest = backup_read_manifest(archive=archive)

    fresh = make_instance(engine)  # an empty data folder, or an empty database
    restored = run_ok(fresh, "restore", str(archive), "--yes")
    assert "Restored the backup" in restored.stdout

    if engine == "sqlite":
        con = sqlite3.connect(fresh.data_dir / "wijk.sqlite3")
        con.create_function("REGEXP", 2, sqlite_regexp)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()
    tables = manifest["database"]["tables"]
    assert tables and "core_auditevent" in tables
    for table, rows in tables.items():
        assert fresh.query(f'SELECT COUNT(*) FROM "{table}"') == [(rows,)], table  # noqa: S608

    # No half transaction: every key twice, once per half, and the keys are exactly
    # the first N the writer made (it wrote them in order, so a snapshot is a prefix).
    keys = fresh.query(
        "SELECT object_id, COUNT(*) FROM core_auditevent WHERE action = 'test.pair' "
        "GROUP BY object_id HAVING COUNT(*) <> 2"
    )
    assert keys == []
    halves = fresh.query(
        "SELECT COUNT(*) FROM core_auditevent WHERE action = 'test.pair' GROUP BY data ORDER BY 1"
    )
    restored_pairs = tables["core_auditevent"] // 2
    assert halves == [(restored_pairs,), (restored_pairs,)]
    present = {
        row[0]
        for row in fresh.query("SELECT object_id FROM core_auditevent WHERE action = 'test.pair'")
    }
    assert present == {f"pair-{i}" for i in range(restored_pairs)}
    assert 50 <= restored_pairs < written_pairs
    assert read_tree(fresh.data_dir / "media") == {"fotos/buurtfeest.jpg": BINARY}
    # The restored installation is complete: Django sees every migration applied.
    run_ok(fresh, "migrate", "--check")


@pytest.fixture(scope="module")
def cli_instance(tmp_path_factory: pytest.TempPathFactory) -> Instance:
    instance = Instance(tmp_path_factory.mktemp("cli"))
    run_ok(instance, "migrate", "--verbosity", "0")
    (instance.data_dir / "media").mkdir()
    (instance.data_dir / "media" / "logo.png").write_bytes(BINARY)
    return instance


def add_audit_row(instance: Instance, action: str) -> None:
    con = sqlite3.connect(instance.data_dir / "wijk.sqlite3")
    try:
        with con:
            con.execute(
                "INSERT INTO core_auditevent (action, object_type, object_id, data, created_at) "
                "VALUES (?, '', '', '{}', '2024-03-03 12:00:00')",
                (action,),
            )
    finally:
        con.close()


def test_backup_command_exits_0_and_prints_the_path(cli_instance: Instance, tmp_path: Path):
    result = run_ok(cli_instance, "backup", "--to", str(tmp_path / "elsewhere"))
    archive = backup_path(result)
    assert archive.is_file() and archive.parent == tmp_path / "elsewhere"
    assert "2 files" in result.stdout
    # Without --to the backup goes to the backups folder in the data folder.
    default = backup_path(run_ok(cli_instance, "backup"))
    assert default.parent == cli_instance.data_dir / "backups"
    assert FINAL_NAME.match(default.name)
    default.unlink()


@pytest.mark.parametrize("stdin", ["empty", "devnull"])
def test_restore_without_yes_and_without_a_terminal_changes_nothing(
    stdin: str, cli_instance: Instance, tmp_path: Path
):
    archive = backup_path(run_ok(cli_instance, "backup", "--to", str(tmp_path)))
    add_audit_row(cli_instance, "after.backup")
    (cli_instance.data_dir / "media" / "after.txt").write_bytes(b"after the backup")
    database = (cli_instance.data_dir / "wijk.sqlite3").read_bytes()

    if stdin == "empty":
        result = cli_instance.wijk("restore", str(archive), input="")
    else:
        result = subprocess.run(
            [str(WIJK), "restore", str(archive)],
            env=cli_instance.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode != 0
    assert "--yes" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (cli_instance.data_dir / "wijk.sqlite3").read_bytes() == database
    assert cli_instance.query(
        "SELECT COUNT(*) FROM core_auditevent WHERE action = 'after.backup'"
    ) != [(0,)]
    assert (cli_instance.data_dir / "media" / "after.txt").exists()
    (cli_instance.data_dir / "media" / "after.txt").unlink()


def test_restore_with_yes_replaces_the_data(cli_instance: Instance, tmp_path: Path):
    archive = backup_path(run_ok(cli_instance, "backup", "--to", str(tmp_path)))
    add_audit_row(cli_instance, "after.this.backup")
    (cli_instance.data_dir / "media" / "after.txt").write_bytes(b"after the backup")

    run_ok(cli_instance, "restore", str(archive), "--yes")

    assert cli_instance.query(
        "SELECT COUNT(*) FROM core_auditevent WHERE action = 'after.this.backup'"
    ) == [(0,)]
    assert read_tree(cli_instance.data_dir / "media") == {"logo.png": BINARY}


@pytest.mark.parametrize("what", ["missing", "not a backup", "damaged"])
def test_restore_of_a_bad_file_exits_non_zero_without_a_traceback(
    what: str, cli_instance: Instance, tmp_path: Path
):
    if what == "missing":
        archive, message = tmp_path / "missing-file.tar.gz", "file not found"
    elif what == "not a backup":
        archive, message = tmp_path / "notes.txt", "not a Wijkonderneming backup"
        archive.write_text("boodschappenlijst")
    else:
        good = backup_path(run_ok(cli_instance, "backup", "--to", str(tmp_path / "good")))
        archive = rewrite_archive(good, tmp_path / "damaged.tar.gz", _flip_database_byte)
        message = "damaged (checksum does not match)"
    database = (cli_instance.data_dir / "wijk.sqlite3").read_bytes()

    result = cli_instance.wijk("restore", str(archive), "--yes")

    assert result.returncode != 0
    assert message in result.stderr
    assert str(archive) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (cli_instance.data_dir / "wijk.sqlite3").read_bytes() == database
