"""A synthetic Dutch vacancy feed with known, injected skill trends (test and demo data).

    for vacancy in generate_feed(5_000, seed=7):
        vacancy.feed_record()        # dict for a JSON Lines feed (what read_feed reads)
        vacancy.extraction_record()  # the VacancyRecord a perfect extractor would write

Vacancies for eight occupations in eight provinces over three years (2022-2024 by default) are
written from templates: a title, an intro, "Wat ga je doen?" / "Wat vragen wij?" bullets with
skill phrases that the Vaardig extractor links to known ESCO skills, and "Wat bieden wij?".
Each skill appears with a probability per occupation; :data:`DEFAULT_TRENDS` makes some of them
change over time (log-linear in the share, so a constant growth factor per year), all others are
flat. A share of the vacancies is posted again on another board with small edits (the
near-duplicates batch processing must drop).
"""

from __future__ import annotations

import json
import math
import os
import random
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from extractor.batch import VacancyRecord

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"


@dataclass(frozen=True)
class SkillPhrase:
    """A skill with the Dutch bullet texts that name it; ``uri`` is what the extractor links
    them to (checked in tests/test_trends_synthetic.py against the real extractor)."""

    uri: str
    phrases: tuple[str, ...]


def _skill(uuid: str, *phrases: str) -> SkillPhrase:
    return SkillPhrase(ESCO_SKILL + uuid, phrases)


