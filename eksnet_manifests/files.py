"""Reading files the user names and replacing files atomically: the two file primitives every stage uses.

Reads take regular files only (a FIFO or a device would block or never end), cap the size, and turn
undecodable bytes into an error naming the byte offset and line. Writes go to a temporary file in the
same folder, are flushed to disk and renamed over the target, keeping the target's mode and owner (a
new file follows the umask), so a reader sees the old file or the new one and never a cut-short one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from eksnet_manifests.errors import EksnetError, Location, SpecError

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted in a document (Kubernetes objects stay far below)."""
MAX_NODES = 2_000_000
"""Most values one document may stand for once YAML aliases are expanded (stops alias bombs)."""
MAX_DOCUMENTS = 100_000
"""Most documents one YAML stream may hold."""
TEMP_MARK = ".eksnet-tmp-"


def read_input(
    path: Path,
    *,
    error: type[EksnetError] = SpecError,
    limit: int = MAX_INPUT_BYTES,
    what: str = "file",
) -> str:
    """The UTF-8 text of the regular file ``path``; any problem is ``error`` naming the file."""
    where = Location(str(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", where) from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise error(f"cannot read {what}: {_file_type(mode)}, not a regular file", where)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"cannot read {what}: {exc.strerror}", where) from None
    if len(data) > limit:
        raise error(f"{what} is larger than {limit // (1024 * 1024)} MiB", where)
    return decode_text(data, where, error=error, what=what)


def decode_text(
    data: bytes, where: Location, *, error: type[EksnetError] = SpecError, what: str = "file"
) -> str:
    """``data`` as UTF-8 (a leading byte-order mark is dropped); bad bytes name their offset and line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{what} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Location(where.file, line),
        ) from None


def structure_problem(data: object, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> str | None:
    """Why parsed YAML is too deep or expands too far, or None.

    An alias is the same object reached twice, so the size is counted per object once (memoised by
    identity), in time linear in the document, while reporting what every later step would walk.
    """
    sizes: dict[int, tuple[int, int]] = {}  # id -> (expanded nodes, depth)
    stack: list[tuple[object, bool]] = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes or not isinstance(node, dict | list):
            continue
        children = [
            c for c in (node.values() if isinstance(node, dict) else node) if isinstance(c, dict | list)
        ]
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            if len(stack) > max_nodes:
                return f"YAML expands to more than {max_nodes:,} values"
            continue
        counted = [sizes.get(id(child), (1, 1)) for child in children]
        total = len(node) + 1 + sum(size for size, _ in counted) - len(counted)
        depth = 1 + max((d for _, d in counted), default=0)
        if depth > max_depth:
            return f"YAML nested more than {max_depth} levels deep"
        if total > max_nodes:
            return f"YAML aliases expand to more than {max_nodes:,} values"
        sizes[id(node)] = (total, depth)
    return None


def flow_nesting_problem(text: str, *, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``text`` nests flow collections (``[[[…``) too deeply, or None, found with libyaml's events.

    Pure-Python YAML scanners take quadratic time on deep flow nesting, so it is measured first, in C,
    whenever there are enough brackets for it to matter.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return None
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    return f"YAML nested more than {max_depth} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, reached while scanning ahead
            return f"YAML nested more than {max_depth} levels deep"
        return None  # the full parser reports the syntax error with its position
    return None


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def umask() -> int:
    """The process umask: from /proc on Linux (no side effect), else by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def default_mode(*, folder: bool = False) -> int:
    """The mode a new file (0666) or folder (0777) gets under the umask."""
    return (0o777 if folder else 0o666) & ~umask()


@dataclass
class StagedFile:
    """New content for ``target``, written and flushed beside it; ``commit()`` renames it into place."""

    target: Path
    temp: Path
    committed: bool = field(default=False)

    def commit(self) -> None:
        os.replace(self.temp, self.target)
        self.committed = True
        _sync_folder(self.target.parent)

    def discard(self) -> None:
        if not self.committed:
            with contextlib.suppress(FileNotFoundError):
                self.temp.unlink()


def stage_file(target: Path, data: bytes, *, durable: bool = True) -> StagedFile:
    """Write ``data`` to a temporary file in ``target``'s folder with ``target``'s mode and owner."""
    folder = target.parent
    try:
        current = os.stat(target)
    except FileNotFoundError:
        current = None
    temp = folder / f".{target.name}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(current.st_mode) if current else default_mode())
        if current is not None and (current.st_uid, current.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):
                os.chown(temp, current.st_uid, current.st_gid)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return StagedFile(target, temp)


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``target`` with ``data`` in one rename: readers see the old or the new file, whole."""
    staged = stage_file(target, data, durable=durable)
    try:
        staged.commit()
    finally:
        staged.discard()


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder entry is on disk; not every platform can open a folder.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
