"""Decode the bytes of a plain-text file: BOM, UTF-8, UTF-16, then Windows-1252.

Windows-1252 decodes almost any byte string, so it is only accepted when the result looks
like Dutch or English text. Binary data is rejected as an unsupported format; text in an
encoding we cannot identify is rejected as an `EncodingError`.
"""

from __future__ import annotations

import codecs

from extractor.errors import EncodingError, UnsupportedFormatError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Byte values Windows-1252 leaves undefined: real cp1252 text never contains them.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_MAX_CONTROL_RATIO = 0.02  # share of C0/C1 control chars above which bytes are binary
_MAX_UNDEFINED_RATIO = 0.002  # share of cp1252-undefined bytes tolerated as stray noise
_MAX_NON_ASCII_RATIO = 0.25  # Dutch/English text is mostly ASCII letters


# the codec that reads a file with this byte-order mark, dropping the mark
_BOM_CODECS = {
    "utf-32-le": "utf-32",
    "utf-32-be": "utf-32",
    "utf-8": "utf-8-sig",
    "utf-16-le": "utf-16",
    "utf-16-be": "utf-16",
}


def text_encoding(data: bytes, filename: str, partial: bool = False) -> str:
    """The codec to read `data` with, judged the way `decode_text` decodes: a byte-order mark
    ("utf-8-sig", "utf-16", "utf-32"), BOM-less UTF-16 ("utf-16-le"/"utf-16-be": NULs on
    alternate bytes), UTF-8 ("utf-8-sig", which also reads a file without a BOM), else
    "cp1252" when the bytes read as Dutch or English text that way. With `partial`, `data` is
    the start of a longer file (a character may be cut at its end); a file that is UTF-8 at
    the start but not further on fails only when it is read.

    Raises:
        UnsupportedFormatError: the bytes are binary (NUL bytes not in a UTF-16 pattern).
        EncodingError: text-like bytes in none of these encodings.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _BOM_CODECS[encoding]
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16 is None:
            raise UnsupportedFormatError(filename, "the file contains binary data, not text")
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    _checked_cp1252(data, filename)
    return "cp1252"


def decode_text(data: bytes, filename: str) -> str:
    """Decode `data` as text; returns the decoded str (not yet normalised).

    Raises:
        UnsupportedFormatError: the bytes are binary (NUL bytes, many control characters).
        EncodingError: the bytes are text-like but in no encoding we can identify.
    """
    encoding = text_encoding(data, filename)
    if encoding == "cp1252":  # checked by text_encoding; undefined bytes are dropped
        return data.decode("cp1252", errors="replace").replace("\ufffd", "")
    try:
        return _checked(data.decode(encoding), filename)
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-16-"):  # no BOM: the NULs were not UTF-16 after all
            raise UnsupportedFormatError(filename, "the file contains binary data") from error
        raise EncodingError(
            filename, f"the file starts with a {encoding} byte-order mark but {error}"
        ) from error


def _guess_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on alternate bytes as in BOM-less UTF-16."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, filename: str) -> str:
    if text and _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise UnsupportedFormatError(filename, "the file contains binary data, not text")
    return text


def _checked_cp1252(data: bytes, filename: str) -> str:
    undefined = sum(1 for byte in data if byte in _CP1252_UNDEFINED)
    text = data.decode("cp1252", errors="replace")
    _checked(text, filename)
    visible = [char for char in text if not char.isspace()]
    non_ascii = sum(1 for char in visible if ord(char) > 127)
    if undefined > _MAX_UNDEFINED_RATIO * len(data) or (
        visible and non_ascii / len(visible) > _MAX_NON_ASCII_RATIO
    ):
        raise EncodingError(filename)
    return text.replace("\ufffd", "")


def _control_ratio(text: str) -> float:
    controls = sum(
        1
        for char in text
        if (ord(char) < 32 or 127 <= ord(char) < 160) and char not in _ALLOWED_CONTROLS
    )
    return controls / len(text)
