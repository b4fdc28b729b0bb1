"""HTML to plain text with the stdlib parser: drop script/style, keep blocks as lines.

Used for .html uploads and for HTML inside feed fields (schema.org `description`).

Menus (`<nav>`) are page chrome and dropped: a saved vacancy page began with "Home | Vacatures
| Contact", and that line became the vacancy's title. `<header>`, `<footer>` and `<aside>` are
kept: a CV's header holds the name and job title, a CV template's aside its skills. The first
`<h1>` is returned as the page's heading, the vacancy title (`extractor.ingest.build`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "nav"}
)  # fmt: skip
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "td", "th", "tr", "ul", "body", "html",
    }
)  # fmt: skip
# Paragraph-like blocks are set off by a blank line, other blocks by a line break.
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "section", "article",
     "header", "footer", "blockquote", "pre"}
)  # fmt: skip
# Break markers while parsing; each run of them (and whitespace) becomes one break.
_LINE, _PARA = "\x1e", "\x1d"
_BREAKS = re.compile(r"[ \t]*[\x1d\x1e][\s\x1d\x1e]*")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr"})
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")


def looks_like_html(text: str) -> bool:
    """True when `text` contains at least one HTML tag (cheap check for feed fields)."""
    return "<" in text and _TAG.search(text) is not None


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Visible text of `html`, one block element per line.

    Returns (text, metadata) where metadata may hold "html_title" (the <title>), "html_h1"
    (the first visible <h1> that has text) and "html_lang" (the <html lang> attribute). Text
    is not normalised yet.
    """
    parser = _TextParser()
    parser.feed(html.replace(_LINE, " ").replace(_PARA, " "))
    parser.close()
    text = _BREAKS.sub(lambda run: "\n\n" if _PARA in run.group() else "\n", "".join(parser.parts))
    return text, parser.metadata


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.metadata: dict[str, str] = {}
        self._skip_depth = 0
        self._pre_depth = 0
        self._in_title = False
        self._title: list[str] = []
        self._h1: list[str] | None = None  # text of the first <h1> while it is read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            lang = dict(attrs).get("lang")
            if lang:
                self.metadata["html_lang"] = lang.split("-")[0].lower()
        if tag == "title":
            self._in_title = True
        if tag == "h1" and not self._skip_depth and "html_h1" not in self.metadata:
            self._h1 = []
        if tag in _SKIP and tag not in _VOID:
            self._skip_depth += 1
        if tag == "pre":
            self._pre_depth += 1
        if tag in _BLOCK:
            self.parts.append(_PARA if tag in _PARAGRAPH else _LINE)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append(_LINE)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.metadata["html_title"] = " ".join("".join(self._title).split())
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag == "h1" and self._h1 is not None:
            if heading := " ".join("".join(self._h1).split()):
                self.metadata["html_h1"] = heading
            self._h1 = None
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
        if tag in _BLOCK:
            self.parts.append(_PARA if tag in _PARAGRAPH else _LINE)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if self._skip_depth:
            return
        if self._h1 is not None:
            self._h1.append(data)
        if not self._pre_depth:
            data = re.sub(r"\s+", " ", data)
        self.parts.append(data)