SKILLS: dict[str, SkillPhrase] = {
    # installation and electrical work
    "warmtepompen": _skill(
        "00735755-adc6-4ea0-b034-b8caff339c9f",
        "Warmtepompen installeren en in bedrijf stellen",
        "Warmtepompen installeren bij particulieren",
    ),
    "verwarmingsketels": _skill(
        "592188c6-7212-47bb-ba58-f9361026addc",
        "Verwarmingsketels installeren",
        "Verwarmingsketels installeren en vervangen",
    ),
    "zonnepanelen": _skill("08a5f6dd-d3dd-4371-9919-6d730f34499c", "Zonnepanelen installeren"),
    "ventilatie": _skill("539edd73-5c9b-4498-96f2-68a9cd2e6073", "Ventilatiesystemen installeren"),
    "tekeningen": _skill("b07daddc-8625-4360-946e-ad2b0e56ebf6", "Technische tekeningen lezen"),
    "solderen": _skill("f30a7ea4-77dd-452c-8a2d-b06c12606a7f", "Leidingen solderen"),
    "storingen": _skill(
        "1de6b87b-2c7d-49aa-bcc0-3b2ef75f064f", "Storingen aan apparatuur oplossen"
    ),
    "vca": _skill("198b614d-a9af-46f5-b3fd-2672b401dd8e", "VCA basis"),
    "klantgericht": _skill("5b0f2198-7246-4256-a902-4d9ce1260c80", "Klantgericht werken"),
    "rijbewijs": _skill("2a82241a-216e-44d8-bb50-6b9a0ef82084", "Rijbewijs B"),
    "airco": _skill("b49036dd-059b-40d5-8ae9-0b1a6a64f668", "Airconditioning installeren"),
    "elektrisch": _skill(
        "52797dce-911c-4e6d-b0cb-491f6469014f", "Elektrische installaties aansluiten"
    ),
    "regeltechniek": _skill("bf1f763e-c505-46e7-8af3-e48f13ec5f44", "Meet- en regeltechniek"),
    "nen3140": _skill("970af2f2-9a19-41a0-b42b-b1f36b083d28", "NEN 3140"),
    "schemas": _skill("ed291aa0-8b2f-4179-b2f7-540ea6f63bf3", "Elektrische schema's lezen"),
    "verlichting": _skill("6f8d750e-aba4-459c-b4d7-220bddff9f58", "Verlichting installeren"),
    # care
    "medicatie": _skill("1fd57242-267e-46df-bd8c-849fdd593a50", "Medicatie toedienen"),
    "wondverzorging": _skill("1c6736c2-77de-419c-9b84-8932e15abc21", "Wondverzorging"),
    "samenwerken": _skill(
        "082967d4-b94c-4305-aa13-35a6aa8c5c7c", "Samenwerken in een multidisciplinair team"
    ),
    "empathie": _skill("77b636e8-fab3-41a8-8022-1e0a354059dc", "Empathisch vermogen"),
    "vitale": _skill("60f826be-0c1b-413b-aad5-4f7546622e16", "Vitale functies meten"),
    "big": _skill("9fcf9918-fdef-49c3-aedc-518eb1e7e1f5", "BIG-registratie"),
    "nederlands": _skill("c44b765b-76fb-4a16-be7e-9925beee072c", "Nederlands spreken"),
    # finance and office
    "boekhoudsystemen": _skill(
        "a0d79341-8398-4019-ad1b-27888ec35aaa", "Boekhoudsystemen gebruiken zoals Exact"
    ),
    "btw": _skill("22a173f5-868c-4d82-87e6-beed500ce070", "Btw-aangifte voorbereiden"),
    "salaris": _skill("9d916d7c-89b3-4084-a6d9-e2b0b3091404", "Salarisadministratie"),
    "excel": _skill("1973c966-f236-40c9-b2d4-5d71a89019be", "Werken met Excel"),
    "jaarrekening": _skill("60f51172-37c0-4933-a27a-cbf55dcd7580", "Jaarrekening opstellen"),
    "crediteuren": _skill("648782e0-b5e5-4e59-bed0-627aa8ac29f0", "Crediteurenadministratie"),
    "debiteuren": _skill("68b51538-b056-4cb3-bb15-ab8c3e576cc9", "Debiteurenbeheer"),
    "nauwkeurig": _skill("83e6510b-ffeb-4aec-959c-4265fd0ff7b7", "Nauwkeurig werken"),
    "data_analyse": _skill("2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f", "Data-analyse"),
    "ai": _skill(
        "e465a154-93f7-4973-9ce1-31659fe16dd2",
        "Kunstmatige intelligentie toepassen",
        "Kunstmatige intelligentie",
    ),
    "archiveren": _skill("3d427a49-4f85-42cd-8a92-62d4a34f41a1", "Documenten archiveren"),
    "office": _skill("cf310cff-0d28-4dbc-9dbb-cc500a3196c2", "Microsoft Office"),
    "digitale_documenten": _skill(
        "b769f524-0f25-44d7-8538-5c46710a040e", "Digitale documenten beheren"
    ),
    "communicatie": _skill("7ff2c668-0e86-418a-a962-4958262ee337", "Communicatieve vaardigheden"),
    "plannen": _skill("e49f4158-9d4c-425d-bf32-dfe89b19840a", "Plannen en organiseren"),
    # logistics
    "orderpicken": _skill(
        "ee5e2297-39cc-4ed6-89e5-d58016118a7f", "Orderpicken met een handscanner"
    ),
    "heftruck": _skill("28cb374e-6261-4133-8371-f9a5470145da", "Heftruck rijden"),
    "laden_lossen": _skill(
        "c80b2f08-ab07-4632-be78-68c6ec1f3b41", "Laden en lossen van vrachtwagens"
    ),
    "voorraad": _skill("ab6265f2-a9bf-49e8-a9a5-67cbab4de38b", "Voorraadbeheer"),
    "verpakken": _skill("667cbbaf-f377-46d8-8f2d-1f6d8a55d74a", "Goederen verpakken"),
    # software
    "python": _skill("ccd0a1d9-afda-43d9-b901-96344886e14d", "Programmeren in Python"),
    "java": _skill("19a8293b-8e95-4de3-983f-77484079c389", "Java"),
    "sql": _skill("598de5b0-5b58-4ea7-8058-a4bc4d18c742", "SQL databases"),
    "scrum": _skill("bec4359e-cb92-468f-a997-8fb28e32fba9", "Werken volgens Scrum"),
    "git": _skill("9d2e926f-53d9-41f5-98f3-19dfaa687f3f", "Git versiebeheer"),
    "cloud": _skill("6b643893-0a1f-4f6c-83a1-e7eef75849b9", "Cloud computing met Azure"),
    "machine_learning": _skill(
        "3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43", "Machine learning modellen bouwen"
    ),
    "testen": _skill("ce354460-500e-4eaa-8e95-8f243fcea3db", "Software testen"),
    "engels": _skill("6d3edede-8951-4621-a835-e04323300fa0", "Engels"),
}


