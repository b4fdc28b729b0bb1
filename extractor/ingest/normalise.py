"""Whitespace and Unicode clean-up shared by every format reader.

Readers return raw text; `normalise_text` turns it into the canonical form stored in
`Document.text`, so offsets computed later are stable whatever the source format was.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that Word, PDF exports and web pages scatter through text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Hyphens that look like "-" but that no tokeniser splits on: "HACCP\u2011normen" (Word's
# non-breaking hyphen) must match the alias table as "HACCP-normen" does. Dashes (en, em)
# keep their meaning as list and range marks, and stay as they are.
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2212\ufe63\uff0d"), "-")
_CLEAN = {**_INVISIBLE, **_HYPHENS}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC-normalise, drop invisible characters, write look-alike hyphens as "-" and collapse
    whitespace.

    Returns text with "\\n" line breaks, single spaces inside lines, no leading or trailing
    spaces on lines, at most one blank line in a row and no blank lines at either end.
    """
    text = unicodedata.normalize("NFC", text).translate(_CLEAN)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
