"""Generate the ingestion test fixtures in tests/fixtures/documents/.

The outputs are committed, so the tests never need this script's extra dependencies:
reportlab (PDFs), pypdf (the encrypted PDF), python-docx and Pillow (the "scan").

    .venv/bin/pip install reportlab pypdf
    .venv/bin/python scripts/make_document_fixtures.py

All people, employers and phone numbers are invented. Output is deterministic except
for the encrypted PDF (pypdf draws a random file id and AES initialisation vectors).
"""

from __future__ import annotations

import csv
import io
import json
import random
import textwrap
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "documents"

# --------------------------------------------------------------------------- CV texts

CV_HEFTRUCK_HEADER = "Kevin van den Berg – Logistiek medewerker / Heftruckchauffeur"
CV_HEFTRUCK_LEFT = [
    ("Contact", ["Ringbaan-West 112", "5041 LB Tilburg", "06-18273645", "kevin.vdberg@mail.nl"]),
    (
        "Vaardigheden",
        [
            "Heftruck en reachtruck rijden",
            "Orderpicken met scanner",
            "Laden en lossen van trailers",
            "Werken met WMS (SAP EWM)",
            "Voorraadtellingen",
            "Nauwkeurig en stressbestendig",
        ],
    ),
    (
        "Certificaten",
        [
            "VCA Basis (2022)",
            "Heftruckcertificaat (2021)",
            "Reachtruckcertificaat (2021)",
            "Rijbewijs B, C en code 95",
            "Digitale tachograafkaart",
        ],
    ),
    ("Talen", ["Nederlands – moedertaal", "Engels – redelijk", "Duits – basis"]),
]
CV_HEFTRUCK_RIGHT = [
    (
        "Profiel",
        [
            "Ervaren logistiek medewerker met ruim acht jaar ervaring in distributiecentra "
            "in Midden-Brabant. Ik rijd dagelijks heftruck en reachtruck, laad en los "
            "vrachtwagens en houd de voorraad in het magazijn op orde. Collega's kennen "
            "mij als betrouwbaar, rustig onder druk en veiligheidsbewust."
        ],
    ),
    (
        "Werkervaring",
        [
            "2019 - heden: Heftruckchauffeur, Brabant Distributie B.V., Tilburg",
            "Laden en lossen van 30 tot 40 trailers per dienst met heftruck en "
            "elektrische pallettruck. Opslaan van pallets in hoogbouwstellingen met de "
            "reachtruck tot 11 meter. Controleren van inkomende zendingen op schade en "
            "aantallen en verwerken in SAP EWM. Inwerken van nieuwe uitzendkrachten.",
            "jan 2016 – dec 2018: Orderpicker, Logistiek Centrum Waalwijk, Waalwijk",
            "Orderpicken met handscanner in een ploegendienst, gemiddeld 160 colli per "
            "uur. Meewerken aan de jaarlijkse inventarisatie en het opruimen van de "
            "retourstroom.",
            "2014 – 2015: Chauffeur bakwagen (parttime), Van Dongen Transport, Dongen",
            "Bezorgen van bouwmaterialen bij klanten in de regio met een bakwagen met "
            "laadklep; vrachtbrieven controleren en afhandelen.",
        ],
    ),
    (
        "Opleiding",
        [
            "2011 – 2014: MBO niveau 2 Logistiek medewerker, ROC Tilburg",
            "2007 – 2011: VMBO kader, Beatrix College, Tilburg",
        ],
    ),
]

CV_HEFTRUCK_TXT = (
    "\n\n".join(
        [
            CV_HEFTRUCK_HEADER,
            *(f"{heading}\n" + "\n".join(lines) for heading, lines in CV_HEFTRUCK_RIGHT),
            *(f"{heading}\n" + "\n".join(lines) for heading, lines in CV_HEFTRUCK_LEFT),
            "Hobby's\nVoetbal (keeper bij VV Berkdijk), motorrijden.",
        ]
    )
    + "\n"
)

CV_BOEKHOUDER_INTRO = [
    "Curriculum vitae",
    "Sandra de Jong",
    "Deventerstraat 45, 7311 LV Apeldoorn · 06-53421987 · sandra.dejong@mail.nl",
]
CV_BOEKHOUDER_PROFILE = (
    "Zelfstandig en nauwkeurig administratief medewerker met twaalf jaar ervaring in de "
    "financiële administratie van mkb-bedrijven. Ik voer de volledige boekhouding tot en "
    "met de kolommenbalans, verzorg de btw-aangifte en denk mee over het verbeteren van "
    "processen. Ik werk graag met cijfers en houd van een opgeruimde administratie."
)
CV_BOEKHOUDER_EXPERIENCE = [
    (
        "mrt 2018 – heden",
        "Boekhouder, Veluwe Bouw & Onderhoud B.V., Apeldoorn",
        [
            "Voeren van de crediteuren- en debiteurenadministratie in Exact Online.",
            "Maandelijkse btw-aangifte en voorbereiden van de jaarafsluiting voor de accountant.",
            "Verwerken van de salarisadministratie in AFAS Profit voor 45 medewerkers.",
            "Opstellen van maandrapportages en liquiditeitsprognoses in Excel "
            "(draaitabellen, VERT.ZOEKEN).",
        ],
    ),
    (
        "sep 2013 – feb 2018",
        "Administratief medewerker, Gelderse Installatiegroep, Deventer",
        [
            "Inboeken van inkoopfacturen en afletteren van bankmutaties.",
            "Debiteurenbeheer: herinneringen versturen en telefonisch contact met klanten.",
            "Archiveren en scannen van de inkomende post.",
        ],
    ),
    (
        "2011 – 2013",
        "Medewerker financiële administratie (uitzendbasis), Randstad, Apeldoorn",
        ["Ondersteunen van de afdeling crediteuren bij diverse opdrachtgevers."],
    ),
]
CV_BOEKHOUDER_EDUCATION = [
    "2016 – 2017: SPD Bedrijfsadministratie, NCOI (diploma behaald)",
    "2014 – 2015: Praktijkdiploma Boekhouden (PDB), LOI",
    "2007 – 2011: MBO niveau 4 Financiële administratie, Aventus, Apeldoorn",
]
CV_BOEKHOUDER_COURSES = [
    "2023: Excel voor financials (gevorderd), Computrain",
    "2021: Werken met AFAS Profit Salaris, AFAS Academy",
    "2019: Exact Online Boekhouden, Exact Academy",
]
CV_BOEKHOUDER_SKILLS = [
    "Exact Online",
    "AFAS Profit",
    "Twinfield",
    "Microsoft Excel (gevorderd)",
    "Word en Outlook",
    "btw-aangifte",
    "Salarisadministratie",
    "Debiteurenbeheer",
]
CV_BOEKHOUDER_LANGUAGES = ["Nederlands – moedertaal", "Engels – goed", "Duits – redelijk"]