@dataclass(frozen=True)
class OccupationProfile:
    """An occupation of the synthetic feed: titles, ESCO occupation, sector and skill mix.

    ``skills``: (skill key, probability that a vacancy asks for it) before any trend.
    ``weight``: relative share of the vacancies.
    """

    key: str
    titles: tuple[str, ...]
    uri: str
    isco_group: str
    sector: str
    weight: float
    skills: tuple[tuple[str, float], ...]


OCCUPATIONS: tuple[OccupationProfile, ...] = (
    OccupationProfile(
        "verwarmingsmonteur",
        ("Monteur installatietechniek", "Servicemonteur verwarming", "Installatiemonteur W"),
        ESCO_OCCUPATION + "7259dc48-004a-4ceb-aa4e-5bbd548c2397",
        "7126",
        "Techniek",
        0.18,
        (
            ("warmtepompen", 0.2),
            ("verwarmingsketels", 0.4),
            ("zonnepanelen", 0.15),
            ("ventilatie", 0.3),
            ("tekeningen", 0.4),
            ("solderen", 0.35),
            ("storingen", 0.5),
            ("vca", 0.5),
            ("klantgericht", 0.4),
            ("rijbewijs", 0.5),
            ("airco", 0.2),
        ),
    ),
    OccupationProfile(
        "elektromonteur",
        ("Elektromonteur", "Monteur elektrotechniek", "Elektrotechnisch monteur"),
        ESCO_OCCUPATION + "4910419f-b4af-4f59-b544-9dbebc8a74f0",
        "7411",
        "Techniek",
        0.12,
        (
            ("elektrisch", 0.7),
            ("warmtepompen", 0.1),
            ("zonnepanelen", 0.25),
            ("regeltechniek", 0.3),
            ("nen3140", 0.5),
            ("schemas", 0.4),
            ("verlichting", 0.3),
            ("storingen", 0.4),
            ("vca", 0.5),
            ("rijbewijs", 0.4),
        ),
    ),
    OccupationProfile(
        "verpleegkundige",
        ("Verpleegkundige", "Verpleegkundige ouderenzorg", "Wijkverpleegkundige"),
        ESCO_OCCUPATION + "18e14e61-495b-44cc-a7c6-df4c625934ba",
        "2221",
        "Zorg",
        0.15,
        (
            ("medicatie", 0.6),
            ("wondverzorging", 0.5),
            ("samenwerken", 0.5),
            ("empathie", 0.5),
            ("vitale", 0.4),
            ("big", 0.5),
            ("nederlands", 0.3),
        ),
    ),
    OccupationProfile(
        "boekhouder",
        ("Boekhouder", "Financieel medewerker", "Boekhoudkundig medewerker"),
        ESCO_OCCUPATION + "c3aae59e-1441-4b3e-bdd1-6da50dc7cf42",
        "3313",
        "Financieel",
        0.10,
        (
            ("boekhoudsystemen", 0.6),
            ("btw", 0.4),
            ("salaris", 0.3),
            ("excel", 0.5),
            ("jaarrekening", 0.3),
            ("crediteuren", 0.4),
            ("debiteuren", 0.3),
            ("nauwkeurig", 0.4),
            ("data_analyse", 0.05),
            ("ai", 0.03),
        ),
    ),
    OccupationProfile(
        "administratief_medewerker",
        ("Administratief medewerker", "Medewerker administratie", "Office medewerker"),
        ESCO_OCCUPATION + "044d78cc-f62f-4532-83a5-8e04f2889652",
        "3343",
        "Administratief",
        0.12,
        (
            ("archiveren", 0.5),
            ("office", 0.6),
            ("digitale_documenten", 0.4),
            ("excel", 0.4),
            ("communicatie", 0.4),
            ("plannen", 0.3),
            ("nauwkeurig", 0.3),
            ("data_analyse", 0.05),
            ("ai", 0.03),
        ),
    ),
    OccupationProfile(
        "magazijnmedewerker",
        ("Magazijnmedewerker", "Logistiek medewerker magazijn", "Medewerker expeditie"),
        ESCO_OCCUPATION + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f",
        "9333",
        "Logistiek",
        0.15,
        (
            ("orderpicken", 0.6),
            ("heftruck", 0.5),
            ("laden_lossen", 0.5),
            ("voorraad", 0.4),
            ("verpakken", 0.4),
            ("vca", 0.3),
        ),
    ),
    OccupationProfile(
        "software_ontwikkelaar",
        ("Software ontwikkelaar", "Softwareontwikkelaar", "Applicatieontwikkelaar"),
        ESCO_OCCUPATION + "f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "2512",
        "ICT",
        0.08,
        (
            ("python", 0.5),
            ("java", 0.3),
            ("sql", 0.4),
            ("scrum", 0.4),
            ("git", 0.4),
            ("cloud", 0.3),
            ("machine_learning", 0.1),
            ("ai", 0.05),
            ("testen", 0.3),
            ("engels", 0.4),
        ),
    ),
    OccupationProfile(
        "vrachtwagenchauffeur",
        ("Vrachtwagenchauffeur", "Chauffeur C/CE", "Vrachtwagenchauffeur nationaal"),
        ESCO_OCCUPATION + "45037d43-a8f5-4f46-b332-b2935bc305f4",
        "8332",
        "Logistiek",
        0.10,
        (("rijbewijs", 0.8), ("laden_lossen", 0.6), ("plannen", 0.3), ("klantgericht", 0.4)),
    ),
)


@dataclass(frozen=True)
class InjectedTrend:
    """A skill whose share in some occupations (and regions) changes over the feed's period.

    The share moves log-linearly from ``start_share`` (first day) to ``end_share`` (last day),
    i.e. by a constant factor per year. Empty ``regions`` means all regions.
    """

    skill: str
    occupations: tuple[str, ...]
    start_share: float
    end_share: float
    regions: tuple[str, ...] = ()

    def share(self, fraction: float) -> float:
        """The share at ``fraction`` (0 = start, 1 = end) of the period."""
        return self.start_share * (self.end_share / self.start_share) ** fraction


TECHNICAL = ("verwarmingsmonteur", "elektromonteur")
OFFICE = ("boekhouder", "administratief_medewerker")

DEFAULT_TRENDS: tuple[InjectedTrend, ...] = (
    # the energy transition: heat pumps replace gas boilers
    InjectedTrend("warmtepompen", TECHNICAL, 0.10, 0.55),
    InjectedTrend("verwarmingsketels", ("verwarmingsmonteur",), 0.50, 0.15),
    InjectedTrend("zonnepanelen", TECHNICAL, 0.10, 0.50, regions=("Groningen",)),
    # data and AI in office roles and software
    InjectedTrend("data_analyse", OFFICE, 0.05, 0.35),
    InjectedTrend("ai", (*OFFICE, "software_ontwikkelaar"), 0.03, 0.25),
    InjectedTrend("machine_learning", ("software_ontwikkelaar",), 0.10, 0.40),
    # paper archives give way to digital documents
    InjectedTrend("archiveren", ("administratief_medewerker",), 0.50, 0.20),
)

