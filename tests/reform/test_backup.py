"""Backup and restore: a round trip gives back every row and every file; a bad archive changes nothing."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from reform.models import AuditEvent, AuditKind
from reports.models import DataVersion
from tasks.models import Evidence, ProgressReport, Task
from tasks.services import progress_report_submit
from tests.factories import AssignmentFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Rows that the round trip itself writes: compared on their own below.
OWN_ROWS = {AuditEvent, DataVersion}


def rows() -> dict[str, list[tuple]]:
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model not in OWN_ROWS:
            found[model._meta.db_table] = list(model._base_manager.order_by("pk").values_list())
    return found


def files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def populated(chengtou_reporter, staff):
    for month in ("2026-01", "2026-02"):
        assignment = AssignmentFactory(unit=chengtou_reporter.unit)
        progress_report_submit(
            assignment_id=assignment.pk,
            user=chengtou_reporter,
            period=month,
            text="已完成制度初稿，附会议纪要",
            percent=50,
            files=[SimpleUploadedFile(f"纪要{month}.pdf", PDF + month.encode()), SimpleUploadedFile("附件.pdf", PDF)],
        )
    AuditEvent.objects.create(kind=AuditKind.LOGIN_FAILED, username="lina", address="10.0.0.1")
    assert Evidence.objects.count() == 4 and len(files()) == 4


def test_a_round_trip_gives_back_every_row_and_every_file(populated, tmp_path, capsys):
    before_rows, before_files = rows(), files()
    audit_before = list(AuditEvent.objects.order_by("pk").values_list("kind", "username", "address"))

    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("reform-backup-*.tar"))
    # Everything changes afterwards: rows added, changed and removed, files removed, changed and added.
    Task.objects.update(title="改过的标题")
    UnitFactory(name="备份后新增的单位")
    removed = Evidence.objects.first()
    Path(removed.file.path).unlink()
    Evidence.objects.filter(pk=removed.pk).delete()
    ProgressReport.objects.last().evidence.first().file.open("wb").write(b"overwritten")
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")

    call_command("restore", str(archive), yes=True)

    assert rows() == before_rows
    assert files() == before_files
    audit_after = list(AuditEvent.objects.order_by("pk").values_list("kind", "username", "address"))
    assert audit_after[: len(audit_before)] == audit_before
    assert [kind for kind, *_ in audit_after[len(audit_before) :]] == [AuditKind.RESTORE]
    out = capsys.readouterr().out
    assert "every checksum matches" in out and "row counts checked" in out
    assert next((tmp_path / "before-restore").glob("reform-backup-*.tar"))  # the state replaced, kept


def test_the_manifest_lists_every_member_with_its_checksum_and_the_row_counts(populated, tmp_path):
    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("reform-backup-*.tar"))

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        for member in manifest["members"]:
            data = tar.extractfile(member["name"]).read()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (member["size"], member["sha256"])
        names = sorted(tar.getnames())

    assert names == sorted([m["name"] for m in manifest["members"]] + ["manifest.json"])
    assert sum(name.startswith("media/evidence/") for name in names) == 4
    assert manifest["rows"]["tasks_evidence"] == 4
    assert manifest["database"]["vendor"] in ("sqlite", "postgresql")
    assert "0002_audit_log" in manifest["migrations"]["reform"]
    assert AuditEvent.objects.filter(kind=AuditKind.BACKUP, detail__archive=archive.name).exists()


def rewrite(archive: Path, change) -> None:
    """The archive with its members passed through ``change(name, data) -> data | None``."""
    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(archive, "w") as tar:
        for info, data in members:
            data = change(info.name, data)
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


def damage_evidence(name, data):
    return b"tampered" + data if name.startswith("media/evidence/") else data


def drop_manifest(name, data):
    return None if name == "manifest.json" else data


def claim_postgresql_or_sqlite(name, data):
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["database"]["vendor"] = "postgresql" if manifest["database"]["vendor"] == "sqlite" else "sqlite"
    return json.dumps(manifest).encode()


def from_the_future(name, data):
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["migrations"]["tasks"].append("0999_not_written_yet")
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (damage_evidence, "与校验值不符"),
        (drop_manifest, "没有可读取的清单"),
        (claim_postgresql_or_sqlite, "请恢复到"),
        (from_the_future, "更新版本的平台"),
    ],
)
def test_a_bad_archive_is_refused_and_nothing_changes(populated, tmp_path, change, complaint):
    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("reform-backup-*.tar"))
    rewrite(archive, change)
    Task.objects.update(title="备份之后的标题")
    before_rows, before_files = rows(), files()

    with pytest.raises(CommandError, match=complaint):
        call_command("restore", str(archive), yes=True)

    assert rows() == before_rows and files() == before_files
    assert not (tmp_path / "before-restore").exists()


def test_a_member_outside_the_archives_folders_is_refused(populated, tmp_path):
    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("reform-backup-*.tar"))
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo("../../etc/cron.d/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))

    with pytest.raises(CommandError, match="清单未列出"):
        call_command("restore", str(archive), yes=True)


def test_restore_asks_before_replacing_anything(populated, tmp_path, monkeypatch):
    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("reform-backup-*.tar"))
    Task.objects.update(title="不会被覆盖")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(archive))

    assert set(Task.objects.values_list("title", flat=True)) == {"不会被覆盖"}


def test_a_file_that_is_not_an_archive_is_refused_clearly(db, tmp_path):
    bogus = tmp_path / "reform-backup-x.tar"
    bogus.write_text("hello")

    with pytest.raises(CommandError, match="不是可读取的备份文件"):
        call_command("restore", str(bogus), yes=True)


def test_the_restored_data_retires_figures_cached_before(populated, tmp_path):
    call_command("backup", output=str(tmp_path))
    version = DataVersion.objects.get(pk=1).number

    call_command("restore", str(next(tmp_path.glob("reform-backup-*.tar"))), yes=True)

    assert DataVersion.objects.get(pk=1).number > version
    assert timezone.now() - AuditEvent.objects.filter(kind=AuditKind.RESTORE).get().at < timezone.timedelta(minutes=1)
