"""Word 97–2003 (and WPS's .wps, the same binary family), .rtf, .odt and .ods into .docx or .xlsx, by
LibreOffice headless (Debian's libreoffice-writer-nogui and -calc-nogui, scripts/system-packages).

Each conversion is its own process with its own profile folder, so two at once never share a
lock, under a time limit after which the whole process group is killed: a file that makes
LibreOffice hang (one asking for a password, say) leaves no worker busy.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tasks.importing.model import DocumentError

SECONDS = int(os.environ.get("IMPORT_CONVERT_SECONDS", "120"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converted(data: bytes, suffix: str, target: str, *, seconds: int = SECONDS) -> bytes:
    """The document ``data`` (its format's ``suffix``, such as ".doc") converted to ``target`` ("docx")."""
    program = soffice()
    if program is None:
        raise DocumentError("converter_missing", suffix=suffix)
    with tempfile.TemporaryDirectory(prefix="reform-convert-") as folder:
        source = Path(folder, "document" + suffix)
        source.write_bytes(data)
        output = Path(folder, "out")
        command = [
            program,
            f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(output),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "HOME": folder},
        )
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise DocumentError("conversion_timeout", suffix=suffix, seconds=seconds) from None
        result = output / f"document.{target}"
        if not result.is_file() or not result.stat().st_size:
            raise DocumentError("conversion_failed", suffix=suffix)
        return result.read_bytes()