def cv_boekhouder_txt() -> str:
    parts = ["\n".join(CV_BOEKHOUDER_INTRO), "Profiel\n" + CV_BOEKHOUDER_PROFILE, "Werkervaring"]
    for period, role, tasks in CV_BOEKHOUDER_EXPERIENCE:
        parts.append(f"{period}\n{role}\n" + "\n".join(f"- {task}" for task in tasks))
    parts.append("Opleidingen\n" + "\n".join(CV_BOEKHOUDER_EDUCATION))
    parts.append("Vaardigheden\n" + "\n".join(CV_BOEKHOUDER_SKILLS))
    parts.append("Talen\n" + "\n".join(CV_BOEKHOUDER_LANGUAGES))
    return "\n\n".join(parts) + "\n"


CV_MONTEUR_TXT = """\
Jeroen Bakker
Eerste monteur elektrotechniek
Leusderweg 210, 3817 KD Amersfoort | 06-41526378 | jeroen.bakker@mail.nl
Geboren 14 mei 1990 | Rijbewijs B

Over mij
Allround eerste monteur met elf jaar ervaring in woningbouw en utiliteit. Ik installeer \
en onderhoud elektrische installaties volgens NEN 1010 en werk veilig volgens NEN 3140. \
De laatste jaren heb ik mij gespecialiseerd in duurzame installaties: warmtepompen, \
zonnepanelen en laadpalen. Ik coördineer graag het werk van een klein team en heb direct \
contact met klanten.

Werkervaring

2020 - heden
Eerste monteur elektrotechniek, Eemland Installatietechniek, Amersfoort
- Aanleggen en aansluiten van zonnepanelen (PV-installaties) en omvormers bij \
particulieren en bedrijven, gemiddeld drie installaties per week.
- Installeren en in bedrijf stellen van lucht-water warmtepompen in samenwerking met de \
werktuigbouwkundig monteur.
- Plaatsen van laadpalen en uitbreiden van groepenkasten, inclusief meten en keuren \
volgens NEN 3140.
- Storingen zoeken en verhelpen; aansturen van twee monteurs en één leerling.

2015 - 2020
Monteur elektrotechniek, Van Wijk Elektro, Utrecht
- Bekabelen en aansluiten van elektrische installaties in nieuwbouwwoningen.
- Aanleggen van data- en verlichtingsinstallaties in kantoren.
- Opstellen van revisietekeningen en opleverdossiers.

2012 - 2015
Leerling-monteur (BBL), Installatiebedrijf De Eem, Baarn
- Meewerken aan renovatieprojecten in woningen en scholen.

Opleiding
2012 - 2015: MBO niveau 3 Eerste monteur elektrotechnische installaties (BBL), ROC Midden \
Nederland
2008 - 2012: VMBO techniek, Corderius College, Amersfoort

Certificaten
- NEN 3140 Vakbekwaam Persoon (VP), hercertificering 2024
- VCA VOL (2023)
- F-gassen certificaat categorie I (STEK), 2021
- Installateur warmtepompen (InstallQ), 2022
- Zonnepanelen installeren, Solar Academy, 2020
- BHV (2024)

Vaardigheden
Elektrotechnische installaties, storingsdiagnose, meten en keuren, PV-systemen, \
warmtepompen, laadinfrastructuur, werktekeningen lezen, leidinggeven aan kleine teams, \
klantgericht werken.

Talen
Nederlands (moedertaal), Engels (redelijk)
"""

CV_DEVELOPER_EN = {
    "name": "Priya Raman",
    "subtitle": "Software developer – Eindhoven, the Netherlands",
    "contact": "priya.raman@example.org · +31 6 12 34 56 78 · github.com/praman",
    "profile": (
        "Backend developer with six years of experience building data-heavy web services "
        "in Python. I design clean APIs, write well-tested code and like to automate "
        "deployments. I enjoy mentoring junior developers and working closely with "
        "product owners."
    ),
    "experience": [
        (
            "Mar 2021 – present",
            "Senior Python developer, Brainport Logistics Software, Eindhoven",
            [
                "Built REST APIs with FastAPI and PostgreSQL that plan 20,000 deliveries a day.",
                "Moved services to Docker and Kubernetes; set up CI/CD with GitLab.",
                "Reduced the nightly batch run from three hours to twenty minutes by "
                "rewriting SQL queries and adding indexes.",
            ],
        ),
        (
            "Sep 2018 – Feb 2021",
            "Software developer, DataWorks B.V., Utrecht",
            [
                "Developed ETL pipelines in Python (pandas) and SQL for retail clients.",
                "Wrote unit and integration tests with pytest; introduced code reviews.",
            ],
        ),
    ],
    "education": [
        "2014 – 2018: BSc Computer Science, Eindhoven University of Technology",
    ],
    "skills": [
        "Python, SQL, Docker",
        "FastAPI, Django, pandas",
        "PostgreSQL, Redis",
        "Kubernetes, GitLab CI, AWS",
        "Test-driven development, code review",
    ],
    "languages": ["English – fluent", "Tamil – native", "Dutch – basic (A2)"],
}


def cv_developer_txt() -> str:
    cv = CV_DEVELOPER_EN
    parts = [f"{cv['name']}\n{cv['subtitle']}\n{cv['contact']}", "Profile\n" + cv["profile"]]
    experience = ["Work experience"]
    for period, role, tasks in cv["experience"]:
        experience.append(f"{period}\n{role}\n" + "\n".join(f"- {task}" for task in tasks))
    parts.append("\n\n".join(experience))
    parts.append("Education\n" + "\n".join(cv["education"]))
    parts.append("Skills\n" + "\n".join(cv["skills"]))
    parts.append("Languages\n" + "\n".join(cv["languages"]))
    return "\n\n".join(parts) + "\n"


def cv_developer_html() -> str:
    cv = CV_DEVELOPER_EN
    experience = "\n".join(
        f"<article><h3>{escape(role)}</h3><p class='period'>{escape(period)}</p><ul>"
        + "".join(f"<li>{escape(task)}</li>" for task in tasks)
        + "</ul></article>"
        for period, role, tasks in cv["experience"]
    )

    def items(values: list[str]) -> str:
        return "".join(f"<li>{escape(value)}</li>" for value in values)

    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CV {escape(cv["name"])}</title>