REGIONS: dict[str, tuple[float, tuple[str, ...]]] = {
    "Noord-Brabant": (0.16, ("Eindhoven", "Tilburg", "Breda", "'s-Hertogenbosch")),
    "Gelderland": (0.14, ("Arnhem", "Nijmegen", "Apeldoorn", "Ede")),
    "Utrecht": (0.12, ("Utrecht", "Amersfoort", "Veenendaal")),
    "Zuid-Holland": (0.20, ("Rotterdam", "Den Haag", "Leiden", "Dordrecht")),
    "Noord-Holland": (0.18, ("Amsterdam", "Haarlem", "Alkmaar", "Zaandam")),
    "Groningen": (0.06, ("Groningen", "Veendam", "Delfzijl")),
    "Limburg": (0.07, ("Maastricht", "Venlo", "Heerlen")),
    "Overijssel": (0.07, ("Zwolle", "Enschede", "Deventer")),
}

BOARDS = ("VacatureBank", "WerkPlein", "BanenNet", "RegioJobs")

_FAMILY = (
    "Van den Berg",
    "De Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
)
_EMPLOYER_KIND = {
    "Techniek": ("Installatietechniek", "Installatiebedrijf", "Elektrotechniek", "Techniek"),
    "Zorg": ("Zorggroep", "Thuiszorg", "Woonzorgcentrum", "Zorgcentrum"),
    "Financieel": ("Accountants", "Administratiekantoor", "Financiële Diensten", "Groep"),
    "Administratief": ("Groep", "Diensten", "Vastgoed", "Kantoorservice"),
    "Logistiek": ("Logistiek", "Transport", "Distributie", "Warehousing"),
    "ICT": ("Software", "IT Solutions", "Digital", "Data"),
}
_INTROS = (
    "{employer} in {city} zoekt een enthousiaste {job} voor {hours} uur per week.",
    "Voor onze vestiging in {city} zijn wij op zoek naar een {job} ({hours} uur per week).",
    "Ben jij de {job} die ons team in {city} komt versterken? {employer} groeit en zoekt "
    "nieuwe collega's voor {hours} uur per week.",
    "Bij {employer} werk je aan uiteenlopende opdrachten in de regio {city}. Wij zoeken een "
    "{job} voor {hours} uur per week.",
    "Kom werken als {job} bij {employer} in {city}! Het gaat om een baan van {hours} uur per week.",
)
_EDUCATION = (
    "Een afgeronde mbo-opleiding niveau 3 of 4",
    "Hbo werk- en denkniveau",
    "Minimaal twee jaar werkervaring in een vergelijkbare functie",
    "Je bent flexibel en zelfstandig",
)
_ABOUT = {
    "Techniek": (
        "Wij verzorgen installaties voor woningbouw en utiliteit in de regio {city}.",
        "Onze monteurs werken aan duurzame oplossingen voor particulieren en bedrijven.",
        "Wij zijn gespecialiseerd in onderhoud en service voor woningcorporaties.",
    ),
    "Zorg": (
        "Wij bieden zorg aan ouderen op {sites} locaties in en rond {city}.",
        "Onze teams ondersteunen cliënten thuis en in de wijk.",
        "Wij werken kleinschalig, dicht bij de cliënt en zijn familie.",
    ),
    "Financieel": (
        "Wij verzorgen de administratie van ruim {clients} ondernemers in {city} en omgeving.",
        "Onze klanten zijn vooral familiebedrijven in de bouw, de handel en de horeca.",
        "Wij adviseren mkb-bedrijven over hun cijfers en hun groei.",
    ),
    "Administratief": (
        "Ons kantoor in {city} ondersteunt {clients} klanten bij hun dagelijkse zaken.",
        "Wij zijn een informele organisatie met korte lijnen.",
        "Het team bestaat uit collega's met uiteenlopende achtergronden.",
    ),
    "Logistiek": (
        "Vanuit ons distributiecentrum in {city} beleveren wij winkels in heel Nederland.",
        "Wij verzorgen opslag en transport voor {clients} opdrachtgevers.",
        "Ons wagenpark telt {sites} vrachtwagens en groeit nog elk jaar.",
    ),
    "ICT": (
        "Wij bouwen maatwerksoftware voor {clients} klanten in zorg, onderwijs en overheid.",
        "Ons team werkt vanuit {city} en deels op afstand.",
        "Wij ontwikkelen en beheren webapplicaties voor het mkb.",
    ),
}
_FIRST_NAMES = (
    "Anouk",
    "Bas",
    "Daan",
    "Eva",
    "Fleur",
    "Hans",
    "Inge",
    "Joost",
    "Karin",
    "Lotte",
    "Mark",
    "Noor",
    "Pieter",
    "Ria",
    "Sanne",
    "Tim",
    "Wendy",
    "Youssef",
)
_OFFERS = (
    "Een salaris tussen € {low} en € {high} bruto per maand",
    "Een vast contract na een proeftijd van twee maanden",
    "Reiskostenvergoeding",
    "Een persoonlijk opleidingsbudget",
    "25 vakantiedagen en een dertiende maand",
    "Een goede pensioenregeling",
    "Een fiets van de zaak",
    "Ruimte voor eigen initiatief",
    "Een bonus als het goed gaat met het bedrijf",
)


