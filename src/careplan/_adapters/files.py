"""Reading a document's bytes from a path, bounded: the command line's and the batch's.

One reader for both, so a FIFO, a device such as ``/dev/zero`` or a
document past the size limit is refused the same way wherever a path is
read: never waiting on a writer, never reading more than the limit.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ["MAX_DOCUMENT_BYTES", "Refused", "read_regular_file", "reason"]

#: The largest document read from a path unless a caller gives another limit.
MAX_DOCUMENT_BYTES = 16_000_000


class Refused(Exception):
    """A path could not be read; ``str()`` says why in a few plain words.

    Attributes:
        too_large: The file is larger than the limit (the caller may say how
            to raise it).
        special: The path is a pipe or a device (the caller may say to pass
            its content another way).
    """

    def __init__(self, why: str, *, too_large: bool = False, special: bool = False) -> None:
        super().__init__(why)
        self.too_large = too_large
        self.special = special


def reason(error: OSError) -> str:
    """What an :class:`OSError` means, in a few plain words (never the path)."""
    if isinstance(error, (NotADirectoryError, FileExistsError)):
        return "part of the path is a file where a folder is needed"
    if isinstance(error, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    return error.strerror or type(error).__name__


def _too_large(limit: int) -> Refused:
    return Refused(f"it is larger than {limit:,} bytes", too_large=True)


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them; never waits on a pipe or device.

    Raises:
        Refused: The path is missing, a folder, a FIFO or a device, larger
            than ``limit``, or reading it failed.
    """
    # Non-blocking, so that opening a FIFO does not wait for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise Refused(reason(error)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused("it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Refused("it is not a regular file (a pipe or a device)", special=True)
        if info.st_size > limit:
            raise _too_large(limit)
        chunks = []
        size = 0
        # A file that grows while it is read is still read no further than the limit.
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise Refused(reason(error)) from None
    finally:
        os.close(fd)
