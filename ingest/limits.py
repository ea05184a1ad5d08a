"""Bounds on the work one input file may cause, checked before (or while) a parser runs on it.

Every check is linear in the file's size and raises DocumentError naming the file, the limit and the fix.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path

from core.errors import DocumentError

UNZIPPED_PER_ZIPPED = 10  # a DOCX may unpack to this many times the file-size limit, no more
MAX_ZIP_MEMBERS = 2_000
MAX_PAGES = 2_000  # PDF pages, DOCX page breaks
MAX_ELEMENTS = 200_000  # DOCX paragraphs, HTML tags
MAX_HTML_DEPTH = 200  # HTML nesting
MAX_SIDECAR_BYTES = 64_000
MAX_SIDECAR_DEPTH = 8
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# A tag: its closing slash, its name and the rest up to ">" (each run taken whole, never given back: a "<" with no
# ">" after it is passed over in time linear in what follows)
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:]*+)([^<>]*+)>")
_VOID_HTML = frozenset(
    b"area base br col embed hr img input link meta param source track wbr basefont frame keygen".split()
)
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_YEAR = re.compile(r"[0-9]{1,4}")


def check(path: Path, data: bytes, max_bytes: int) -> None:
    """Run the checks that apply to this file's type before it is parsed."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        check_docx(path, data, max_bytes)
    elif suffix in (".html", ".htm"):
        check_html(path, data)


def check_docx(path: Path, data: bytes, max_bytes: int) -> None:
    """A DOCX must be a sound zip of readable parts that unpacks to a bounded size and element count."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(str(path), f"not a readable DOCX ({type(exc).__name__}); re-save it from Word") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise DocumentError(str(path), f"DOCX holds {len(members)} parts, over {MAX_ZIP_MEMBERS}; re-save it")
        limit = UNZIPPED_PER_ZIPPED * max_bytes
        if sum(m.file_size for m in members) > limit:
            raise DocumentError(
                str(path),
                f"DOCX unpacks to more than {limit / 1e6:.3g} MB ({UNZIPPED_PER_ZIPPED} times the file limit); "
                "re-save it from Word or raise CASEWISE_MAX_FILE_MB",
            )
        for member in members:
            if member.flag_bits & 0x1:
                raise DocumentError(str(path), "DOCX is password-protected; save an unprotected copy")
            if member.compress_type not in _READABLE_METHODS:
                raise DocumentError(
                    str(path),
                    f"DOCX part {member.filename} uses compression method {member.compress_type}, "
                    "which cannot be read; re-save it from Word",
                )
        damaged = _first_damaged(archive)
        if damaged:
            raise DocumentError(str(path), f"DOCX is damaged ({damaged}); re-save it from Word")
        if "word/document.xml" in archive.namelist():
            paragraphs = len(_PARAGRAPH.findall(archive.read("word/document.xml")))
            check_count(path, paragraphs, MAX_ELEMENTS, "paragraphs")


def _first_damaged(archive: zipfile.ZipFile) -> str | None:
    try:
        name = archive.testzip()  # reads every part (sizes already bounded) and checks its CRC
    except Exception as exc:  # zipfile, zlib, bz2 and lzma each raise their own types for a corrupt stream
        return f"{type(exc).__module__}.{type(exc).__name__}"
    return f"part {name} fails its checksum" if name else None


def check_html(path: Path, data: bytes) -> None:
    """An HTML file may hold at most MAX_ELEMENTS tags, nested at most MAX_HTML_DEPTH deep (counted in one pass)."""
    tags = depth = deepest = 0
    for match in _TAG.finditer(data):
        tags += 1
        name = match.group(2).lower()
        if match.group(1):
            depth = max(depth - 1, 0)
        elif not match.group(3).endswith(b"/") and name not in _VOID_HTML:  # "<br/>" closes itself
            depth += 1
            deepest = max(deepest, depth)
    check_count(path, tags, MAX_ELEMENTS, "HTML elements")
    if deepest > MAX_HTML_DEPTH:
        raise DocumentError(
            str(path), f"HTML is nested {deepest} levels deep, over {MAX_HTML_DEPTH}; simplify the page"
        )


def check_count(path: Path, count: int, limit: int, what: str) -> None:
    """Refuse a document with more than `limit` pages or elements."""
    if count > limit:
        raise DocumentError(str(path), f"has {count} {what}, over the limit of {limit}; split the document")


def check_sidecar(source: Path, sidecar: Path) -> None:
    """A metadata sidecar must be a small regular file of shallow JSON whose year is a plain number."""
    try:
        info = os.stat(sidecar)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DocumentError(str(sidecar), f"cannot read sidecar ({exc.strerror}); fix or remove it") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(str(sidecar), "not a regular file (a pipe, socket or device); remove it")
    if info.st_size > MAX_SIDECAR_BYTES:
        raise DocumentError(str(sidecar), f"sidecar is over {MAX_SIDECAR_BYTES // 1000} KB; keep only the metadata")
    raw = sidecar.read_bytes()
    if json_depth(raw) > MAX_SIDECAR_DEPTH:
        raise DocumentError(str(sidecar), f"sidecar is nested over {MAX_SIDECAR_DEPTH} levels; use a flat object")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DocumentError(str(sidecar), f"sidecar is not valid JSON ({str(exc)[:80]}); fix or remove it") from exc
    year = data.get("year") if isinstance(data, dict) else None
    if isinstance(year, str | int) and not isinstance(year, bool) and not _YEAR.fullmatch(str(year).strip()):
        raise DocumentError(str(sidecar), f"sidecar year must be a year like 2021, got {str(year)[:20]!r}")


def json_depth(raw: bytes) -> int:
    """How deep brackets nest in a JSON text, ignoring brackets inside strings (one pass)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest
