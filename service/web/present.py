"""What the web page shows, prepared for the templates: Dutch labels, Dutch numbers (the
``nl`` filter), evidence highlighting (source text cut into plain and marked segments), the gap
report's bar chart as SVG, and Dutch messages for refused uploads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from extractor.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncodingError,
    EncryptedPdfError,
    FileTooLargeError,
    IngestError,
    NotADocxError,
    ScannedPdfError,
    UnsupportedFormatError,
    ZipBombError,
)
from matcher.errors import NoSkillsFound
from matcher.store import PassportClaim, StoredDocument

STATUS_LABELS = {"suggested": "voorgesteld", "confirmed": "bevestigd", "rejected": "afgewezen"}
METHOD_LABELS = {
    "exact": "letterlijk",
    "alias": "synoniem",
    "semantic": "betekenis",
    "inferred": "afgeleid van functie",
    "manual": "handmatig",
}
BAND_LABELS = {"ready": "klaar", "near": "bijna", "far": "ver"}
SCORE_EXPLANATION = (
    "Score van 0 tot 100: hoeveel van de gevraagde vaardigheden iemand al heeft of bijna heeft "
    "(via een verwante vaardigheid); essentiële tellen zwaarder. 100 is alles."
)
BAND_COLOURS = {"ready": "#2e7d32", "near": "#f9a825", "far": "#bdbdbd"}


def nl_number(value: float | int | None, digits: int | None = 2) -> str:
    """A number as Dutch readers write it: decimal comma ("0,75"); ``digits=None`` drops
    trailing zeros ("2,5", "3"). ``None`` is shown as a dash."""
    if value is None:
        return "–"
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",")


_DOCUMENT_PROBLEMS: dict[type[IngestError], str] = {
    ScannedPdfError: "is een scan zonder tekstlaag; Vaardig kan geen gescande tekst lezen. "
    "Upload het originele bestand (in Word opgeslagen als PDF of .docx)",
    EncryptedPdfError: "is met een wachtwoord beveiligd. Sla een kopie zonder wachtwoord op en "
    "upload die",
    CorruptFileError: "is beschadigd of onvolledig. Download of exporteer het opnieuw en upload "
    "de nieuwe kopie",
    NotADocxError: "is geen echt Word-bestand (.docx). Open het in Word, sla het op als .docx of "
    "PDF en upload dat",
    ZipBombError: "zou uitgepakt onredelijk groot worden. Sla het opnieuw op in Word als .docx "
    "of PDF en upload dat",
    EmptyDocumentError: "bevat geen tekst. Controleer of je het goede bestand hebt gekozen",
    EncodingError: "heeft een tekstcodering die niet te lezen is. Sla het op als UTF-8 of als "
    "PDF en upload het opnieuw",
    UnsupportedFormatError: "is geen PDF-, Word- (.docx), HTML- of tekstbestand. Upload het in "
    "een van die vormen",
}


def upload_message(exc: Exception, name: str, what: str, max_mb: float) -> str:
    """Why the upload of ``name`` (``what``: "cv" or "vacature") was refused: a Dutch sentence
    with what went wrong and what to do, then the technical detail (English, as the API says
    it) for whoever helps them."""
    detail = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, FileTooLargeError):
        if exc.unit == "pages":
            sentence = (
                f"„{name}” heeft {exc.size} pagina's; een {what} mag er hoogstens {exc.limit} "
                "hebben. Upload een kortere versie"
            )
        else:
            sentence = f"„{name}” is te groot: een bestand mag hoogstens {max_mb:.0f} MB zijn"
    elif isinstance(exc, IngestError):
        problem = next(
            (text for kind, text in _DOCUMENT_PROBLEMS.items() if isinstance(exc, kind)),
            "kon niet worden gelezen. Controleer het bestand en probeer het opnieuw",
        )
        sentence = f"„{name}” {problem}"
    elif isinstance(exc, NoSkillsFound):
        sentence = (
            f"In deze {what} zijn geen vaardigheden herkend, dus er valt niets te matchen. "
            "Beschrijf de taken en eisen in hele zinnen (bijvoorbeeld „je rijdt heftruck en "
            "controleert de voorraad”)"
        )
    elif getattr(exc, "status", None) == 413:
        sentence = f"„{name}” is te groot om te verwerken. Maak de tekst of het bestand kleiner"
    else:
        sentence = f"„{name}” kon niet worden verwerkt. Controleer het bestand en probeer opnieuw"
    return f"{sentence}. Details: {detail}"


@dataclass(frozen=True)
class Segment:
    """A piece of a document's text: plain, the evidence of a skill (``label`` set), or a job
    title that skills were inferred from (``inferred`` > 0: how many)."""

    text: str
    label: str | None = None  # the skill, for a marked segment
    status: str | None = None
    uri: str | None = None
    inferred: int = 0  # a job title: how many skills were inferred from it


@dataclass(frozen=True)
class HighlightedDocument:
    id: int
    filename: str
    uploaded_at: Any
    segments: tuple[Segment, ...]
    marks: int  # evidence marks; job titles are not counted


def highlighted_documents(
    documents: Sequence[StoredDocument], claims: Sequence[PassportClaim]
) -> list[HighlightedDocument]:
    """Each document's text cut into segments, the evidence spans of ``claims`` marked.

    An inferred claim has no evidence of its own: its span is the job title it was inferred
    from, shared by every skill of that occupation. Such a title becomes one ``inferred``
    segment (with the number of skills), never a mark for one of them. Overlapping spans keep
    the first (then longest); spans that no longer match the text (a purged document) are
    skipped.
    """
    out = []
    for document in documents:
        text = document.text or ""
        spans: list[tuple[int, int, int, PassportClaim | None]] = []
        titles: dict[tuple[int, int], set[str]] = {}
        for claim in claims:
            for ev in claim.evidence:
                if ev.document_id != document.id or not 0 <= ev.start < ev.end <= len(text):
                    continue
                if text[ev.start : ev.end] != ev.text:
                    continue
                if ev.method == "inferred":
                    titles.setdefault((ev.start, ev.end), set()).add(claim.skill_uri)
                else:
                    spans.append((ev.start, -(ev.end - ev.start), ev.end, claim))
        spans.extend((start, -(end - start), end, None) for start, end in titles)
        spans.sort(key=lambda s: (s[0], s[1], s[3] is None))
        segments, cursor, marks = [], 0, 0
        for start, _, end, claim in spans:
            if start < cursor:
                continue
            if start > cursor:
                segments.append(Segment(text[cursor:start]))
            if claim is None:
                segments.append(Segment(text[start:end], inferred=len(titles[start, end])))
            else:
                segments.append(
                    Segment(text[start:end], claim.label, claim.status, claim.skill_uri)
                )
                marks += 1
            cursor = end
        if cursor < len(text):
            segments.append(Segment(text[cursor:]))
        out.append(
            HighlightedDocument(
                document.id, document.filename, document.uploaded_at, tuple(segments), marks
            )
        )
    return out


@pass_context
def label_is_english(context: Context, skill_uri: str) -> bool:
    """Whether a skill's label is English because ESCO has no Dutch one (a template global:
    ``label_is_english(claim.skill_uri)``). False for a URI the taxonomy does not know."""
    state = context["request"].app.state.vaardig
    concept = state.loaded("taxonomy").taxonomy.concepts.get(skill_uri)
    return concept is not None and concept.label_is_fallback


def gap_chart_svg(report: dict[str, Any]) -> str:
    """Stacked bars per role (klaar / bijna / ver), Dutch labels, inline SVG."""
    roles = report["roles"]
    label_width, bar_width, row, top = 330, 420, 34, 44
    height = top + row * len(roles) + 44
    width = label_width + bar_width + 24
    total = max(int(report["headcount"]), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>Gereedheid per rol ({report['headcount']} medewerkers)</title>",
        f'<text x="0" y="18" font-size="15" font-weight="600">Gereedheid per rol '
        f"({report['headcount']} medewerkers)</text>",
    ]
    for i, role in enumerate(roles):
        y = top + i * row
        title = role["role"]["title"]
        title = title if len(title) <= 42 else title[:41] + "…"
        parts.append(
            f'<text x="{label_width - 10}" y="{y + 16}" text-anchor="end">{escape(title)}</text>'
        )
        x = float(label_width)
        for band in ("ready", "near", "far"):
            count = int(role["counts"][band])
            w = bar_width * count / total
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" '
                    f'fill="{BAND_COLOURS[band]}"><title>{BAND_LABELS[band]}: {count}</title>'
                    "</rect>"
                )
                if w >= 20:
                    colour = "#fff" if band == "ready" else "#000"
                    parts.append(
                        f'<text x="{x + w / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                        f'fill="{colour}">{count}</text>'
                    )
            x += w
    legend_y = top + row * len(roles) + 14
    for k, band in enumerate(("ready", "near", "far")):
        x = label_width + k * 120
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{BAND_COLOURS[band]}"/>'
        )
        parts.append(f'<text x="{x + 20}" y="{legend_y + 12}">{BAND_LABELS[band]}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_KIND_NL = {
    "employee": "Medewerker",
    "role": "Rol of vacature",
    "document": "Document",
    "claim": "Vaardigheid",
    "organisation": "Organisatie",
    "team": "Team",
    "network": "Netwerk",
    "learning step": "Leerstap",
    "job": "Taak",
    "consent": "Toestemming",
    "contact request": "Contactverzoek",
}


def dutch_not_found(kind: str, key: object) -> str:
    """The web page's message for a missing thing, in Dutch; like the API's, the same whether
    it never existed or belongs to another organisation."""
    noun = _KIND_NL.get(kind)
    if noun is None:
        return f"‘{key}’ ({kind}) bestaat niet in je organisatie."
    return f"{noun} ‘{key}’ bestaat niet in je organisatie."