<style>body {{ font-family: sans-serif; }} h2 {{ color: #245; }}</style>
<script>window.trackingId = "UA-TRACKING-SCRIPT"; console.log("loaded");</script>
</head>
<body>
<header><h1>{escape(cv["name"])}</h1><p>{escape(cv["subtitle"])}<br>{escape(cv["contact"])}</p>
</header>
<section><h2>Profile</h2><p>{escape(cv["profile"])}</p></section>
<section><h2>Work experience</h2>
{experience}
</section>
<section><h2>Education</h2><ul>{items(cv["education"])}</ul></section>
<section><h2>Skills</h2><ul>{items(cv["skills"])}</ul></section>
<section><h2>Languages</h2><ul>{items(cv["languages"])}</ul></section>
<noscript>Enable JavaScript for the interactive version.</noscript>
<script type="text/javascript">document.write("INJECTED BY SCRIPT");</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- vacancies

VACANCY_TEXTS = {
    "vacature_heftruckchauffeur.txt": """\
Heftruckchauffeur (40 uur) – Tilburg
Brabant Distributie B.V. | Tilburg, Noord-Brabant | Geplaatst op 12 maart 2025

Voor ons distributiecentrum aan de Kraaivenstraat zoeken wij per direct een ervaren \
heftruckchauffeur voor de dag- en avonddienst.

Wat ga je doen?
Je laadt en lost vrachtwagens met de heftruck en zet pallets weg in de stellingen met de \
reachtruck. Je controleert inkomende goederen op schade en aantallen en verwerkt de \
ontvangst in ons WMS. Daarnaast help je mee met orderpicken als het druk is.

Wat vragen wij?
- Een geldig heftruckcertificaat en minimaal twee jaar ervaring als heftruckchauffeur.
- Ervaring met een reachtruck is een pré.
- VCA Basis, of bereid dit binnen drie maanden te halen.
- Je bent flexibel inzetbaar in een tweeploegendienst.
- Je spreekt en begrijpt Nederlands of Engels.

Wat bieden wij?
- Een salaris tussen € 2.750 en € 3.100 bruto per maand, plus ploegentoeslag.
- Een vast contract na een half jaar bij goed functioneren.
- Opleidingen via onze eigen academy, zoals het reachtruckcertificaat.
- Reiskostenvergoeding en een goed pensioen.

Interesse?
Solliciteer via onze website of bel Marieke van Loon (HR) op 013-5803322.
""",
    "vacature_administratief_medewerker.txt": """\
Administratief medewerker financiële administratie (24-32 uur)
Veluwe Bouw & Onderhoud B.V. | Apeldoorn, Gelderland | Geplaatst op 3 september 2024

Ben jij iemand die rust krijgt van een kloppende administratie? Dan zoeken wij jou!

Functieomschrijving
Als administratief medewerker ben je verantwoordelijk voor de crediteuren- en \
debiteurenadministratie. Je boekt inkoopfacturen in Exact Online, volgt openstaande \
posten op en bereidt de maandelijkse btw-aangifte voor. Je werkt nauw samen met onze \
controller en de externe accountant.

Functie-eisen
- Een afgeronde mbo-4 opleiding financieel-administratief, bijvoorbeeld MBO \
Financiële administratie of SPD Bedrijfsadministratie.
- Minimaal drie jaar ervaring in een vergelijkbare functie.
- Goede kennis van Exact Online; ervaring met AFAS is een pluspunt.
- Je kunt goed overweg met Excel (draaitabellen, formules).
- Je bent nauwkeurig, zelfstandig en communicatief vaardig.

Wij bieden
- Een salaris van € 2.900 tot € 3.600 bruto per maand bij 36 uur.
- Flexibele werktijden en de mogelijkheid om één dag thuis te werken.
- Een informele werksfeer in een groeiend familiebedrijf.
- Ruimte voor opleidingen.

Solliciteren
Stuur je cv en motivatie naar vacatures@veluwebouw.example.
""",
    "vacature_monteur_elektrotechniek.txt": """\
Monteur elektrotechniek duurzame installaties
Eemland Installatietechniek | Amersfoort, Utrecht | Geplaatst op 20 januari 2026

Wij zijn een installatiebedrijf met 60 medewerkers en maken woningen en bedrijven \
klaar voor de energietransitie. Voor ons team duurzaam zoeken wij een enthousiaste \
monteur elektrotechniek.

Wat ga je doen?
Je installeert zonnepanelen, omvormers en thuisbatterijen en sluit warmtepompen \
elektrisch aan. Je plaatst laadpalen, breidt groepenkasten uit en test de installatie \
volgens NEN 1010 en NEN 3140. Bij storingen zoek je zelfstandig de oorzaak en los je \
het probleem op.

Wat vragen wij van jou?
- Een diploma MBO niveau 3 Elektrotechniek of gelijkwaardig.
- Ervaring met het installeren van PV-systemen of warmtepompen.
- NEN 3140 (VOP of VP) en VCA Basis of VCA VOL.
- Rijbewijs B.
- Je werkt veilig, netjes en klantvriendelijk.

Wat bieden wij?
- Salaris volgens cao Metaal en Techniek, tot € 3.900 bruto per maand.
- Een eigen bus, gereedschap en telefoon.
- Opleiding tot F-gassen gecertificeerd monteur.
- 25 vakantiedagen en een 13e maand.

Meer informatie
Bel Ruud Hendriks (projectleider) op 033-4567890.
""",
}

# (id, title, employer, city, region, date, hours, intro, tasks, requirements, offer)
FEED_VACANCIES = [
    ("V2024-001", "Logistiek medewerker", "Brabant Distributie B.V.", "Tilburg",
     "Noord-Brabant", "2024-02-05", "40",
     "Voor ons distributiecentrum zoeken wij een logistiek medewerker.",
     ["Orderpicken met een handscanner", "Laden en lossen van vrachtwagens",
      "Verpakken en etiketteren van zendingen"],
     ["Ervaring in een magazijn", "Heftruckcertificaat is een pré", "Bereid in ploegen te werken"],
     ["Salaris tot € 2.800 bruto per maand", "Ploegentoeslag"]),
    ("V2024-002", "Heftruckchauffeur", "Logistiek Centrum Waalwijk", "Waalwijk",
     "Noord-Brabant", "2024-03-18", "40",
     "Wij zoeken een ervaren heftruckchauffeur voor de avonddienst.",
     ["Laden en lossen met de heftruck", "Pallets wegzetten in hoogbouw met de reachtruck"],
     ["Geldig heftruckcertificaat", "VCA Basis", "Twee jaar ervaring"],
     ["Vast contract", "Reiskostenvergoeding"]),
    ("V2024-003", "Administratief medewerker", "Veluwe Bouw & Onderhoud B.V.", "Apeldoorn",
     "Gelderland", "2024-04-02", "32",
     "Ter versterking van ons team zoeken wij een administratief medewerker.",
     ["Inboeken van inkoopfacturen in Exact Online", "Debiteurenbeheer",
      "Voorbereiden van de btw-aangifte"],
     ["MBO 4 Financiële administratie", "Kennis van Exact Online", "Goed met Excel"],
     ["Flexibele werktijden", "Thuiswerkmogelijkheid"]),
    ("V2024-004", "Monteur elektrotechniek", "Eemland Installatietechniek", "Amersfoort",
     "Utrecht", "2024-05-14", "40",
     "Help jij woningen verduurzamen?",
     ["Installeren van zonnepanelen en omvormers", "Aansluiten van warmtepompen",
      "Keuren volgens NEN 3140"],
     ["MBO 3 Elektrotechniek", "NEN 3140 VOP", "Rijbewijs B"],
     ["Eigen bus en gereedschap", "Cao Metaal en Techniek"]),
    ("V2024-005", "Vrachtwagenchauffeur C/CE", "Van Dongen Transport", "Dongen",
     "Noord-Brabant", "2024-06-03", "45",
     "Voor nationaal distributievervoer zoeken wij chauffeurs.",
     ["Bevoorraden van bouwmarkten in Nederland", "Laden en lossen met de laadklep"],
     ["Rijbewijs C of CE met code 95", "Digitale tachograafkaart", "Klantvriendelijk"],
     ["Elke dag thuis", "Moderne vrachtwagens"]),
    ("V2024-006", "Boekhouder", "Accountantskantoor De Veluwe", "Ede", "Gelderland",
     "2024-07-22", "36",
     "Wij zoeken een boekhouder voor onze mkb-klanten.",
     ["Voeren van administraties tot en met de kolommenbalans", "Opstellen van btw-aangiftes",
      "Salarisadministratie in AFAS"],
     ["SPD Bedrijfsadministratie", "Ervaring met AFAS en Twinfield"],
     ["Opleidingsbudget", "Dertig vakantiedagen"]),
    ("V2024-007", "Servicemonteur warmtepompen", "KlimaatWerk Utrecht", "Utrecht", "Utrecht",
     "2024-08-30", "40",
     "Word servicemonteur in een snelgroeiend team.",
     ["Onderhoud en storingen aan warmtepompen", "Adviseren van klanten over instellingen"],
     ["MBO 3 Werktuigbouwkunde of Elektrotechniek", "F-gassen certificaat"],
     ["Servicebus", "Goede doorgroeimogelijkheden"]),
    ("V2024-008", "Magazijnmedewerker", "Gelderse Groothandel", "Nijmegen", "Gelderland",
     "2024-10-07", "38",
     "Voor ons magazijn in Nijmegen zoeken wij versterking.",
     ["Ontvangen en controleren van goederen", "Voorraad tellen", "Orders klaarzetten"],
     ["Nauwkeurig werken", "Ervaring met een WMS is een pré"],
     ["Vast contract na zes maanden"]),
    ("V2024-009", "Medewerker klantenservice", "Zorgverzekeraar Midden", "Utrecht", "Utrecht",
     "2024-11-19", "32",
     "Help jij onze klanten telefonisch en per chat verder?",
     ["Beantwoorden van vragen over polissen", "Vastleggen van klantcontacten in het CRM"],
     ["MBO 4 werk- en denkniveau", "Uitstekend Nederlands in woord en geschrift"],
     ["Hybride werken", "Goede pensioenregeling"]),
    ("V2024-010", "Installateur zonnepanelen", "ZonPlus Brabant", "Eindhoven",
     "Noord-Brabant", "2024-12-09", "40",
     "Wij zoeken installateurs die graag op het dak werken.",
     ["Monteren van zonnepanelen op schuine en platte daken", "Aansluiten van omvormers"],
     ["VCA Basis", "Geen hoogtevrees", "Technische mbo-opleiding"],
     ["Werken in een vast team", "Opleiding tot eerste monteur"]),
    ("V2025-011", "Orderpicker", "Logistiek Centrum Waalwijk", "Waalwijk", "Noord-Brabant",
     "2025-01-13", "40",
     "Voor de drukke periode zoeken wij orderpickers.",
     ["Orders verzamelen met een elektrische pallettruck", "Controleren van aantallen"],
     ["Fysiek fit", "Bereid in de ochtenddienst te werken"],
     ["Direct starten", "Weekuitbetaling"]),
    ("V2025-012", "Salarisadministrateur", "Personeelsdiensten Arnhem", "Arnhem",
     "Gelderland", "2025-02-24", "36",
     "Wil jij zorgen dat iedereen op tijd en correct betaald wordt?",
     ["Verwerken van mutaties in AFAS Payroll", "Controleren van loonstroken",
      "Aangifte loonheffingen"],
     ["Diploma PDB of SPD", "Drie jaar ervaring met salarisadministratie"],
     ["Salaris tot € 4.100", "Thuiswerkvergoeding"]),
    ("V2025-013", "Elektromonteur utiliteit", "Van Wijk Elektro", "Utrecht", "Utrecht",
     "2025-04-07", "40",
     "Voor projecten in kantoren en scholen zoeken wij een elektromonteur.",
     ["Aanleggen van verlichting en data-installaties", "Werken volgens NEN 1010"],
     ["MBO 2 of 3 Elektrotechniek", "VCA Basis"],
     ["Cao Metaal en Techniek", "Reisuren worden betaald"]),
    ("V2025-014", "Teamleider magazijn", "Brabant Distributie B.V.", "Tilburg",
     "Noord-Brabant", "2025-05-19", "40",
     "Stuur jij een team van vijftien logistiek medewerkers aan?",
     ["Plannen van de bezetting", "Bewaken van productiviteit en veiligheid",
      "Coachen van medewerkers"],
     ["Ervaring als leidinggevende in logistiek", "MBO 4 Logistiek", "VCA VOL"],
     ["Leaseauto", "Bonusregeling"]),
    ("V2025-015", "Financieel administratief medewerker", "Overijssel Techniek", "Zwolle",
     "Overijssel", "2025-07-01", "32",
     "Voor onze financiële afdeling zoeken wij een collega.",
     ["Crediteurenadministratie", "Bankmutaties verwerken", "Meewerken aan de maandafsluiting"],
     ["MBO 4 Financiële administratie", "Ervaring met Exact Globe of Exact Online"],
     ["Parttime mogelijk", "Fietsplan"]),
    ("V2025-016", "Chauffeur bestelbus", "PakketDirect", "Rotterdam", "Zuid-Holland",
     "2025-08-25", "38",
     "Bezorg pakketten in Rotterdam en omgeving.",
     ["Bezorgen van pakketten volgens een vaste route", "Klantvriendelijk afleveren"],
     ["Rijbewijs B", "Goede kennis van de regio"],
     ["Elektrische bestelbus", "Vaste werktijden"]),
    ("V2025-017", "Technisch installateur", "Limburg Installatiegroep", "Venlo", "Limburg",
     "2025-10-06", "40",
     "Voor renovatieprojecten zoeken wij een allround installateur.",
     ["Installeren van cv-ketels en warmtepompen", "Leggen van waterleidingen",
      "Elektrisch aansluiten van installaties"],
     ["MBO 3 Installatietechniek", "VCA Basis"],
     ["Eigen bus", "Opleidingsmogelijkheden"]),
    ("V2025-018", "Boekhoudkundig medewerker", "Amsterdam Administratie", "Amsterdam",
     "Noord-Holland", "2025-11-17", "24",
     "Ben jij een cijferkanjer die van structuur houdt?",
     ["Voeren van de boekhouding voor zzp'ers", "Verwerken van facturen in Twinfield"],
     ["MBO 4 Bedrijfsadministratie", "Kennis van Twinfield of Exact"],
     ["Flexibele uren", "Laptop en telefoon"]),
    ("V2026-019", "Reachtruckchauffeur", "Koel- en Vrieshuis Oss", "Oss", "Noord-Brabant",
     "2026-01-12", "40",
     "Voor ons vrieshuis zoeken wij een reachtruckchauffeur.",
     ["Wegzetten en uithalen van pallets in de vriescel", "Scannen van locaties"],
     ["Reachtruckcertificaat", "Bestand tegen kou"],
     ["Koudetoeslag", "Werkkleding"]),
    ("V2026-020", "Monteur laadpalen", "Laadnet Gelderland", "Apeldoorn", "Gelderland",
     "2026-02-09", "40",
     "Help jij Nederland elektrisch rijden?",
     ["Installeren van laadpalen bij bedrijven en particulieren", "Storingen oplossen"],
     ["MBO 3 Elektrotechniek", "NEN 3140", "Rijbewijs B"],
     ["Eigen bus", "Opleiding tot eerste monteur"]),
]  # fmt: skip

# The JSON-LD feed carries a non-vacancy node the reader must pass over, not count as bad.
JSONLD_ORGANIZATION = {
    "@type": "Organization",
    "@id": "https://werk.example/#org",
    "name": "Werkplein Zuid",
}


def vacancy_description(vacancy: tuple) -> str:
    _id, _title, _employer, _city, _region, _date, hours, intro, tasks, reqs, offer = vacancy
    return "\n\n".join(
        [
            f"{intro} Het gaat om een functie van {hours} uur per week.",
            "Wat ga je doen?\n" + "\n".join(f"- {task}" for task in tasks),
            "Wat vragen wij?\n" + "\n".join(f"- {req}" for req in reqs),
            "Wat bieden wij?\n" + "\n".join(f"- {item}" for item in offer),
        ]
    )


def vacancy_description_html(vacancy: tuple) -> str:
    _id, _title, _employer, _city, _region, _date, hours, intro, tasks, reqs, offer = vacancy

    def items(values: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"

    return (
        f"<p>{escape(intro)} Het gaat om een functie van {hours} uur per week.</p>"
        f"<h3>Wat ga je doen?</h3>{items(tasks)}"
        f"<h3>Wat vragen wij?</h3>{items(reqs)}"
        f"<h3>Wat bieden wij?</h3>{items(offer)}"
    )


def flat_vacancy(vacancy: tuple) -> dict:
    vid, title, employer, city, region, date, hours, *_ = vacancy
    return {
        "id": vid,
        "title": title,
        "employer": employer,
        "date_posted": date,
        "region": region,
        "location": city,
        "hours_per_week": int(hours),
        "description": vacancy_description(vacancy),
    }


def job_posting(vacancy: tuple) -> dict:
    vid, title, employer, city, region, date, hours, *_ = vacancy
    return {
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": employer, "value": vid},
        "title": title,
        "description": vacancy_description_html(vacancy),
        "datePosted": date,
        "employmentType": "FULL_TIME" if int(hours) >= 36 else "PART_TIME",
        "hiringOrganization": {"@type": "Organization", "name": employer},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": city,
                "addressRegion": region,
                "addressCountry": "NL",
            },
        },
        "occupationalCategory": "Logistiek" if "chauffeur" in title.lower() else "Overig",
    }


# --------------------------------------------------------------------------- writers


def write_text_fixtures() -> None:
    (OUT / "cv_heftruckchauffeur.txt").write_text(CV_HEFTRUCK_TXT, encoding="utf-8")
    (OUT / "cv_boekhouder.txt").write_text(cv_boekhouder_txt(), encoding="utf-8")
    (OUT / "cv_monteur_elektrotechniek.txt").write_text(CV_MONTEUR_TXT, encoding="utf-8")
    (OUT / "cv_software_developer_en.txt").write_text(cv_developer_txt(), encoding="utf-8")
    (OUT / "cv_software_developer_en.html").write_text(cv_developer_html(), encoding="utf-8")
    for name, text in VACANCY_TEXTS.items():
        (OUT / name).write_text(text, encoding="utf-8")
    # The same CV saved by an old Windows editor (cp1252) and as UTF-16 with BOM.
    (OUT / "cv_monteur_cp1252.txt").write_bytes(CV_MONTEUR_TXT.encode("cp1252"))
    (OUT / "cv_boekhouder_utf16.txt").write_bytes(
        "\ufeff".encode("utf-16-le") + cv_boekhouder_txt().encode("utf-16-le")
    )


def write_two_column_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    width, height = A4
    margin, gutter, left_width = 15 * mm, 10 * mm, 60 * mm
    header = Frame(margin, height - margin - 20 * mm, width - 2 * margin, 20 * mm, id="header")
    body_height = height - 2 * margin - 22 * mm
    left = Frame(margin, margin, left_width, body_height, id="left")
    right_x = margin + left_width + gutter
    right = Frame(right_x, margin, width - right_x - margin, body_height, id="right")
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title="CV Kevin van den Berg")
    doc.addPageTemplates([PageTemplate(id="cv", frames=[header, left, right])])

    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=15, leading=18)
    heading = ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8
    )
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11.5, spaceAfter=3)
    story = [Paragraph(escape(CV_HEFTRUCK_HEADER), title), FrameBreak()]
    for column in (CV_HEFTRUCK_LEFT, CV_HEFTRUCK_RIGHT):
        for name, lines in column:
            story.append(Paragraph(escape(name), heading))
            story.extend(Paragraph(escape(line), body) for line in lines)
        story.append(FrameBreak())
    doc.build(story[:-1])


