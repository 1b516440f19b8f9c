"""Writing files so that nothing is lost: a failure at any point leaves the previous file as it was."""

from __future__ import annotations

import os
import pathlib
import tempfile
from typing import Union

PathLike = Union[str, "os.PathLike[str]"]


def target_path(path: PathLike, what: str) -> pathlib.Path:
    """`path` as a Path to write to, or a clear error if it names a folder or is not a path at all."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what}: expected a file path (str or pathlib.Path), got {path!r} ({type(path).__name__})")
    target = pathlib.Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{what}: {target} is a folder; give a file name inside it, e.g. {target / 'out'}")
    return target


def write_atomically(path: PathLike, data: bytes, what: str = "write") -> str:
    """Write `data` to `path` through a temporary file in the same folder (flushed, fsynced, then
    renamed over the target), so a crash, a kill or a full disk never leaves a half-written file."""
    target = target_path(path, what)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as err:
        raise OSError(err.errno, f"{what}: cannot write {target} ({err.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, _mode_for(target))  # mkstemp makes 0600; a new file gets the usual mode
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return str(target)


def _mode_for(target: pathlib.Path) -> int:
    """The permissions the file would have had: the old file's, or 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
