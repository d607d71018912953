"""Backups: the database and every stored file in one archive, with a manifest of checksums.

An archive is a tar file: ``database/`` (pg_dump's custom format, or a copy of the SQLite file),
``media/`` (evidence, imported plans, generated reports) and ``manifest.json`` last: the format,
when and from which database it was made, the migrations applied, each table's row count and each
member's size and SHA-256. A restore checks all of it before it changes anything.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from reform.audit import record
from reform.models import AuditKind
from reports.dashboard import data_changed

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Restored:
    created_at: str
    tables: int
    rows: int
    files: int


# --- Making one ------------------------------------------------------------------------------------


def make_backup(folder: Path) -> Path:
    """Writes ``reform-backup-<time>.tar`` into ``folder`` and returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = folder / f"reform-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        dump = _dump_database(Path(work))
        members = []
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            members.append(_add(archive, dump, f"database/{dump.name}"))
            for path in sorted(_media_files()):
                added = _add(archive, path, f"media/{path.relative_to(settings.MEDIA_ROOT).as_posix()}")
                if added:
                    members.append(added)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": connection.vendor, "member": f"database/{dump.name}"},
                "migrations": _applied_migrations(),
                "rows": row_counts(),
                "members": [member for member in members if member],
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        # Whole or not at all: a half-written archive never carries the final name.
        os.replace(partial, target)
    record(AuditKind.BACKUP, archive=target.name, members=len(manifest["members"]))
    return target


def _dump_database(work: Path) -> Path:
    if connection.vendor == "postgresql":
        target = work / "database.pgdump"
        _run_postgres(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return target
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        # SQLite's online backup: a consistent copy while the platform goes on writing.
        with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        return target
    raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": connection.vendor})


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        yield from (path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


class _Hashing:
    """A file read into the archive, its checksum taken on the way."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict | None:
    try:
        stream = path.open("rb")
    except FileNotFoundError:  # removed (evidence withdrawn) while the backup ran
        return None
    with stream:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(stream.fileno()).st_size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o640
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)
    return {"name": name, "size": info.size, "sha256": hashing.digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o640
    archive.addfile(info, _Hashing(_BytesReader(data)))


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts() -> dict[str, int]:
    """Every table of the platform's models, with its number of rows."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def _run_postgres(command: list[str]) -> None:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "", "PGHOST": db.get("HOST") or ""}
    env.update({"PGPORT": str(db.get("PORT") or ""), "PGPASSWORD": db.get("PASSWORD") or ""})
    if not shutil.which(command[0]):
        raise BackupError(
            _("%(program)s is not installed (scripts/system-packages installs it).") % {"program": command[0]}
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(_("%(program)s failed: %(error)s") % {"program": command[0], "error": done.stderr.strip()})


# --- Restoring one ---------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    """The archive's manifest, after checking every member against it; BackupError otherwise."""
    try:
        with tarfile.open(archive_path, "r") as archive:
            return _checked_manifest(archive, archive_path)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(file)s is not a readable backup archive: %(error)s") % {"file": archive_path, "error": error}
        ) from None
    except (KeyError, TypeError):
        raise BackupError(_("The manifest of %(file)s is damaged.") % {"file": archive_path}) from None


def _checked_manifest(archive: tarfile.TarFile, archive_path: Path) -> dict:
    try:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, ValueError, AttributeError):
        raise BackupError(
            _("%(file)s has no readable manifest: it is not a backup of this platform.") % {"file": archive_path}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(found)s; this version reads format %(known)s.")
            % {"found": manifest.get("format"), "known": FORMAT}
        )
    expected = {member["name"]: member for member in manifest["members"]}
    seen = set()
    for info in archive:
        if info.name == MANIFEST:
            continue
        if info.name not in expected or not info.isfile() or not _safe(info.name):
            raise BackupError(
                _("The archive holds “%(name)s”, which its manifest does not list.") % {"name": info.name}
            )
        digest = hashlib.sha256()
        stream = archive.extractfile(info)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != expected[info.name]["sha256"] or info.size != expected[info.name]["size"]:
            raise BackupError(
                _("“%(name)s” in the archive does not match its checksum: the archive is damaged.")
                % {"name": info.name}
            )
        seen.add(info.name)
    if missing := sorted(set(expected) - seen):
        raise BackupError(
            _("The archive lacks %(names)s, which its manifest lists.") % {"names": "、".join(missing[:5])}
        )
    return manifest


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and path.parts[0] in ("database", "media")


def check_restorable(manifest: dict) -> None:
    """Refuses a backup of another kind of database, or from a newer version of the platform."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; the platform runs on %(current)s. Restore it to %(backup)s.")
            % {"backup": vendor, "current": connection.vendor}
        )
    on_disk = MigrationLoader(connection, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in on_disk
    ]
    if unknown:
        raise BackupError(
            _("This backup was made by a newer version of the platform (%(migrations)s): upgrade first.")
            % {"migrations": "、".join(unknown[:3])}
        )


def restore_backup(archive_path: Path, *, safety_folder: Path | None) -> Restored:
    """Replaces the database and the stored files with the archive's, then migrates to this version.

    With ``safety_folder``, the current state is backed up there first: a restore that fails half-way
    (the database is emptied before the dump is loaded) can then be undone.
    """
    manifest = read_manifest(archive_path)
    check_restorable(manifest)
    if safety_folder is not None:
        make_backup(safety_folder)
    with (
        tempfile.TemporaryDirectory(dir=Path(archive_path).parent, prefix=".restore-") as work,
        tarfile.open(archive_path) as archive,
    ):
        member = archive.getmember(manifest["database"]["member"])
        dump = Path(work) / PurePosixPath(member.name).name
        with archive.extractfile(member) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        _restore_database(dump)
        files = _restore_media(archive, manifest)
    counts = row_counts()
    differing = {
        table: (rows, counts.get(table)) for table, rows in manifest["rows"].items() if counts.get(table) != rows
    }
    if differing:
        raise BackupError(
            _("After the restore these tables differ from the backup: %(tables)s") % {"tables": differing}
        )
    call_command("migrate", interactive=False, verbosity=0)
    data_changed()  # figures cached before the restore are out of date
    record(AuditKind.RESTORE, archive=Path(archive_path).name, made_at=manifest["created_at"])
    return Restored(manifest["created_at"], len(manifest["rows"]), sum(manifest["rows"].values()), files)


def _restore_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            if tables:
                cursor.execute("DROP TABLE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
            cursor.execute("DROP FUNCTION IF EXISTS reform_auditevent_append_only() CASCADE")
        connections.close_all()
        _run_postgres(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(dump),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        connections.close_all()


def _restore_media(archive: tarfile.TarFile, manifest: dict) -> int:
    root = Path(settings.MEDIA_ROOT)
    kept = set()
    for member in manifest["members"]:
        if not member["name"].startswith("media/"):
            continue
        relative = PurePosixPath(member["name"]).relative_to("media")
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        with archive.extractfile(member["name"]) as source, partial.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        os.replace(partial, target)
        kept.add(target)
    for path in list(_media_files()):
        if path not in kept:
            path.unlink()
    return len(kept)