def write_single_column_pdf(path: Path, text: str, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    heading = ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceBefore=14
    )
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=16, spaceAfter=4)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, title=title, leftMargin=20 * mm, rightMargin=20 * mm
    )
    headings = {"Over mij", "Werkervaring", "Opleiding", "Certificaten", "Vaardigheden", "Talen"}
    story = []
    for line in text.splitlines():
        if not line.strip():
            continue
        story.append(Paragraph(escape(line), heading if line in headings else body))
    doc.build(story)


def write_running_heads_pdf(path: Path) -> None:
    """The monteur CV over two pages, with a running header (name and "Curriculum Vitae") and a
    footer ("Pagina N van 2") on every page, as word processors print them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=16, spaceAfter=4)

    def heads(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, "Jeroen Bakker – Curriculum Vitae")
        canvas.drawString(20 * mm, 10 * mm, f"Pagina {doc.page} van 2")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, title="CV Jeroen Bakker", topMargin=25 * mm
    )
    lines = [line for line in CV_MONTEUR_TXT.splitlines() if line.strip()]
    half = len(lines) // 2
    story = [Paragraph(escape(line), body) for line in lines[:half]]
    story.append(PageBreak())
    story += [Paragraph(escape(line), body) for line in lines[half:]]
    doc.build(story, onFirstPage=heads, onLaterPages=heads)


def write_right_aligned_dates_pdf(path: Path) -> None:
    """One column, with dates right-aligned on a tab stop and a label/value block.

    The white band between a job title and its date must not be taken for a column gutter.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("CV Kevin van den Berg (kort)")
    width, height = A4
    y = height - 60

    def line(text: str, x: float = 50, font: str = "Helvetica", step: float = 14) -> None:
        nonlocal y
        pdf.setFont(font, 10)
        pdf.drawString(x, y, text)
        y -= step

    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(50, y, "Werkervaring")
    y -= 20
    jobs = [
        ("Heftruckchauffeur, Brabant Distributie B.V.", "2019 – heden"),
        ("Orderpicker, Logistiek Centrum Waalwijk", "2016 – 2018"),
        ("Chauffeur bakwagen, Van Dongen Transport", "2014 – 2015"),
    ]
    for role, period in jobs:
        pdf.setFont("Helvetica", 10)
        pdf.drawRightString(width - 50, y, period)
        line(role, font="Helvetica-Bold")
        line("Laden en lossen van vrachtwagens met de heftruck en")
        line("orderpicken met de handscanner.", step=20)
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(50, y, "Persoonlijke gegevens")
    y -= 20
    for label, value in [
        ("Woonplaats", "Tilburg"),
        ("Telefoon", "06-18273645"),
        ("Rijbewijs", "B, C en code 95"),
    ]:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(160, y, value)
        line(label)
    pdf.showPage()
    pdf.save()


