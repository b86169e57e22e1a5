"""The command's files and standard streams: read within the limits, written whole.

Whatever cannot be read or written is a :class:`Failure`: one line on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from careplan._adapters.files import Refused, read_regular_file, reason
from careplan._model.errors import CarePlanError

__all__ = [
    "Failure",
    "check_target",
    "complain",
    "read_file",
    "read_input",
    "say",
    "shown",
    "write",
]


class Failure(Exception):
    """A file or document could not be read or written: one line, exit 2."""

    def __init__(self, message: str, error: CarePlanError | None = None) -> None:
        super().__init__(" ".join(message.split("\n")))
        self.error = error


# --- reading -------------------------------------------------------------------


def shown(name: str) -> str:
    """A file name fit for a one-line message."""
    return name if name.isprintable() else repr(name)


def _too_large(name: str, limit: int) -> Failure:
    return Failure(
        f"{name}: cannot read it: it is larger than {limit:,} bytes; "
        "raise the limit with --max-bytes"
    )


def read_file(name: str, limit: int) -> bytes:
    """A regular file's bytes, up to ``limit``; never waits on a pipe or device."""
    try:
        return read_regular_file(name, limit)
    except Refused as refused:
        if refused.too_large:
            raise _too_large(shown(name), limit) from None
        hint = "; pass its content on standard input with -" if refused.special else ""
        raise Failure(f"{shown(name)}: cannot read it: {refused}{hint}") from None


def _read_stdin(limit: int, timeout: float) -> bytes:
    """Standard input's bytes, up to ``limit``, waiting at most ``timeout`` seconds."""
    stream = sys.stdin
    if stream is None:
        raise Failure("-: cannot read it: there is no standard input")
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is None:  # an in-memory stream (a test, or a service embedding main)
        source: Any = getattr(stream, "buffer", stream)
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if len(data) > limit:
            raise _too_large("-", limit)
        return bytes(data)
    if os.isatty(fd):
        complain("careplan: reading the plan from standard input; end it with Ctrl-D")
    deadline = time.monotonic() + timeout
    can_wait = True
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if can_wait:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Failure(
                        f"-: cannot read it: standard input did not end within {timeout:g} "
                        "seconds; raise the wait with --timeout"
                    )
                try:
                    ready, _, _ = select.select([fd], [], [], remaining)
                except (OSError, ValueError):  # select takes sockets only on Windows
                    can_wait, ready = False, [fd]
                if not ready:
                    continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise _too_large("-", limit)
            chunks.append(chunk)
    except OSError as error:
        raise Failure(f"-: cannot read it: {reason(error)}") from None


def read_input(args: argparse.Namespace) -> bytes:
    """The bytes of the file ``args.file`` names (``-``: standard input), within the limits."""
    name = args.file
    return (
        _read_stdin(args.max_bytes, args.timeout)
        if name == "-"
        else read_file(name, args.max_bytes)
    )


# --- writing -------------------------------------------------------------------


def _emit(data: bytes) -> None:
    """Write to standard output, unbuffered, so a failure is seen here and now."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed (>&-)
        raise Failure("-: cannot write to standard output: it is closed")
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    try:
        if fd is None:  # an in-memory stream (a test, or a service embedding main)
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                stream.write(data.decode("utf-8"))
            else:
                stream.flush()
                buffer.write(data)
            stream.flush()
            return
        stream.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise Failure(f"-: cannot write to standard output: {reason(error)}") from None


def say(text: str) -> None:
    _emit((text + "\n").encode("utf-8"))


def complain(text: str) -> None:
    """One line on standard error; nothing more can be done when that fails too."""
    if sys.stderr is None:  # started with standard error closed (2>&-)
        return
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)


def check_target(name: str, force: bool) -> None:
    """Refuse early an output that would be refused at the end."""
    if name == "-":
        return
    path = Path(name)
    try:
        if path.is_dir():
            raise Failure(f"{shown(name)}: cannot write it: it is a folder, not a file")
        if not force and (path.exists() or path.is_symlink()):
            raise Failure(f"{shown(name)}: exists already; pass --force to replace it")
    except OSError as error:
        raise Failure(f"{shown(name)}: cannot write it: {reason(error)}") from None


def write(name: str, data: bytes, *, force: bool) -> None:
    """Write ``data`` to the file ``name`` (``-``: standard output).

    A regular file is written whole or not at all: to a temporary file in
    the same folder, then renamed over ``name``. New files are readable by
    their owner only (they hold health information); a replaced file keeps
    its permissions.
    """
    if name == "-":
        _emit(data)
        return
    check_target(name, force)
    path = Path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():  # a device such as /dev/null
            _write_into(path, data)
        else:
            _replace(path, data)
    except OSError as error:
        raise Failure(f"{shown(name)}: cannot write it: {reason(error)}") from None


def _write_into(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
