"""Heading vocabulary for CVs and vacancies (Dutch and English), lowercase, no punctuation.

Each phrase maps to a `Section` name. Headings we recognise but that have no section name
of their own ("Wat ga je doen?", "Over ons", "Hobby's") map to "other": they still end the
section before them. Phrases of two or more words also match as the start of a longer
heading ("Wat vragen wij van jou?" starts with "wat vragen wij").
"""

from __future__ import annotations


def _phrases(table: dict[str, str]) -> dict[str, str]:
    """Expand "a|b|c": "name" rows into one entry per phrase."""
    return {
        phrase.strip(): name for phrases, name in table.items() for phrase in phrases.split("|")
    }


CV_HEADINGS = _phrases(
    {
        "profiel|persoonlijk profiel|over mij|samenvatting|introductie|mijn profiel|"
        "profile|personal profile|summary|professional summary|about me|objective|"
        "career objective|personal statement": "profile",
        "werkervaring|ervaring|relevante werkervaring|professionele ervaring|"
        "arbeidsverleden|loopbaan|werkgeschiedenis|carrière|stages|stage|stage-ervaring|"
        "stageervaring|vrijwilligerswerk|nevenactiviteiten|projecten|"
        "work experience|experience|professional experience|relevant experience|"
        "employment history|employment|work history|career history|internships|"
        "internship|volunteering|volunteer work|projects": "experience",
        "opleiding|opleidingen|onderwijs|scholing|opleiding en cursussen|"
        "opleidingen en cursussen|opleidingen en trainingen|genoten opleidingen|"
        "education|academic background|education and training|studies": "education",
        "vaardigheden|competenties|kerncompetenties|kennis en vaardigheden|"
        "vaardigheden en competenties|competenties en vaardigheden|computervaardigheden|"
        "ict-vaardigheden|ict vaardigheden|technische vaardigheden|software|tools|"
        "kwaliteiten|eigenschappen|persoonlijke eigenschappen|sterke punten|"
        "skills|key skills|technical skills|it skills|core skills|competencies|"
        "competences|core competencies|strengths|skills and competencies|"
        "tools and technologies|technologies": "skills",
        "talen|talenkennis|taalvaardigheid|languages|language skills": "languages",
        "certificaten|certificeringen|diploma's en certificaten|certificaten en diploma's|"
        "rijbewijs|rijbewijzen|rijbewijzen en certificaten|certificaten en rijbewijzen|"
        "cursussen|trainingen|cursussen en trainingen|cursussen en certificaten|"
        "certificates|certifications|licenses|licences|courses|training|trainings|"
        "courses and certifications|certificates and licences": "certificates",
        "persoonlijke gegevens|personalia|contactgegevens|contact|referenties|"
        "personal details|contact details|references": "contact",
        "hobby's|hobbies|hobby's en interesses|interesses|interests|hobbies and interests": "other",
    }
)

VACANCY_HEADINGS = _phrases(
    {
        "functie-eisen|functie eisen|functieeisen|wat vragen wij|wat vragen we|"
        "wat wij vragen|wat we vragen|wij vragen|we vragen|wie ben jij|wie ben je|"
        "wie zoeken wij|wie zoeken we|jouw profiel|je profiel|profiel|"
        "wat breng je mee|wat neem je mee|wat heb je nodig|wat moet je kunnen|"
        "wat verwachten wij|wat verwachten we|vereisten|eisen|gevraagd|"
        "requirements|what we ask|what we are looking for|what we're looking for|"
        "who you are|your profile|profile|what you bring|qualifications|"
        "must haves|must-haves": "requirements",
        "wij bieden|we bieden|wat bieden wij|wat bieden we|wat wij bieden|wat we bieden|"
        "arbeidsvoorwaarden|wat krijg je|wat mag je verwachten|wat kun je verwachten|"
        "ons aanbod|aanbod|salaris en arbeidsvoorwaarden|"
        "we offer|what we offer|benefits|compensation|what you get|our offer": "offer",
        "wat ga je doen|wat ga jij doen|functieomschrijving|functie omschrijving|"
        "de functie|over de functie|jouw taken|je taken|taken|werkzaamheden|"
        "taken en verantwoordelijkheden|verantwoordelijkheden|wie zijn wij|wie zijn we|"
        "over ons|het bedrijf|over het bedrijf|de organisatie|waar ga je werken|"
        "about us|the company|about the role|the role|your role|responsibilities|"
        "what you will do|what you'll do": "other",
        "interesse|solliciteren|sollicitatie|hoe solliciteer je|meer informatie|contact|"
        "how to apply|apply|interested": "contact",
    }
)