CV_MONTEUR_WP_NAME = "Ruben Hoekstra – Servicemonteur warmtepompen"
CV_MONTEUR_WP_CONTACT = (
    "Julianastraat 8, 8911 AB Leeuwarden  ·  06-27384950  ·  ruben.hoekstra@mail.nl  ·  "
    "geboren 1992"
)
CV_MONTEUR_WP_LEFT = [
    (
        "Vaardigheden",
        [
            "Storingsdiagnose warmtepompen",
            "Inregelen van cv-installaties",
            "Werken volgens NEN 3140",
            "Klantgericht en zelfstandig",
        ],
    ),
    ("Certificaten", ["F-gassen categorie I (STEK)", "VCA VOL (2023)", "Rijbewijs B en BE"]),
    ("Talen", ["Nederlands – moedertaal", "Fries – moedertaal", "Engels – goed"]),
]
CV_MONTEUR_WP_RIGHT = [
    (
        "Profiel",
        [
            "Servicemonteur met negen jaar ervaring in onderhoud en",
            "storingen van warmtepompen en cv-ketels bij particulieren",
            "en woningcorporaties in Friesland en Groningen.",
        ],
    ),
    (
        "Werkervaring",
        [
            "2020 – heden: Servicemonteur warmtepompen, Noord Klimaat, Heerenveen",
            "Onderhoud en storingsdienst aan lucht-water warmtepompen;",
            "inregelen van afgiftesystemen en advies aan bewoners.",
            "2015 – 2020: Monteur cv en sanitair, Installatiebedrijf De Vries, Sneek",
            "Vervangen van cv-ketels en aanleggen van vloerverwarming.",
        ],
    ),
    ("Opleiding", ["2011 – 2015: MBO niveau 3 Monteur werktuigkundige installaties"]),
]

