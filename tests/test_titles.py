"""The job title inside a vacancy title line: decorations off, the span on the title's words."""

import pytest

from extractor.titles import job_title


@pytest.mark.parametrize(
    ("line", "title"),
    [
        # gender tags
        ("Lasser (m/v)", "Lasser"),
        ("Lasser (m/v/x)", "Lasser"),
        ("Lasser (v/m)", "Lasser"),
        ("Lasser m/v/x", "Lasser"),
        ("Lasser (h/v)", "Lasser"),
        ("Lasser (M/V/X)", "Lasser"),
        ("Lasser (m/w/d)", "Lasser"),
        # hours and contract
        ("Lasser 40 uur", "Lasser"),
        ("Lasser 32-40 uur", "Lasser"),
        ("Lasser 24 - 32 uur", "Lasser"),
        ("Lasser 32-40u p/w", "Lasser"),
        ("Lasser fulltime", "Lasser"),
        ("Lasser parttime", "Lasser"),
        ("Lasser (fulltime)", "Lasser"),
        ("Lasser voltijd", "Lasser"),
        ("Lasser deeltijd", "Lasser"),
        ("Docent (0,8 fte)", "Docent"),
        ("Medewerker klantenservice fulltime/parttime", "Medewerker klantenservice"),
        ("Chauffeur C/E (fulltime, 40 uur)", "Chauffeur C/E"),
        ("Lasser (m/v/x) 40 uur", "Lasser"),
        # lead-ins
        ("Vacature: Servicemonteur warmtepompen", "Servicemonteur warmtepompen"),
        ("Vacature lasser", "lasser"),
        ("Vacature Calculator bouw 32-40 uur", "Calculator bouw"),
        ("Gezocht: lasser", "lasser"),
        ("Wij zoeken een lasser", "lasser"),
        ("We zoeken een lasser!", "lasser"),
        ("Lasser gezocht!", "Lasser"),
        # a firm or a place after the title
        ("Lasser - Bouwbedrijf Jansen", "Lasser"),
        ("Lasser | Bouwbedrijf Jansen", "Lasser"),
        ("Heftruckchauffeur (40 uur) – Tilburg", "Heftruckchauffeur"),
        ("Lasser in Utrecht", "Lasser"),
        ("Lasser regio Utrecht", "Lasser"),
        ("Lasser in de regio Utrecht", "Lasser"),
        ("Accountmanager regio zuid", "Accountmanager"),
        ("Lasser in de omgeving van Zwolle", "Lasser"),
        ("Allround monteur in 's-Hertogenbosch", "Allround monteur"),
        ("Verpleegkundige 32-36 uur per week in Den Haag", "Verpleegkundige"),
        ("Vacature Kok | Restaurant De Leeuw", "Kok"),
    ],
)
def test_dutch_decorations_are_stripped(line, title):
    found = job_title(line, "nl")
    assert found.text == title
    assert line[found.start : found.end] == title


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Welder (m/f/d)", "Welder"),
        ("Welder full-time", "Welder"),
        ("Job: Welder", "Welder"),
        ("Vacancy: Welder", "Welder"),
        ("We are hiring: Welder", "Welder"),
        ("We're hiring a welder", "welder"),
        ("Welder - Acme Ltd", "Welder"),
        ("Sales representative (based in London)", "Sales representative"),
    ],
)
def test_english_decorations_are_stripped(line, title):
    found = job_title(line, "en")
    assert (found.text, line[found.start : found.end]) == (title, title)


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("Medewerker in de bediening", "nl"),  # "in" + lower case: part of the title
        ("Monteur in Opleiding", "nl"),
        ("Monteur - elektrotechniek", "nl"),  # a lower-case word after a dash: a speciality
        ("Medewerker bij de gemeente", "nl"),
        ("Adviseur omgeving en vergunningen", "nl"),  # "omgeving" without a place: a field
        ("HR-adviseur", "nl"),
        ("Job coach", "nl"),  # "Job" is a lead-in only with a colon
        ("Hiring manager", "en"),
        ("Lecturer in Accounting", "en"),  # English title case: no place without a marker
        ("IT Manager - Software", "en"),
        ("Manager (HR)", "en"),
    ],
)
def test_titles_without_decoration_are_kept_whole(line, lang):
    found = job_title(line, lang)
    assert (found.start, found.end, found.text) == (0, len(line), line)


def test_a_decoration_inside_the_title_is_left_out_of_the_text_not_the_span():
    line = "Monteur (40 uur) warmtepompen"
    found = job_title(line)
    assert found.text == "Monteur warmtepompen"
    assert line[found.start : found.end] == line


@pytest.mark.parametrize("line", ["Vacature", "40 uur", "  (m/v)  "])
def test_a_line_of_decorations_only_is_kept_as_it_is(line):
    found = job_title(line)
    assert found.text == line.strip()
    assert line[found.start : found.end] == line.strip()