@dataclass(frozen=True)
class SyntheticVacancy:
    """One generated posting; ``duplicate_of`` is the id of the posting it re-posts."""

    id: str
    board: str
    date: date
    region: str
    city: str
    employer: str
    occupation: OccupationProfile
    title: str
    skills: tuple[str, ...]
    text: str
    duplicate_of: str | None = None

    def feed_record(self) -> dict[str, object]:
        """The posting as a feed record (field names ``read_feed`` understands)."""
        description = self.text.split("\n\n", 1)[1]
        return {
            "id": self.id,
            "title": self.title,
            "employer": self.employer,
            "date_posted": self.date.isoformat(),
            "region": self.region,
            "location": self.city,
            "category": self.occupation.sector,
            "board": self.board,
            "duplicate_of": self.duplicate_of,
            "description": description,
        }

    def extraction_record(self, confidence: float = 0.95) -> VacancyRecord:
        """The record a perfect extractor would write: the injected skills, the occupation."""
        return VacancyRecord(
            id=self.id,
            source=f"synthetic#{self.id}",
            date=self.date.isoformat(),
            region=self.region,
            category=self.occupation.sector,
            title=self.title,
            occupation=self.occupation.uri,
            isco_group=self.occupation.isco_group,
            skills=tuple((SKILLS[k].uri, confidence, "exact") for k in self.skills),
        )


@dataclass
class _Repost:
    due: int
    vacancy: SyntheticVacancy


@dataclass
class _Spec:
    """Parameters of :func:`generate_feed`."""

    n: int
    seed: int = 7
    start: date = date(2022, 1, 1)
    end: date = date(2024, 12, 31)
    trends: Sequence[InjectedTrend] = DEFAULT_TRENDS
    duplicate_rate: float = 0.08
    occupations: Sequence[OccupationProfile] = OCCUPATIONS
    regions: dict[str, tuple[float, tuple[str, ...]]] = field(default_factory=lambda: REGIONS)


def generate_feed(
    n: int,
    seed: int = 7,
    start: date = date(2022, 1, 1),
    end: date = date(2024, 12, 31),
    trends: Sequence[InjectedTrend] = DEFAULT_TRENDS,
    duplicate_rate: float = 0.08,
) -> Iterator[SyntheticVacancy]:
    """Stream ``n`` distinct vacancies (dates ascending, ``start``..``end``) plus re-posts.

    About ``duplicate_rate`` × n re-posts follow their original within a few postings, on
    another board, up to 14 days later, with small edits (hours, a footer, a dropped offer
    line). Memory is constant in ``n``; the same arguments give the same feed.

    Raises:
        ValueError: ``n`` < 1, ``end`` before ``start``, or a trend names an unknown skill.
    """
    yield from _generate(_Spec(n, seed, start, end, trends, duplicate_rate))