CV_LASSER_NAME = "Sem de Groot – Lasser / constructiewerker"
CV_LASSER_FOOTER = "Sem de Groot – curriculum vitae – pagina 1 van 1"
CV_LASSER_LEFT = [
    "Contact",
    "Kanaalweg 3",
    "7902 KL Hoogeveen",
    "06-51627384",
    "",
    "Vaardigheden",
    "MIG/MAG lassen",
    "TIG lassen",
    "Brandsnijden",
    "Tekening lezen",
    "Plaatwerk",
    "",
    "Certificaten",
    "VCA",
    "Rijbewijs B",
    "Heftruck",
    "",
    "Talen",
    "Nederlands",
    "Duits",
    "Engels",
]
CV_LASSER_RIGHT = [
    "Profiel",
    "Ervaren lasser met zeven jaar ervaring in staalbouw en machinebouw.",
    "Ik las constructies volgens tekening en werk nauwkeurig en veilig.",
    "",
    "Werkervaring",
    "2019 – heden: Constructielasser, Staalbouw Drenthe B.V., Hoogeveen",
    "MIG/MAG lassen van staalconstructies voor hallen en bruggen,",
    "hechten en aflassen volgens werktekening en lasmethodebeschrijving.",
    "2016 – 2019: Lasser machinebouw, Van der Wal Metaal, Emmen",
    "TIG lassen van rvs leidingwerk voor de voedingsmiddelenindustrie.",
    "",
    "Opleiding",
    "2012 – 2016: MBO niveau 2 Lasser, Drenthe College, Emmen",
]

VACATURE_CALCULATOR_LINES = [
    "Calculator bouw (32-40 uur) – Zwolle",
    "Bouwbedrijf Van Lingen B.V. | Zwolle, Overijssel",
    "",
    "Wat ga je doen?",
    "Je maakt begrotingen en calculaties voor nieuw-",
    "bouwprojecten en renovaties in Overijssel en Noord-",
    "Holland. Je vraagt offertes aan bij onder-",
    "aannemers en leveranciers en bewaakt de kosten tijdens de uitvoering.",
    "",
    "Wat vragen wij?",
    "- Een afgeronde mbo-",
    "opleiding Bouwkunde of een hbo-diploma Bouwkunde.",
    "- Minimaal drie jaar ervaring als calculator in de woningbouw.",
    "- Een geldig certificaat VCA-",
    "VOL en rijbewijs B.",
]


def write_two_column_name_pdf(path: Path) -> None:
    """Sidebar and main column with their own line spacing, under a name and a contact line
    that span both. They cross the gutter: the reading order must still be name, contact,
    left column, right column."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("CV Ruben Hoekstra")
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(40, height - 50, CV_MONTEUR_WP_NAME)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(40, height - 66, CV_MONTEUR_WP_CONTACT)
    for x, sections, leading in ((40, CV_MONTEUR_WP_LEFT, 13), (215, CV_MONTEUR_WP_RIGHT, 14)):
        y = height - 90
        for heading, lines in sections:
            pdf.setFont("Helvetica-Bold", 11)
            pdf.drawString(x, y, heading)
            y -= leading + 2
            pdf.setFont("Helvetica", 9)
            for line in lines:
                pdf.drawString(x, y, line)
                y -= leading
            y -= leading
    pdf.showPage()
    pdf.save()


def write_sidebar_footer_pdf(path: Path) -> None:
    """A sidebar of short entries ("VCA", "Rijbewijs B") drawn on the same baselines as the
    main column (as a two-column template table does), a name line and a footer line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("CV Sem de Groot")
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(50, height - 50, CV_LASSER_NAME)
    y = height - 90
    for i in range(max(len(CV_LASSER_LEFT), len(CV_LASSER_RIGHT))):
        for x, lines in ((50, CV_LASSER_LEFT), (200, CV_LASSER_RIGHT)):
            if i < len(lines) and lines[i]:
                heading = i == 0 or not lines[i - 1]
                pdf.setFont("Helvetica-Bold" if heading else "Helvetica", 10)
                pdf.drawString(x, y, lines[i])
        y -= 14
    pdf.setFont("Helvetica", 8)
    pdf.drawString(50, 30, CV_LASSER_FOOTER)
    pdf.showPage()
    pdf.save()


def write_period_table_pdf(path: Path) -> None:
    """A page that is only a CV table: periods in a narrow left column, jobs to their right.

    The white band between them is no column gutter: each period belongs to its job.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("CV Sandra de Jong (tabel)")
    height = A4[1]
    y = height - 60

    def heading(text: str) -> None:
        nonlocal y
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(50, y, text)
        y -= 20

    heading("Werkervaring")
    for period, role, tasks in CV_BOEKHOUDER_EXPERIENCE:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(50, y, period)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(160, y, role)
        y -= 14
        pdf.setFont("Helvetica", 9)
        for task in tasks:
            for part in textwrap.wrap(task, 80):
                pdf.drawString(160, y, part)
                y -= 12
        y -= 6
    for name, lines in (
        ("Opleidingen", CV_BOEKHOUDER_EDUCATION),
        ("Cursussen", CV_BOEKHOUDER_COURSES),
    ):
        y -= 6
        heading(name)
        for line in lines:
            period, course = line.split(": ", 1)
            pdf.setFont("Helvetica", 10)
            pdf.drawString(50, y, period)
            pdf.drawString(160, y, course)
            y -= 14
    pdf.showPage()
    pdf.save()


def write_hyphenated_pdf(path: Path) -> None:
    """A vacancy whose lines were hyphenated at the right margin, as word processors do."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("Vacature Calculator bouw")
    height = A4[1]
    y = height - 60
    for number, line in enumerate(VACATURE_CALCULATOR_LINES):
        bold = number == 0 or line.endswith("?")
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 11)
        pdf.drawString(50, y, line)
        y -= 15
    pdf.showPage()
    pdf.save()


