"""Which review files lie under the given roots, and which paths cannot be used (each named, with the fix).

Links are followed only when they point inside the root they were found under; loops, broken links, pipes,
devices, names that are not UTF-8 and documents in formats Casewise does not read (.doc, .rtf, .odt, ...) are
reported, never silently skipped. A root that is missing or cannot be
read stops the run before anything changes: otherwise every review under it would look deleted.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import CasewiseError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import SIDECAR_SUFFIX, sidecar_path

_SPECIAL = "not a regular file (a pipe, socket or device); remove it"
SKIPPED_NAMES = frozenset({"readme.md", "readme.txt", "license.txt", "license.md"})
# Document formats reviews are published or kept in that Casewise does not read: named, never passed over in silence
UNREAD_DOCUMENTS = {
    ".doc": "a Word 97-2003 document (.doc)", ".rtf": "a Rich Text document (.rtf)",
    ".odt": "an OpenDocument text (.odt)", ".pages": "an Apple Pages document (.pages)",
    ".wpd": "a WordPerfect document (.wpd)", ".xps": "an XPS document (.xps)", ".oxps": "an XPS document (.oxps)",
    ".ppt": "a PowerPoint presentation (.ppt)", ".pptx": "a PowerPoint presentation (.pptx)",
    ".odp": "an OpenDocument presentation (.odp)",
}  # fmt: skip


@dataclass
class Discovery:
    """Files to ingest, paths that failed (path, reason), and paths whose indexed reviews must be kept."""

    files: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # unreadable folders and files: their reviews stay indexed

    def report(self, path: Path | str, reason: str) -> None:
        """Record a path that cannot be used, once."""
        if (str(path), reason) not in self.problems:
            self.problems.append((str(path), reason))

    def is_kept(self, path: Path) -> bool:
        return any(path == k or path.is_relative_to(k) for k in self.kept)


def discover(roots: list[Path]) -> Discovery:
    """Walk every root; raise CasewiseError if a root is missing or unreadable."""
    found = Discovery()
    for root in roots:
        if not os.path.lexists(root) or not root.exists():
            raise CasewiseError(f"{root}: no such file or folder; check the path (nothing was changed)")
        if root.is_dir():
            _walk(root, found)
        else:
            _consider(root, root, found)
    found.files = list(dict.fromkeys(found.files))
    return found


def display(path: Path | str) -> str:
    """A path printable on any terminal: bytes that are not UTF-8 are shown as escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(root: Path, found: Discovery) -> None:
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            reason = f"cannot read the folder ({exc.strerror}); check its permissions"
            if folder == root:
                raise CasewiseError(f"{root}: {reason} (nothing was changed)") from exc
            found.report(display(folder), f"{reason}; the reviews indexed from it are kept")
            found.kept.append(folder)
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if not _is_utf8(entry.name):
                found.report(display(path), "the file name is not valid UTF-8; rename it")
                found.kept.append(path)
            elif entry.is_symlink():
                _follow(path, root, found)
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            else:
                _consider(path, root, found)


def _follow(link: Path, root: Path, found: Discovery) -> None:
    """A link is used only when it resolves to something inside the root."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        found.report(link, "broken symbolic link (its target is gone); fix or remove it")
        return
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop
        found.report(link, "symbolic link loop; remove the link")
        return
    if not target.is_dir() and not _is_regular(target):
        _consider(link, root, found)  # reported as a pipe or device, wherever it points
    elif not target.is_relative_to(root):
        if target.is_dir() or _relevant(link.name):
            found.report(link, f"links outside the folder (to {target}); copy the file into the folder instead")
    elif not target.is_dir():  # a link to a folder inside the root adds nothing: the walk reaches it anyway
        _consider(link, root, found)


def _consider(path: Path, root: Path, found: Discovery) -> None:
    unread = UNREAD_DOCUMENTS.get(path.suffix.lower())
    if unread and not path.name.startswith("~$"):  # not Word's lock file beside an open document
        found.report(path, f"{unread} is not read; save it as .docx or PDF and ingest again")
        return
    if not _relevant(path.name) and path != root:
        return
    if not _is_regular(path):
        found.report(path, _SPECIAL)
        found.kept.append(path.resolve())
        return
    if path.name.endswith(SIDECAR_SUFFIX):
        return
    sidecar = sidecar_path(path)
    if os.path.lexists(sidecar) and not _is_regular(sidecar):
        found.report(sidecar, _SPECIAL)  # the review waits for a sidecar it can read
        found.kept.append(path.resolve())
        return
    found.files.append(path.resolve())


def _relevant(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(SIDECAR_SUFFIX):
        return True
    return Path(lower).suffix in SUPPORTED_SUFFIXES and lower not in SKIPPED_NAMES


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
        return False
    return True
