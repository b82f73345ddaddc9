"""Reading the project's text files (data, ontology, queries) as UTF-8, naming the line of a bad byte."""

from __future__ import annotations

from pathlib import Path

from .errors import DataError

__all__ = ["read_utf8"]


def read_utf8(path: Path) -> str:
    """The text of a UTF-8 file (a byte order mark is allowed and dropped).

    Raises:
        DataError: naming the file, the line and the cause when the file is missing or not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    except OSError as error:
        raise DataError(path, None, f"cannot read the file: {error.strerror or error}") from None
    if data.startswith(b"\xef\xbb\xbf"):  # a byte order mark, as spreadsheet programs write
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        if error.reason == "unexpected end of data":
            cause = "the file ends in the middle of a UTF-8 character (it was cut short)"
        else:
            cause = (
                f"not UTF-8: byte 0x{data[error.start]:02x} at column {column} cannot be decoded; "
                "save the file as UTF-8 (it may be GB18030, GBK or Latin-1)"
            )
        raise DataError(path, line, cause) from None