def write_scanned_pdf(path: Path) -> None:
    """A page that only holds a picture of text (as a scanner makes it): no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (420, 300), color=255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(CV_MONTEUR_TXT.splitlines()[:18]):
        draw.text((12, 10 + i * 15), line[:70], fill=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    pdf.rect(30, 30, width - 60, height - 60)  # the scanner's page edge
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 40, height - 470, 560, 400)
    pdf.showPage()
    pdf.save()


def write_encrypted_pdf(source: Path, path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="geheim2024", owner_password="eigenaar", algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)


def write_docx(path: Path) -> None:
    """The bookkeeper's CV as Word: headings, paragraphs and the experience as a table."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = "CV Sandra de Jong"
    document.add_paragraph(CV_BOEKHOUDER_INTRO[0]).runs[0].font.size = Pt(9)
    document.add_heading(CV_BOEKHOUDER_INTRO[1], level=0)
    document.add_paragraph(CV_BOEKHOUDER_INTRO[2])
    document.add_heading("Profiel", level=1)
    document.add_paragraph(CV_BOEKHOUDER_PROFILE)
    document.add_heading("Werkervaring", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for period, role, tasks in CV_BOEKHOUDER_EXPERIENCE:
        cells = table.add_row().cells
        cells[0].text = period
        cells[1].text = role
        for task in tasks:
            cells[1].add_paragraph(task, style="List Bullet")
    document.add_heading("Opleidingen", level=1)
    for line in CV_BOEKHOUDER_EDUCATION:
        document.add_paragraph(line)
    document.add_heading("Vaardigheden", level=1)
    for skill in CV_BOEKHOUDER_SKILLS:
        document.add_paragraph(skill, style="List Bullet")
    document.add_heading("Talen", level=1)
    for language in CV_BOEKHOUDER_LANGUAGES:
        document.add_paragraph(language)
    document.save(str(path))
    _normalise_zip(path)


CV_VERPLEEGKUNDIGE_HEADER = "Lisa Hendriks – curriculum vitae"
CV_VERPLEEGKUNDIGE_FOOTER = "Certificaten: BIG-registratie verpleegkundige, Reanimatie (BLS), BHV"

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DOCUMENT_NS = (
    f'xmlns:w="{_W_NS}" xmlns:r="{_R_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(*inline: str, style: str | None = None) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{''.join(inline)}</w:p>"


def _sdt(content: str, alias: str) -> str:
    """A content control, as Word's CV templates wrap each field (block or inline)."""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{alias}"/></w:sdtPr>'
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def _cell(*paragraphs: str, width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>'


def _text_box(*paragraphs: str) -> str:
    """A floating text box run: DrawingML in mc:Choice and the same box again as VML in
    mc:Fallback, as Word saves it."""
    content = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" '
        'distR="114300" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>5000000</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>900000</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2000000" cy="1200000"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="1" name="Tekstvak 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="Tekstvak1" style="position:absolute;width:157pt;height:94pt">'
        f"<v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def cv_verpleegkundige_document_xml() -> str:
    """The body of a CV made from a Word template: content controls around blocks and
    inside paragraphs, a table in a content control, tracked changes, fields, a hyperlink
    and a text box; the section refers to a first-page and a default header and a footer."""
    experience = _sdt(
        '<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr>'
        + "".join(
            "<w:tr>"
            + _cell(_para(_run(period)), width=2400)
            + _cell(_para(_run(role)), *(_para(_run(task)) for task in tasks), width=6600)
            + "</w:tr>"
            for period, role, tasks in [
                (
                    "2019 – heden",
                    "Verpleegkundige interne geneeskunde, Rijnstate, Arnhem",
                    [
                        "Observeren en rapporteren van de gezondheidstoestand van patiënten.",
                        "Toedienen van medicatie en verzorgen van complexe wonden.",
                    ],
                ),
                (
                    "2016 – 2019",
                    "Wijkverpleegkundige, Thuiszorg De Liemers, Zevenaar",
                    ["Indiceren van zorg en begeleiden van mantelzorgers."],
                ),
            ]
        )
        + "</w:tbl>",
        alias="Werkervaring",
    )
    skills = _para(
        _run("Wondzorg, "),
        '<w:ins w:id="11" w:author="Lisa Hendriks" w:date="2024-05-02T10:00:00Z">'
        + _run("medicatie toedienen, ")
        + "</w:ins>",
        '<w:del w:id="12" w:author="Lisa Hendriks" w:date="2024-05-02T10:01:00Z">'
        '<w:r><w:delText xml:space="preserve">bloedprikken in het laboratorium, </w:delText>'
        "</w:r></w:del>",
        _run("palliatieve zorg"),
    )
    contact = _para(
        _run("E-mail: "),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:lisa.hendriks@mail.nl" '
        "</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run("lisa.hendriks@mail.nl")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        _run(" · LinkedIn: "),
        f'<w:hyperlink r:id="rId10">{_run("linkedin.com/in/lisa-hendriks-vpk")}</w:hyperlink>',
    )
    body = [
        _sdt(_para(_run("Lisa Hendriks"), style="Title"), alias="Naam"),
        _sdt(_para(_run("Verpleegkundige · Velperweg 21, 6824 BH Arnhem")), alias="Adres"),
        contact,
        _para(_run("Profiel"), style="Heading1"),
        _para(
            _run("Ik ben "),
            _sdt(
                _run("een zorgzame verpleegkundige met acht jaar ervaring")
                + "<w:r><w:br/></w:r>"
                + _run("in het ziekenhuis en de wijkverpleging."),
                alias="Profieltekst",
            ),
            _text_box(
                _para(_run("Talen"), style="Heading2"),
                _para(
                    _run("Nederlands – moedertaal"), "<w:r><w:tab/></w:r>", _run("Engels – goed")
                ),
            ),
        ),
        _para(_run("Werkervaring"), style="Heading1"),
        experience,
        _para(_run("Vaardigheden"), style="Heading1"),
        skills,
        _para(_run("Opleiding"), style="Heading1"),
        _para(
            '<w:fldSimple w:instr=" HYPERLINK &quot;https://www.han.nl&quot; ">'
            + _run("2012 – 2016: HBO-V, Hogeschool van Arnhem en Nijmegen")
            + "</w:fldSimple>"
        ),
        '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/>'
        '<w:headerReference w:type="first" r:id="rId2"/>'
        '<w:footerReference w:type="default" r:id="rId3"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:titlePg/></w:sectPr>',
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {_DOCUMENT_NS}><w:body>{''.join(body)}</w:body></w:document>"
    )


def write_template_docx(path: Path) -> None:
    """A Word-template CV written as raw WordprocessingML (python-docx cannot make these)."""
    main_type = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def part(root: str, text: str) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:{root} xmlns:w="{_W_NS}">{_para(_run(text))}</w:{root}>'
        )

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}.document.main+xml"/>'
            f'<Override PartName="/word/header1.xml" ContentType="{main_type}.header+xml"/>'
            f'<Override PartName="/word/header2.xml" ContentType="{main_type}.header+xml"/>'
            f'<Override PartName="/word/footer1.xml" ContentType="{main_type}.footer+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>CV Lisa Hendriks</dc:title></cp:coreProperties>"
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/header" Target="header1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/header" Target="header2.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/footer" Target="footer1.xml"/>'
            f'<Relationship Id="rId10" Type="{rel}/hyperlink" '
            'Target="https://www.linkedin.com/in/lisa-hendriks-vpk" TargetMode="External"/>'
            "</Relationships>"
        ),
        "word/document.xml": cv_verpleegkundige_document_xml(),
        # Word writes the first-page header as its own part even when it says the same.
        "word/header1.xml": part("hdr", CV_VERPLEEGKUNDIGE_HEADER),
        "word/header2.xml": part("hdr", CV_VERPLEEGKUNDIGE_HEADER),
        "word/footer1.xml": part("ftr", CV_VERPLEEGKUNDIGE_FOOTER),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(_zip_info(name), text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def _normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed timestamps so regenerating it gives the same bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(_zip_info(name), data)
    path.write_bytes(buffer.getvalue())


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_feeds() -> None:
    flat = [flat_vacancy(vacancy) for vacancy in FEED_VACANCIES]
    (OUT / "vacatures.json").write_text(
        json.dumps(flat, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (OUT / "vacatures.jsonl").write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in flat), encoding="utf-8"
    )
    graph = [job_posting(vacancy) for vacancy in FEED_VACANCIES]
    graph.insert(7, JSONLD_ORGANIZATION)
    (OUT / "vacatures.jsonld").write_text(
        json.dumps(
            {"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    with (OUT / "vacatures.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(flat[0]))
        writer.writeheader()
        writer.writerows(flat)
    (OUT / "vacatures.xml").write_text(vacancies_xml(), encoding="utf-8")


def vacancies_xml() -> str:
    records = []
    for vacancy in FEED_VACANCIES:
        vid, title, employer, city, region, date, hours, *_ = vacancy
        records.append(
            f'  <vacancy id="{vid}">\n'
            f"    <title>{escape(title)}</title>\n"
            f"    <employer>{escape(employer)}</employer>\n"
            f"    <date_posted>{date}</date_posted>\n"
            f"    <location><city>{escape(city)}</city><region>{escape(region)}</region>"
            f"</location>\n"
            f"    <hours>{hours}</hours>\n"
            f"    <description><![CDATA[{vacancy_description_html(vacancy)}]]></description>\n"
            f"  </vacancy>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<vacancies source="werk.example" exported="2026-02-10">\n'
        + "".join(records)
        + "</vacancies>\n"
    )


def write_bad_inputs() -> None:
    # Corrupt PDF: a real PDF cut off after its first kilobyte, as a failed download is.
    full = (OUT / "cv_monteur_elektrotechniek.pdf").read_bytes()
    (OUT / "bad_truncated.pdf").write_bytes(full[:1024])
    # An RTF letter renamed to .docx (Word opens it, python-docx cannot).
    (OUT / "bad_not_a_zip.docx").write_bytes(
        b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Calibri;}}\\f0\\fs22 Sollicitatiebrief "
        b"Kevin van den Berg\\par Geachte heer, mevrouw,\\par}\n"
    )
    write_zip_bomb(OUT / "bad_zip_bomb.docx")
    (OUT / "bad_binary_junk.txt").write_bytes(random.Random(2024).randbytes(2048))
    (OUT / "bad_empty.txt").write_bytes(b"")
    (OUT / "bad_whitespace.txt").write_bytes(b"   \n\t\n  \r\n\n      \n")
    # Dutch text in EBCDIC (cp500), as an old mainframe export: not UTF-8/16 or cp1252.
    (OUT / "bad_unknown_encoding.txt").write_bytes(CV_MONTEUR_TXT[:1200].encode("cp500"))
    write_bad_feeds()


def write_zip_bomb(path: Path) -> None:
    """A tiny .docx whose media entry inflates 5 MB of zeros (~1000x): refused unread."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _zip_info("[Content_Types].xml"),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            "</Types>",
        )
        archive.writestr(_zip_info("word/document.xml"), "<w:document/>")
        archive.writestr(_zip_info("word/media/image1.bin"), bytes(5_000_000))
    path.write_bytes(buffer.getvalue())


def write_bad_feeds() -> None:
    lines = [
        json.dumps(flat_vacancy(vacancy), ensure_ascii=False) for vacancy in FEED_VACANCIES[:5]
    ]
    lines[2] = lines[2][: len(lines[2]) // 2]  # line 3: cut off mid-record
    (OUT / "bad_feed_row.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # Dutch Excel export: semicolons, Dutch headers, dd-mm-yyyy dates; row 3 lacks fields.
    header = [
        "Vacature-ID",
        "Functietitel",
        "Werkgever",
        "Publicatiedatum",
        "Regio",
        "Omschrijving",
    ]
    rows = []
    for vacancy in FEED_VACANCIES[:5]:
        vid, title, employer, _city, region, date, *_ = vacancy
        year, month, day = date.split("-")
        rows.append([vid, title, employer, f"{day}-{month}-{year}", region, vacancy[7]])
    rows[2] = rows[2][:3]
    with (OUT / "bad_feed_row.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)

    (OUT / "bad_feed_doctype.xml").write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE vacancies [\n  <!ENTITY lol "lol">\n'
        '  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<vacancies>\n  <vacancy><title>Heftruckchauffeur &lol2;</title>"
        "<description>&lol2;</description></vacancy>\n</vacancies>\n",
        encoding="utf-8",
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_text_fixtures()
    write_two_column_pdf(OUT / "cv_heftruckchauffeur_2kolom.pdf")
    write_single_column_pdf(
        OUT / "cv_monteur_elektrotechniek.pdf", CV_MONTEUR_TXT, "CV Jeroen Bakker"
    )
    write_right_aligned_dates_pdf(OUT / "cv_heftruckchauffeur_datums_rechts.pdf")
    write_running_heads_pdf(OUT / "cv_monteur_kop_voettekst.pdf")
    write_two_column_name_pdf(OUT / "cv_servicemonteur_2kolom_naam.pdf")
    write_sidebar_footer_pdf(OUT / "cv_lasser_zijbalk_voettekst.pdf")
    write_period_table_pdf(OUT / "cv_boekhouder_periodes_links.pdf")
    write_hyphenated_pdf(OUT / "vacature_calculator_afgebroken.pdf")
    write_docx(OUT / "cv_boekhouder.docx")
    write_template_docx(OUT / "cv_verpleegkundige_sjabloon.docx")
    write_scanned_pdf(OUT / "bad_scanned.pdf")
    write_encrypted_pdf(OUT / "cv_monteur_elektrotechniek.pdf", OUT / "bad_encrypted.pdf")
    write_feeds()
    write_bad_inputs()
    total = sum(path.stat().st_size for path in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1000:.0f} kB, to {OUT}")


if __name__ == "__main__":
    main()
