"""Old Word (.doc) and OpenDocument (.odt) files, read by converting them to .docx with LibreOffice.

Why LibreOffice headless and not a Python parser: .doc is a binary format with decades of
variants; LibreOffice reads them all, keeps tables and fonts (so a .VnTime run is still a
.VnTime run and :mod:`ingest.loaders.legacy_docx` converts it), and its .docx output goes through
the same loader, with the same safety checks, as any .docx. The conversion runs in a private
temporary profile and folder, with a time limit, and never touches the network.

Without LibreOffice (Debian ``libreoffice-writer-nogui``, installed by ``.ci/office-deps``) such a
file is refused with a message naming the package and asking to save the file as .docx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tracuu.ingest import reading
from tracuu.ingest.errors import IngestError
from tracuu.ingest.model import SourceText

__all__ = ["load_office", "OFFICE_SUFFIXES", "soffice_path", "CONVERT_TIMEOUT_S"]

OFFICE_SUFFIXES = (".doc", ".odt")
CONVERT_TIMEOUT_S = 180
PACKAGE = "libreoffice-writer-nogui"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice_path() -> str | None:
    """The LibreOffice binary, or None. The reading settings' ``soffice`` (``TRACUU_SOFFICE``,
    read by api.config) overrides the lookup; "" means none."""
    override = reading.current().soffice
    if override is not None:
        return override if override and Path(override).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _missing(suffix: str) -> IngestError:
    return IngestError(
        f"Không đọc được tệp {suffix}: máy chủ chưa cài LibreOffice (gói Debian {PACKAGE}). "
        f"Hãy mở tệp bằng Word hoặc LibreOffice và lưu thành .docx rồi nạp lại, hoặc cài gói {PACKAGE}.",
        f"Cannot read a {suffix} file: LibreOffice is not installed (Debian package {PACKAGE}). "
        f"Save the file as .docx and ingest it again, or install {PACKAGE}.",
        code="missing_dependency",
    )


def _check_magic(path: Path, suffix: str) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    ok = head.startswith(_OLE_MAGIC) if suffix == ".doc" else head.startswith(b"PK\x03\x04")
    if not ok:
        raise IngestError(
            f"Tệp '{path.name}' không phải tài liệu {suffix} hợp lệ. Hãy lưu lại thành .docx.",
            f"'{path.name}' is not a valid {suffix} document. Please save it as .docx.",
            code="corrupt",
        )


def convert_to_docx(path: Path, workdir: Path) -> Path:
    """``path`` converted by LibreOffice into ``workdir``; IngestError when that fails."""
    suffix = path.suffix.lower()
    soffice = soffice_path()
    if soffice is None:
        raise _missing(suffix)
    profile = workdir / "profile"
    src = workdir / f"nguon{suffix}"  # a plain name: LibreOffice names its output after the input
    shutil.copyfile(path, src)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(workdir / "out"),
        str(src),
    ]
    env = {**os.environ, "HOME": str(workdir), "SAL_USE_VCLPLUGIN": "svp"}
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"LibreOffice không chuyển xong tệp '{path.name}' trong {CONVERT_TIMEOUT_S} giây. Hãy lưu thành .docx rồi nạp lại.",
            f"LibreOffice did not convert '{path.name}' within {CONVERT_TIMEOUT_S} s. Please save it as .docx.",
            code="convert_failed",
        ) from None
    except OSError as err:
        raise _missing(suffix) from err
    out = workdir / "out" / "nguon.docx"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()[:200]
        raise IngestError(
            f"LibreOffice không đọc được tệp '{path.name}' ({detail or 'không rõ lỗi'}). Hãy mở tệp và lưu thành .docx.",
            f"LibreOffice could not read '{path.name}' ({detail or 'no detail'}). Please save it as .docx.",
            code="convert_failed",
        )
    return out


def load_office(path: Path) -> SourceText:
    """A .doc or .odt file as the SourceText of its .docx conversion, with a warning saying so."""
    from tracuu.ingest.loaders.docx import load_docx

    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise IngestError(f"Không tìm thấy tệp: {path}", f"File not found: {path}", code="not_found")
    _check_magic(path, suffix)
    with tempfile.TemporaryDirectory(prefix="tracuu-office-") as tmp:
        docx = convert_to_docx(path, Path(tmp))
        source = load_docx(docx)
    source.warnings.insert(
        0,
        f"Tệp {suffix} đã được chuyển sang .docx bằng LibreOffice để đọc; số trang là ước lượng. / "
        f"The {suffix} file was converted to .docx with LibreOffice; page numbers are estimates.",
    )
    return source
