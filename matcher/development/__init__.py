"""People development: T-shape profiles, team coverage, breadth suggestions, learning KPIs.

    areas = skill_areas(taxonomy)                             # areas and themes, built once
    profile = tshape_profile(areas, passport)                 # depth, breadth, shape
    needs = firm_needs(areas, roles)                          # what open roles ask for
    coverage = team_coverage(areas, profiles, needs, "service")
    suggestions = breadth_suggestions(areas, profile, profiles, needs)
    report = learning_kpis(learning_store.history(org), "2026", targets)
    firm = FirmDevelopment.load(areas, passports, roles, org)   # all of the above, per firm

Library code: it reads stores and the taxonomy, and imports nothing from ``service``.
"""

from matcher.development.areas import AREA_DEPTH, THEMES, SkillAreas, skill_areas
from matcher.development.firm import FirmDevelopment, UnknownTeam
from matcher.development.kpi import (
    DEFAULT_TARGETS,
    KpiReport,
    KpiValue,
    Period,
    effective_targets,
    learning_kpis,
    newly_confirmed,
    parse_period,
    parse_targets,
)
from matcher.development.plans import path_plan
from matcher.development.suggestions import BreadthSuggestion, breadth_suggestions
from matcher.development.tshape import (
    AreaCoverage,
    AreaDepth,
    FirmNeeds,
    TeamCoverage,
    TShapeProfile,
    firm_needs,
    team_coverage,
    tshape_profile,
)

__all__ = [
    "AREA_DEPTH",
    "DEFAULT_TARGETS",
    "THEMES",
    "AreaCoverage",
    "AreaDepth",
    "BreadthSuggestion",
    "FirmDevelopment",
    "FirmNeeds",
    "KpiReport",
    "KpiValue",
    "Period",
    "SkillAreas",
    "TShapeProfile",
    "TeamCoverage",
    "UnknownTeam",
    "breadth_suggestions",
    "effective_targets",
    "firm_needs",
    "learning_kpis",
    "newly_confirmed",
    "parse_period",
    "parse_targets",
    "path_plan",
    "skill_areas",
    "team_coverage",
    "tshape_profile",
]