def _generate(spec: _Spec) -> Iterator[SyntheticVacancy]:
    if spec.n < 1:
        raise ValueError(f"n must be at least 1, got {spec.n}")
    if spec.end < spec.start:
        raise ValueError(f"end ({spec.end}) is before start ({spec.start})")
    for trend in spec.trends:
        if trend.skill not in SKILLS:
            raise ValueError(f"trend on unknown skill {trend.skill!r}; known: {sorted(SKILLS)}")
    rng = random.Random(spec.seed)
    span = (spec.end - spec.start).days
    occupations = list(spec.occupations)
    occ_weights = [o.weight for o in occupations]
    regions = list(spec.regions)
    region_weights = [spec.regions[r][0] for r in regions]
    reposts: deque[_Repost] = deque()
    for i in range(spec.n):
        while reposts and reposts[0].due <= i:
            yield reposts.popleft().vacancy
        day = spec.start + timedelta(days=min(span, int(i * (span + 1) / spec.n)))
        fraction = (day - spec.start).days / span if span else 0.0
        occupation = rng.choices(occupations, occ_weights)[0]
        region = rng.choices(regions, region_weights)[0]
        vacancy = _vacancy(rng, f"VAC-{i + 1:06d}", day, fraction, occupation, region, spec)
        yield vacancy
        if rng.random() < spec.duplicate_rate:
            repost = _repost(rng, vacancy, spec.end)
            reposts.append(_Repost(i + 1 + rng.randint(0, 8), repost))
    while reposts:
        yield reposts.popleft().vacancy


def _probability(
    skill: str, base: float, occupation: str, region: str, fraction: float, trends
) -> float:
    for trend in trends:
        if (
            trend.skill == skill
            and occupation in trend.occupations
            and (not trend.regions or region in trend.regions)
        ):
            return trend.share(fraction)
    return base


def _vacancy(rng, vacancy_id, day, fraction, occupation, region, spec) -> SyntheticVacancy:
    skills = [
        key
        for key, base in occupation.skills
        if rng.random() < _probability(key, base, occupation.key, region, fraction, spec.trends)
    ]
    if not skills:  # every vacancy asks for something: the occupation's most common skill
        skills = [max(occupation.skills, key=lambda kv: kv[1])[0]]
    city = rng.choice(spec.regions[region][1])
    employer = (
        f"{rng.choice(_FAMILY)} {rng.choice(_EMPLOYER_KIND[occupation.sector])} "
        f"{rng.choice(('B.V.', 'B.V.', 'N.V.', ''))}"
    ).strip()
    title = rng.choice(occupation.titles)
    text = _render(rng, title, employer, city, skills, occupation.sector)
    return SyntheticVacancy(
        id=vacancy_id,
        board=rng.choice(BOARDS),
        date=day,
        region=region,
        city=city,
        employer=employer,
        occupation=occupation,
        title=title,
        skills=tuple(skills),
        text=text,
    )


