"""A realistic example firm with two years of passport history, for tests, the docs and demos.

    firm = build_fixture_firm("sqlite:///firm.db")   # or a PassportStore
    firm.organisation_id, firm.employees["vdb-001"]

*Installatietechniek Van den Berg BV* (fictional): 20 employees in four teams (installatie,
klimaat, magazijn, kantoor). The firm started with Vaardig in November 2024: CVs uploaded and
confirmed by HR then; 2025 and 2026 hold what people learned (new skills added or confirmed,
with dates), vacancies filled internally or externally, two future roles, and a learning plan
with steps done, overdue, open and cancelled. Everything goes through the public store API
with explicit ``at=`` timestamps, so the database is the same on every run (ids included, on a
fresh database) and its KPIs can be counted by hand from the tables below.

Skills are real ESCO v1.1.1 skills (URI and Dutch label); a test checks they exist in the
bundled taxonomy with these labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from matcher.store import (
    LearningStore,
    PassportStore,
    PlannedStep,
    RoleSkill,
    RoleStore,
)
from matcher.store.testing import skill_claim

ORGANISATION = "Installatietechniek Van den Berg BV (voorbeeld)"
HR = "hr-fixture"  # the actor of every HR decision (no person's name)
ONBOARDING = "2024-11-04"
CONFIRM_AFTER = timedelta(days=14)  # HR went through each new CV two weeks after upload
ESCO = "http://data.europa.eu/esco/skill/"

# key: (ESCO skill id, Dutch label); the area (level-2 group) in the comment
SKILLS: dict[str, tuple[str, str]] = {
    # S8.8 installeren, onderhouden en repareren van elektrische apparatuur
    "el_install": (
        "52797dce-911c-4e6d-b0cb-491f6469014f",
        "elektrische en elektronische apparatuur installeren",
    ),
    "el_maint": ("386774ac-fe5b-431a-b485-9aec0bf5c09e", "elektrische apparatuur onderhouden"),
    "el_parts": ("87af00b5-30fa-41c8-bfa5-357f22c8d589", "defecte onderdelen vervangen"),
    "el_switch": ("c3d1ada5-1d97-4a23-be2a-9ff39296775b", "elektrische schakelaars installeren"),
    "el_lowvolt": ("fd60bbcc-c3b6-4fa5-936c-eef5ae0a2d44", "laagspanningskabels installeren"),
    "el_splice": ("4a30802f-827c-4706-9099-de85beee6cb5", "kabel splitsen"),
    "el_test": ("3f6dc31c-ceef-4e93-9d8a-b4b862cf9b51", "elektrische apparatuur testen"),
    "el_repair": ("b928ae44-b19f-49c7-a823-b09094de1063", "apparatuur ter plaatse repareren"),
    "el_comm": (
        "861cc783-6d4c-442e-9081-3a6e389be454",
        "elektronische communicatieapparatuur installeren",
    ),
    "solar_maint": ("9cf2856d-0375-4ec3-a51f-7f9c82119859", "zonne-energiesystemen onderhouden"),
    # S7.2 installeren van binnen- of buiteninfrastructuur
    "hp_install": ("00735755-adc6-4ea0-b034-b8caff339c9f", "warmtepompen installeren"),
    "vent_install": ("a6c71ced-4224-412e-9abc-75a3edc3b5fc", "ventilatie-apparatuur installeren"),
    "pipe": ("5db4eeb9-e064-474b-a9de-85cc6bbf97e4", "leidingwerk aanleggen"),
    "hvac_ducts": (
        "792789aa-6122-4dd7-be50-bcdb46f85725",
        "warmte-, ventilatie-, airconditionings- en koelingskokers installeren",
    ),
    "pvc": ("59030382-506d-454d-81cd-787586ffb840", "pvc-buizen installeren"),
    "sanitary": ("8755734c-2919-41a3-9ca6-1e3d1f169213", "sanitaire systemen installeren"),
    "insulation": ("7eea6974-d606-4175-b95e-f66554816783", "isolatiemateriaal installeren"),
    # knowledge: ingenieursopleiding
    "electricity": ("c8ac1986-38fa-43b2-89dc-50a4beeb420e", "elektriciteit"),
    "wiring_diagrams": ("d15e92c4-c8dc-48cd-a1f6-94fe13347f87", "elektrische aansluitschema’s"),
    "el_regs": (
        "2aff3316-15b8-4ca1-8ae2-270bd5fd22e1",
        "regelgeving inzake elektrische apparaten",
    ),
    "heatpumps_k": ("59998878-fa14-458a-9085-06b45e89df1b", "soorten warmtepompen"),
    "solar_k": ("05e5e14f-ffa6-4106-b311-c6335ccc2bd2", "zonne-energie"),
    "hydraulics": ("68e66ed6-a171-4350-8ec1-2cfc4cae50e4", "hydraulica"),
    "refrigerants": ("0b95eb5d-f3eb-4387-a0bb-094a394196c7", "koelmiddelen"),
    # S3.3 beschermen en handhaven
    "ppe": ("6122d586-5978-431f-8e7a-96e61fc1f3fc", "passende beschermende uitrusting dragen"),
    "safety_build": (
        "86df7af2-f9f3-4c06-a500-7f1fba9e78fe",
        "gezondheids- en veiligheidsprocedures in de bouw in acht nemen",
    ),
    "heights": (
        "fafbb75f-ec35-4cc2-996a-20c85ef6c266",
        "veiligheidsprocedures volgen bij werken op grote hoogten",
    ),
    # S2.5 meten van fysieke eigenschappen
    "measure_el": ("270de514-3206-4cf9-b122-0f148ab06fa1", "elektrische eigenschappen meten"),
    "meas_tools": ("b92758d4-4591-4df1-9ceb-f907aa71ebd9", "meetinstrumenten gebruiken"),
    # S6.7 gebruikmaken van handgereedschap
    "power_tools": ("5bf7f85a-b080-4b27-8ddc-9f62af4643f5", "elektrisch gereedschap gebruiken"),
    "drill": ("db99d662-4230-49b3-a9e9-b0043a70c3c3", "boorapparatuur bedienen"),
    # S4.2 organiseren en plannen
    "project_mgmt": ("cd5efa8c-e44d-4cbc-91c6-796018dbed68", "projectbeheer uitvoeren"),
    "aftersales_plan": ("efc1d46f-39ab-4c73-ade6-0a99a90dbeba", "aftersales afspraken plannen"),
    "supervise_work": ("b1fd9eda-3d2e-48ef-9c1d-0ba318e3c7e6", "toezicht houden op werkzaamheden"),
    "lead_staff": ("339ac029-066a-4985-9f9d-b3d7c8fea0bb", "leiding geven aan personeel"),
    "transport_plan": ("de857fbb-91a6-4a3f-8a47-93a9c1a616c8", "vervoersactiviteiten plannen"),
    # S1.2 contacten onderhouden, S1.6 verkopen, S1.5 adviseren
    "customers_comm": ("0da516ee-e70e-4384-be13-f5ff80be8127", "communiceren met klanten"),
    "customer_rel": ("2239694b-771a-4586-8b54-2794e361a9ae", "relaties met klanten onderhouden"),
    "supplier_rel": (
        "3cd35f5d-ce6d-4f14-9a09-53d7a28d834c",
        "relaties met leveranciers onderhouden",
    ),
    "customer_service": ("75dfe1ee-5935-42ce-b820-697f827825c3", "klantenservice verlenen"),
    "customer_focus": ("b7c8f418-08d5-45d6-b697-ab26c6ecbfb4", "zorgen voor klantgerichtheid"),
    "active_selling": ("c81c9ea3-4689-4146-9076-24dd175c69bc", "actief verkopen"),
    "order_goods": ("210827e3-3129-45a2-8683-70399f3f561f", "goederen bestellen"),
    "quotes": ("2206af0c-3deb-48c5-a544-b9983d347da3", "prijsaanvragen beantwoorden"),
    "advise_products": (
        "2b69525c-731c-4813-99a7-673fa5679d32",
        "klanten begeleiden bij de keuze van producten",
    ),
    # S1.11 ontwerpen, S2.7 analyseren, S2.6 berekenen: what the future roles ask
    "design_hp": ("3e37d714-4d65-416d-a138-46f7e2a98073", "warmtepompinstallaties ontwerpen"),
    "design_solar": ("50ac5186-bb18-4ffb-9f29-00636853c8ea", "zonne-energiesystemen ontwerpen"),
    "energy_mgmt": (
        "885808f7-f42b-406e-95f2-28efcd45ddda",
        "energiebeheer van installaties uitvoeren",
    ),
    "hp_feasibility": (
        "395ace35-e463-4dc7-8181-c2dd43885107",
        "een haalbaarheidsstudie naar warmtepompen uitvoeren",
    ),
    "risk_analysis": ("1dd23dba-dd00-45ab-abf4-642902538317", "risicoanalyses uitvoeren"),
    "energy_needs": ("96d901a6-c931-4e8d-b685-a47e1deaaa1b", "energiebehoeften vaststellen"),
    "sustainable_materials": (
        "303c6ab0-21c3-4b09-ac77-d405936857d9",
        "duurzame installatiematerialen",
    ),
    "solar_info": ("7832b684-580c-4eaf-a8b3-322164b041ab", "informatie geven over zonnepanelen"),
    # S8.1 mobiele installaties, S6.1 sorteren en verpakken, S6.2 verplaatsen, S2.8 controleren
    "forklift": ("28cb374e-6261-4133-8371-f9a5470145da", "heftrucks bedienen"),
    "warehouse_equip": ("078861f5-b901-48a5-951e-a3ad0a4fa0bd", "magazijnmaterialen gebruiken"),
    "hoist": ("5bb81494-2560-4018-9e4a-5544133e6af7", "takelapparatuur gebruiken"),
    "pack": ("667cbbaf-f377-46d8-8f2d-1f6d8a55d74a", "goederen verpakken"),
    "pick": ("ee5e2297-39cc-4ed6-89e5-d58016118a7f", "bestellingen selecteren voor verzending"),
    "stock_manage": ("ca55d9dd-f177-45b6-a2ee-1a4695044b76", "voorraden beheren"),
    "parcels": (
        "fd6ab598-d7b1-4cef-9e54-e8f1a725881c",
        "onderscheid maken tussen verschillende soorten pakketten",
    ),
    "packaging_mgmt": ("3fedb2c6-488f-4c78-b20d-af23d481348a", "verpakkingsmateriaal beheren"),
    "transfer_stock": ("fc0fbc9c-b24d-42fa-ae66-c9b4945b6bc0", "voorraad overbrengen"),
    "store_products": ("f675d28f-9e1f-4938-ae49-c1d07f902fed", "producten opslaan"),
    "heavy_lift": ("ab2bb44a-3956-4028-8715-8b70b1960b99", "zware gewichten tillen"),
    "fill_racks": ("7e9daad3-8604-4839-af9b-dc6f8db3ef68", "rekken vullen"),
    "stock_levels": ("44f6a65f-6be7-4818-9a66-73908797283f", "voorraadniveaus bewaken"),
    # S4.4 administratie, knowledge: bedrijfskunde
    "fin_trans": ("f7e7ccb6-fadc-4c35-935d-e1040be40dfe", "financiële transacties verwerken"),
    "invoices": ("e3e42d54-78bd-4337-aa87-bb31a7670c9a", "verkoopfacturen opstellen"),
    "admin_tasks": ("ab986bc4-df92-4351-9ac1-aa75af943cf7", "administratieve taken uitvoeren"),
    "business_docs": ("3e04e39d-9eb6-4167-ad2d-e3413f647e4e", "zakelijke documenten ordenen"),
    "purchase_orders": ("73225018-7139-433b-bdba-2b90774761d9", "aankooporders plaatsen"),
    "prof_admin": (
        "8ebb2c0a-0baa-43bf-95cf-094047c57427",
        "professionele administratie bijhouden",
    ),
    "staff_agenda": ("7ec3c77b-1955-4397-9bd3-7b7b9d0b8531", "personeelsagenda beheren"),
    "office_routine": (
        "7c3865d1-e5a9-4043-a7a4-2e9e30468c0b",
        "routineactiviteiten op kantoor uitvoeren",
    ),
    "accounting_tech": ("880c54f9-866e-4f37-b5fa-25ef8a7d49b6", "boekhoudkundige technieken"),
    "bookkeeping": ("ecc18804-a466-40d9-98b4-fba5cd67dd4b", "boekhouding"),
    "product_knowledge": ("d6d3fee7-47e2-47f4-a0ec-6c75f28c6abd", "productkennis"),
    "supply_chain": ("f929c89e-c363-4132-a918-e021d57b307c", "beheer van de leveringsketen"),
    "project_k": ("7111b95d-0ce3-441a-9d92-4c75d05c4388", "projectbeheer"),
    # S5.5/S5.6 digitaal, S4.8 toezicht, S1.9 problemen oplossen, S1.8 samenwerken
    "cad": ("b34e2ba1-9080-48c9-9b42-ee9192a4d3f1", "CAD-software gebruiken"),
    "crm": (
        "9889b795-d755-41b2-8afd-2e3c87a65a38",
        "software voor het beheer van klantrelaties gebruiken",
    ),
    "spreadsheets": (
        "1973c966-f236-40c9-b2d4-5d71a89019be",
        "software voor spreadsheets gebruiken",
    ),
    "wordproc": ("81633a44-f1db-4a01-a940-804c6905e330", "tekstverwerkingssoftware gebruiken"),
    "supervise_staff": ("9601b2a8-68e4-4906-9306-a23679b8f0b0", "toezicht houden op personeel"),
    "solve_problems": ("334e3e49-fb02-4051-809a-f06adfdc1c40", "problemen oplossen"),
    "fix_faults": ("1de6b87b-2c7d-49aa-bcc0-3b2ef75f064f", "storingen aan apparatuur oplossen"),
    "colleagues": ("082967d4-b94c-4305-aa13-35a6aa8c5c7c", "samenwerken met collega’s"),
    "build_team": ("4fa2d6ba-4fff-4f21-bddd-4a54ae840955", "werken in een bouwteam"),
    "customer_needs": (
        "68698869-c13c-4563-adc7-118b7644f45d",
        "behoeften van klanten identificeren",
    ),
    "complaints": ("28d715e3-3e5b-4fb6-8dd2-4be4919c8587", "klachten van klanten afhandelen"),
    "maintenance_records": (
        "182915aa-3470-433a-9b12-347511befcde",
        "gegevens van onderhoudsinterventies bijhouden",
    ),
}


def skill_uri(key: str) -> str:
    return ESCO + SKILLS[key][0]


@dataclass(frozen=True)
class Person:
    """One employee: CV skills (confirmed ``CONFIRM_AFTER`` the upload, except ``suggested``
    and ``rejected`` ones) and skills learned later (confirmed on that date), all with a level."""

    external_id: str
    name: str
    team: str
    cv: tuple[tuple[str, int], ...]
    learned: tuple[tuple[str, str, int], ...] = ()  # (ISO date, skill key, level)
    hired: str = ONBOARDING
    suggested: tuple[str, ...] = ()  # in the CV, never confirmed (or confirmed in EVENTS)
    rejected: tuple[str, ...] = ()


# fmt: off
PEOPLE = (
    # -- installatie (elektrotechniek en zonnepanelen) ------------------------------------------
    Person(
        "vdb-001",
        "Sanne Jansen",
        "installatie",
        cv=(
            ("el_install", 4), ("el_maint", 4), ("el_switch", 4), ("el_lowvolt", 3),
            ("el_test", 4), ("el_repair", 3), ("fix_faults", 3), ("electricity", 4),
            ("wiring_diagrams", 3), ("safety_build", 3), ("heights", 3), ("measure_el", 3),
            ("power_tools", 3), ("project_mgmt", 3), ("customers_comm", 3), ("build_team", 3),
        ),
        learned=(("2025-04-14", "supervise_staff", 3), ("2026-06-08", "design_solar", 2)),
    ),
    Person(
        "vdb-002",
        "Mohamed El Amrani",
        "installatie",
        cv=(
            ("el_install", 4), ("el_maint", 3), ("el_switch", 3), ("el_lowvolt", 4),
            ("el_splice", 4), ("el_comm", 3), ("electricity", 3), ("power_tools", 3),
        ),
        learned=(("2025-11-10", "el_regs", 3), ("2026-09-14", "el_test", 4)),
    ),
    Person(
        "vdb-003",
        "Lotte Bakker",
        "installatie",
        cv=(
            ("el_install", 3), ("solar_maint", 3), ("el_maint", 3), ("el_test", 3),
            ("el_lowvolt", 3), ("heights", 4), ("ppe", 3), ("solar_k", 3),
            ("customers_comm", 3), ("solar_info", 3), ("colleagues", 3),
        ),
        learned=(("2025-06-16", "advise_products", 3),),
    ),
    Person(
        "vdb-004",
        "Daan Visser",
        "installatie",
        hired="2025-09-01",
        cv=(("el_install", 2), ("power_tools", 2), ("ppe", 2)),
        learned=(
            ("2026-02-09", "el_lowvolt", 2), ("2026-05-11", "el_switch", 2),
            ("2026-10-05", "measure_el", 2),
        ),
    ),
    Person(
        "vdb-005",
        "Fatima Yilmaz",
        "installatie",
        cv=(
            ("el_maint", 3), ("el_repair", 3), ("el_test", 3), ("el_install", 3),
            ("el_parts", 3), ("fix_faults", 3), ("electricity", 3),
            ("maintenance_records", 3), ("cad", 2),
        ),
        suggested=("cad",),
        learned=(
            ("2025-03-17", "customer_service", 3), ("2026-04-20", "crm", 2),
            ("2026-04-20", "hp_install", 2),
        ),
    ),
    Person(
        "vdb-006",
        "Bram de Groot",
        "installatie",
        cv=(
            ("el_install", 3), ("pipe", 3), ("drill", 3), ("power_tools", 3),
            ("safety_build", 3), ("customers_comm", 3), ("colleagues", 3),
            ("solve_problems", 3), ("stock_levels", 2),
        ),
        learned=(("2025-11-03", "vent_install", 3),),
    ),
    # -- klimaat (warmtepompen, ventilatie) -------------------------------------------------
    Person(
        "vdb-007",
        "Joost Smit",
        "klimaat",
        cv=(
            ("hp_install", 4), ("vent_install", 4), ("pipe", 4), ("hvac_ducts", 3),
            ("pvc", 3), ("insulation", 3), ("sanitary", 3), ("heatpumps_k", 4),
            ("refrigerants", 3),
        ),
        learned=(("2025-05-12", "hydraulics", 3),),
    ),
    Person(
        "vdb-008",
        "Anouk Peters",
        "klimaat",
        cv=(
            ("hp_install", 3), ("vent_install", 3), ("pipe", 3), ("hvac_ducts", 3),
            ("sanitary", 3), ("heatpumps_k", 3), ("fix_faults", 3), ("customers_comm", 3),
            ("maintenance_records", 3), ("colleagues", 3), ("meas_tools", 3),
        ),
        learned=(("2025-09-22", "el_maint", 3), ("2026-03-16", "hp_feasibility", 2)),
    ),
    Person(
        "vdb-009",
        "Kevin Hendriks",
        "klimaat",
        cv=(
            ("hp_install", 2), ("pvc", 2), ("ppe", 3), ("heavy_lift", 3), ("pipe", 2),
            ("drill", 2),
        ),
        suggested=("pipe",),  # confirmed on 2025-02-24, see EVENTS
        rejected=("drill",),
        learned=(("2026-06-15", "vent_install", 2),),
    ),
    Person(
        "vdb-010",
        "Emma van Leeuwen",
        "klimaat",
        cv=(
            ("project_mgmt", 3), ("aftersales_plan", 3), ("supervise_work", 3),
            ("customers_comm", 3), ("hvac_ducts", 2), ("heatpumps_k", 2), ("spreadsheets", 3),
            ("wordproc", 3), ("cad", 2), ("complaints", 3),
        ),
        learned=(("2025-08-25", "transport_plan", 3), ("2026-01-19", "energy_mgmt", 2)),
    ),
    Person(
        "vdb-011",
        "Ruben Mulder",
        "klimaat",
        hired="2026-03-02",
        cv=(("hp_install", 2), ("pipe", 2), ("power_tools", 3), ("colleagues", 3)),
    ),
    # -- magazijn -------------------------------------------------------------------------------
    Person(
        "vdb-012",
        "Henk Dijkstra",
        "magazijn",
        cv=(
            ("forklift", 4), ("warehouse_equip", 4), ("hoist", 3), ("pack", 3), ("pick", 4),
            ("stock_manage", 4), ("parcels", 3), ("packaging_mgmt", 3), ("stock_levels", 4),
            ("transfer_stock", 3), ("store_products", 3), ("supplier_rel", 3),
            ("order_goods", 3), ("supervise_staff", 3), ("spreadsheets", 3), ("colleagues", 3),
        ),
        learned=(("2025-10-20", "supply_chain", 3), ("2026-05-25", "transport_plan", 3)),
    ),
    Person(
        "vdb-013",
        "Yara Bos",
        "magazijn",
        cv=(
            ("forklift", 3), ("warehouse_equip", 3), ("pack", 3), ("pick", 3),
            ("stock_manage", 3), ("parcels", 3), ("packaging_mgmt", 3), ("fill_racks", 3),
        ),
        learned=(("2025-03-03", "hoist", 3), ("2026-08-17", "stock_levels", 3)),
    ),
    Person(
        "vdb-014",
        "Tim Vermeulen",
        "magazijn",
        cv=(
            ("forklift", 3), ("transfer_stock", 3), ("store_products", 3), ("heavy_lift", 3),
            ("customers_comm", 3), ("colleagues", 3), ("solve_problems", 3), ("ppe", 3),
            ("transport_plan", 2),
        ),
        learned=(("2026-02-23", "wordproc", 2),),
    ),
    Person(
        "vdb-015",
        "Noah Willems",
        "magazijn",
        cv=(("forklift", 2), ("pack", 2), ("pick", 2), ("fill_racks", 2)),
        learned=(("2025-06-02", "warehouse_equip", 2),),
    ),
    # -- kantoor --------------------------------------------------------------------------------
    Person(
        "vdb-016",
        "Ingrid Koster",
        "kantoor",
        cv=(
            ("fin_trans", 4), ("invoices", 4), ("admin_tasks", 4), ("business_docs", 3),
            ("purchase_orders", 3), ("prof_admin", 4), ("accounting_tech", 4),
            ("bookkeeping", 4), ("spreadsheets", 4),
        ),
        learned=(("2026-04-13", "risk_analysis", 2),),
    ),
    Person(
        "vdb-017",
        "Pieter de Wit",
        "kantoor",
        cv=(
            ("customer_service", 4), ("active_selling", 4), ("quotes", 4), ("order_goods", 3),
            ("customer_focus", 3), ("advise_products", 3), ("customer_rel", 4),
            ("customers_comm", 4), ("product_knowledge", 3), ("crm", 3),
            ("customer_needs", 3), ("complaints", 3),
        ),
        learned=(("2025-04-07", "solar_info", 3),),
    ),
    Person(
        "vdb-018",
        "Marieke Verhoeven",
        "kantoor",
        cv=(
            ("staff_agenda", 3), ("office_routine", 3), ("admin_tasks", 3), ("lead_staff", 3),
            ("supervise_staff", 3), ("customers_comm", 3), ("wordproc", 3),
            ("spreadsheets", 3), ("colleagues", 3), ("complaints", 3),
        ),
        learned=(
            ("2025-05-19", "project_k", 3), ("2025-12-01", "project_mgmt", 3),
            ("2026-07-06", "risk_analysis", 3),
        ),
    ),
    Person(
        "vdb-019",
        "Sem Bosman",
        "kantoor",
        cv=(("admin_tasks", 2), ("office_routine", 2), ("wordproc", 2)),
        learned=(
            ("2025-11-17", "invoices", 2), ("2026-03-23", "fin_trans", 2),
            ("2026-09-07", "purchase_orders", 2),
        ),
    ),
    Person(
        "vdb-020",
        "Julia Meijer",
        "kantoor",
        hired="2025-09-01",
        cv=(
            ("advise_products", 3), ("customers_comm", 3), ("active_selling", 3),
            ("solar_k", 2), ("heatpumps_k", 2), ("customer_needs", 3), ("solar_info", 3),
            ("crm", 3),
        ),
        learned=(("2026-05-04", "hp_feasibility", 2),),
    ),
)

# fmt: on

# Other passport changes: (ISO date, employee, "confirm" | "unconfirm", skill key)
EVENTS = (
    ("2025-02-24", "vdb-009", "confirm", "pipe"),  # a CV suggestion confirmed months later
    ("2026-02-02", "vdb-015", "unconfirm", "forklift"),  # certificate expired ...
    ("2026-03-02", "vdb-015", "confirm", "forklift"),  # ... and renewed: not a new skill
)


@dataclass(frozen=True)
class Vacancy:
    title: str
    opened: str
    skills: tuple[str, ...]
    outcome: str = "open"  # or "filled_internal", "filled_external", "closed"
    closed: str | None = None


# fmt: off
VACANCIES = (
    Vacancy("Elektromonteur", "2025-01-20", ("el_install", "el_lowvolt", "el_test", "safety_build"),
            "filled_external", "2025-04-28"),
    Vacancy("Teamleider magazijn", "2025-02-03", ("stock_manage", "supervise_staff", "forklift"),
            "filled_internal", "2025-05-26"),
    Vacancy("Servicemonteur warmtepompen", "2025-03-10",
            ("hp_install", "heatpumps_k", "fix_faults"), "filled_internal", "2025-06-30"),
    Vacancy("Administratief medewerker", "2025-06-02", ("admin_tasks", "invoices", "spreadsheets"),
            "filled_external", "2025-09-01"),
    Vacancy("Leerling-monteur elektrotechniek (BBL)", "2025-06-16", ("el_install", "ppe"),
            "filled_external", "2025-09-01"),
    Vacancy("Chauffeur", "2025-08-04", ("forklift", "transport_plan"), "closed", "2025-10-13"),
    Vacancy("Monteur warmtepompen", "2026-01-12", ("hp_install", "pipe", "vent_install"),
            "filled_external", "2026-03-02"),
    Vacancy("Werkvoorbereider installatietechniek", "2026-02-02",
            ("project_mgmt", "cad", "aftersales_plan"), "filled_internal", "2026-04-20"),
    Vacancy("Servicemonteur laadpalen", "2026-03-09", ("el_install", "el_test", "el_regs"),
            "filled_internal", "2026-06-22"),
    Vacancy("Allround magazijnmedewerker", "2026-05-04", ("forklift", "pick", "stock_levels"),
            "filled_internal", "2026-07-27"),
    Vacancy("Commercieel medewerker binnendienst", "2026-09-07",
            ("customer_service", "active_selling", "crm", "quotes")),
)

# fmt: on

# (title, created, ((skill key, weight, essential), ...)): still open, as future roles are
FUTURE_ROLES = (
    (
        "Energieadviseur verduurzaming",
        "2025-01-13",
        (
            ("design_hp", 1.0, True),
            ("design_solar", 1.0, True),
            ("hp_feasibility", 1.0, True),
            ("energy_needs", 1.0, True),
            ("energy_mgmt", 0.8, True),
            ("advise_products", 0.8, True),
            ("solar_info", 0.5, False),
            ("sustainable_materials", 0.5, False),
        ),
    ),
    (
        "Monteur laadinfrastructuur",
        "2025-01-13",
        (
            ("el_install", 1.0, True),
            ("el_lowvolt", 1.0, True),
            ("el_test", 1.0, True),
            ("el_regs", 1.0, True),
            ("measure_el", 0.8, False),
            ("meas_tools", 0.8, False),
        ),
    ),
)


@dataclass(frozen=True)
class Step:
    employee: str
    kind: str
    title: str
    planned: str
    due: str
    done: str | None = None  # the date it was marked done
    cancelled: str | None = None
    skill: str | None = None
    mentor: str | None = None


# fmt: off
STEPS = (
    Step("vdb-005", "rotation", "Drie weken meewerken in team klimaat (warmtepompen).",
         "2025-03-03", "2025-06-30", done="2025-06-20", skill="hp_install"),
    Step("vdb-008", "rotation", "Een maand meewerken in team installatie (elektrotechniek).",
         "2025-06-02", "2025-09-30", done="2025-09-22", skill="el_maint"),
    Step("vdb-009", "course", "Praktijkmodule leidingwerk (mbo-keuzedeel).",
         "2025-01-13", "2025-03-31", done="2025-03-20", skill="pipe"),
    Step("vdb-015", "colleague", "Leer van een collega hoe de magazijnvoorraad wordt beheerd.",
         "2025-06-02", "2025-09-30", skill="stock_manage", mentor="vdb-012"),
    Step("vdb-019", "course", "E-learning facturatie in het boekhoudpakket.",
         "2025-09-01", "2025-12-31", done="2025-11-10", skill="invoices"),
    Step("vdb-001", "course", "Cursus ontwerpen van pv-installaties.",
         "2026-01-12", "2026-06-30", done="2026-06-05", skill="design_solar"),
    Step("vdb-010", "project", "Multidisciplinair project energiemonitoring bij een klant.",
         "2025-12-01", "2026-03-31", done="2026-01-16", skill="energy_mgmt"),
    Step("vdb-008", "course", "Training haalbaarheidsstudies warmtepompen.",
         "2026-01-12", "2026-03-31", done="2026-03-13", skill="hp_feasibility"),
    Step("vdb-002", "rotation", "Twee weken mee met de werkvoorbereiding (planning, klanten).",
         "2026-01-12", "2026-06-30"),
    Step("vdb-004", "colleague", "Leer van een collega zelfstandig laagspanningswerk te doen.",
         "2026-01-12", "2026-06-30", done="2026-05-08", skill="el_lowvolt", mentor="vdb-002"),
    Step("vdb-019", "colleague", "Leer van een collega de crediteurenadministratie.",
         "2026-03-02", "2026-09-30", done="2026-09-04", skill="purchase_orders", mentor="vdb-016"),
    Step("vdb-013", "course", "Cursus voorraadbeheer en cyclische telling.",
         "2026-05-04", "2026-09-30", done="2026-08-14", skill="stock_levels"),
    Step("vdb-007", "project", "Multidisciplinair project: ontwerp van een warmtepompinstallatie.",
         "2026-09-07", "2026-12-18", skill="design_hp"),
    Step("vdb-016", "course", "Training risicoanalyse (vervangen door een collega-sessie).",
         "2026-01-12", "2026-03-31", cancelled="2026-02-01", skill="risk_analysis"),
    Step("vdb-020", "project", "Project: warmtepompadvies voor drie klanten, met de planner.",
         "2026-02-02", "2026-06-30", done="2026-05-01", skill="hp_feasibility"),
)

# fmt: on

# The firm's own targets (stored; they replace the defaults per KPI)
TARGETS = (
    ("learners_share", 0.8, False),
    ("new_skills_per_employee", 1.0, False),
    ("steps_completed_share", 0.75, False),
    ("internal_fill_rate", None, True),
    ("future_gaps_closed_share", 0.5, False),
)


@dataclass(frozen=True)
class FixtureFirm:
    """What ``build_fixture_firm`` created: ids by external id and by role title."""

    organisation_id: int
    employees: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)


def build_fixture_firm(target: str | PassportStore) -> FixtureFirm:
    """Build the firm into a database (URL) or an open store; returns its ids.

    Raises ``AlreadyExists`` never (every run makes a new organisation), but the ids equal
    those above only on a fresh database.
    """
    store = PassportStore.open(target) if isinstance(target, str) else target
    try:
        return _build(store)
    finally:
        if isinstance(target, str):
            store.database.close()


def _build(store: PassportStore) -> FixtureFirm:
    roles, learning = RoleStore(store.database), LearningStore(store.database)
    org = store.create_organisation(ORGANISATION, at=_at("2024-11-01", 8))
    firm = FixtureFirm(org.id)
    for person in PEOPLE:
        firm.employees[person.external_id] = _add_person(store, org.id, person)
    for title, created, needs in FUTURE_ROLES:
        role = roles.add_role(
            org.id,
            "future_role",
            title,
            [RoleSkill(skill_uri(key), weight, essential) for key, weight, essential in needs],
            at=_at(created, 9),
        )
        firm.roles[title] = role.id
    for vacancy in VACANCIES:
        role = roles.add_role(
            org.id,
            "vacancy",
            vacancy.title,
            [RoleSkill(skill_uri(key)) for key in vacancy.skills],
            at=_at(vacancy.opened, 9),
        )
        if vacancy.closed:
            roles.close_role(org.id, role.id, vacancy.outcome, at=_at(vacancy.closed, 16))
        firm.roles[vacancy.title] = role.id
    for day, external_id, action, key in EVENTS:
        status = "confirmed" if action == "confirm" else "suggested"
        store.set_claim_status(
            org.id, firm.employees[external_id], skill_uri(key), status, HR, at=_at(day, 10)
        )
    for step in STEPS:
        _add_step(learning, org.id, firm, step)
    for kpi, minimum, rising in TARGETS:
        learning.set_target(org.id, kpi, minimum=minimum, must_rise=rising, at=_at("2025-01-06", 9))
    return firm


def _add_person(store: PassportStore, organisation_id: int, person: Person) -> int:
    hired = _at(person.hired, 8)
    employee = store.add_employee(
        organisation_id, person.external_id, person.name, person.team, at=hired
    )
    text = "Werkervaring\n" + "".join(f"- {SKILLS[key][1]}\n" for key, _ in person.cv)
    claims = [
        skill_claim(skill_uri(key), SKILLS[key][1], text, SKILLS[key][1], confidence=0.9)
        for key, _ in person.cv
    ]
    store.build_passport_from_document(
        organisation_id,
        employee.id,
        filename=f"cv-{person.external_id}.txt",
        content=text.encode(),
        text=text,
        lang="nl",
        claims=claims,
        at=hired + timedelta(hours=1),
    )
    review = hired + CONFIRM_AFTER + timedelta(hours=2)
    for key, level in person.cv:
        if key in person.rejected:
            store.set_claim_status(
                organisation_id, employee.id, skill_uri(key), "rejected", HR, at=review
            )
        elif key not in person.suggested:
            store.set_claim_status(
                organisation_id, employee.id, skill_uri(key), "confirmed", HR, at=review
            )
            store.set_proficiency(
                organisation_id, employee.id, skill_uri(key), level, HR, at=review
            )
    for day, key, level in person.learned:
        store.add_manual_claim(
            organisation_id,
            employee.id,
            skill_uri(key),
            SKILLS[key][1],
            HR,
            proficiency=level,
            at=_at(day, 10),
        )
    return employee.id


def _add_step(learning: LearningStore, organisation_id: int, firm: FixtureFirm, step: Step) -> None:
    planned = PlannedStep(
        kind=step.kind,
        title=step.title,
        due=date.fromisoformat(step.due),
        skill_uri=skill_uri(step.skill) if step.skill else None,
        mentor_id=firm.employees[step.mentor] if step.mentor else None,
    )
    added = learning.add_step(
        organisation_id, firm.employees[step.employee], planned, at=_at(step.planned, 9)
    )
    if step.done:
        learning.mark_done(organisation_id, added.id, at=_at(step.done, 15))
    elif step.cancelled:
        learning.cancel_step(organisation_id, added.id, at=_at(step.cancelled, 15))


def _at(day: str, hour: int) -> datetime:
    """A moment on ``day`` (UTC, office hours, so the Dutch calendar day is the same)."""
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=UTC)