def _render(rng, title: str, employer: str, city: str, skills: list[str], sector: str) -> str:
    hours = rng.choice((24, 32, 36, 38, 40))
    low = rng.randrange(2400, 3600, 100)
    job = title[0].lower() + title[1:] if not title[:2].isupper() else title
    intro = rng.choice(_INTROS).format(employer=employer, city=city, job=job, hours=hours)
    about = (
        f"{employer} is opgericht in {rng.randint(1950, 2020)} en heeft "
        f"{rng.randint(6, 240)} medewerkers. "
        + " ".join(rng.sample(_ABOUT[sector], 2)).format(
            city=city, sites=rng.randint(2, 30), clients=rng.randint(40, 900)
        )
    )
    order = list(skills)
    rng.shuffle(order)
    cut = max(1, len(order) // 2)
    tasks = [rng.choice(SKILLS[k].phrases) for k in order[:cut]]
    asks = [rng.choice(SKILLS[k].phrases) for k in order[cut:]]
    asks += rng.sample(_EDUCATION, 2)
    offers = [
        o.format(low=f"{low:,}".replace(",", "."), high=f"{low + 800:,}".replace(",", "."))
        for o in rng.sample(_OFFERS, 3)
    ]
    contact = (
        f"Vragen over deze vacature? Bel {rng.choice(_FIRST_NAMES)} {rng.choice(_FAMILY)} "
        f"via 0{rng.randint(10, 79)}-{rng.randint(1000000, 9999999)}."
    )
    lines = [
        title,
        "",
        intro,
        "",
        about,
        "",
        "Wat ga je doen?",
        *(f"- {t}" for t in tasks),
        "",
        "Wat vragen wij?",
        *(f"- {a}" for a in asks),
        "",
        "Wat bieden wij?",
        *(f"- {o}" for o in offers),
        "",
        contact,
    ]
    return "\n".join(lines)


def _repost(rng, original: SyntheticVacancy, end: date) -> SyntheticVacancy:
    """The same vacancy on another board: other id and date, a footer, small edits."""
    text = original.text
    lines = text.split("\n")
    if rng.random() < 0.3 and lines[-3].startswith("- ") and lines[-4].startswith("- "):
        del lines[-3]  # one offer line fewer
    text = "\n".join(lines)
    for hours in ("24", "32", "36", "38", "40"):
        if f"{hours} uur" in text:
            text = text.replace(f"{hours} uur", f"{rng.choice(('32', '36', '38'))} uur", 1)
            break
    board = rng.choice([b for b in BOARDS if b != original.board])
    text += f"\n\nReageer via {board}."
    day = min(end, original.date + timedelta(days=rng.randint(0, 14)))
    return SyntheticVacancy(
        id=f"{board[:3].upper()}-{rng.randint(100000, 999999)}",
        board=board,
        date=day,
        region=original.region,
        city=original.city,
        employer=original.employer.removesuffix(" B.V."),
        occupation=original.occupation,
        title=original.title,
        skills=original.skills,
        text=text,
        duplicate_of=original.id,
    )


def write_feed(vacancies: Iterable[SyntheticVacancy], path: str | os.PathLike[str]) -> int:
    """Write the postings as a JSON Lines feed; returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for vacancy in vacancies:
            handle.write(json.dumps(vacancy.feed_record(), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_records(
    vacancies: Iterable[SyntheticVacancy],
    path: str | os.PathLike[str],
    include_duplicates: bool = False,
) -> int:
    """Write the perfect-extractor records (JSON Lines of :class:`VacancyRecord`), by default
    without the re-posts (as batch processing with dedupe would); returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for vacancy in vacancies:
            if vacancy.duplicate_of and not include_duplicates:
                continue
            handle.write(vacancy.extraction_record().to_json() + "\n")
            count += 1
    return count


def rising_skills(trends: Sequence[InjectedTrend] = DEFAULT_TRENDS) -> set[str]:
    """URIs of the skills the trends make rise (for tests and docs)."""
    return {SKILLS[t.skill].uri for t in trends if t.end_share > t.start_share}


def declining_skills(trends: Sequence[InjectedTrend] = DEFAULT_TRENDS) -> set[str]:
    return {SKILLS[t.skill].uri for t in trends if t.end_share < t.start_share}


def flat_skills(trends: Sequence[InjectedTrend] = DEFAULT_TRENDS) -> set[str]:
    """URIs of skills no trend touches."""
    touched = {t.skill for t in trends}
    return {SKILLS[k].uri for k in SKILLS if k not in touched}


def expected_growth(trend: InjectedTrend, years: float) -> float:
    """The injected growth factor per year of ``trend`` over a period of ``years``."""
    return math.exp(math.log(trend.end_share / trend.start_share) / years)
