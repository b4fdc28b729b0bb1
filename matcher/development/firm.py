"""One organisation's people as Ts, loaded once: what the CLI, the API and the web page show.

firm = FirmDevelopment.load(skill_areas(taxonomy), passports, roles, organisation_id)
firm.profile("vdb-001")          # TShapeProfile (by external or internal id)
firm.suggestions(profile)        # BreadthSuggestion list, mentors from this firm only
firm.coverage("magazijn")        # TeamCoverage; None for the whole firm
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matcher.development.areas import SkillAreas
from matcher.development.suggestions import (
    MAX_SUGGESTIONS,
    BreadthSuggestion,
    breadth_suggestions,
)
from matcher.development.tshape import (
    FirmNeeds,
    TeamCoverage,
    TShapeProfile,
    firm_needs,
    team_coverage,
    tshape_profile,
)
from matcher.store import NotFound, PassportStore, RoleStore

PAGE = 1000


class UnknownTeam(ValueError):
    """A team name no employee of the organisation has."""

    def __init__(self, team: str, known: list[str]) -> None:
        self.team = team
        hint = f"teams: {', '.join(known)}" if known else "no employee has a team yet"
        super().__init__(f"no employees in team {team!r}; {hint}")


@dataclass(frozen=True)
class FirmDevelopment:
    organisation_id: int
    areas: SkillAreas
    profiles: tuple[TShapeProfile, ...]
    needs: FirmNeeds
    role_ids: dict[str, int]  # open vacancies and future roles by title

    @classmethod
    def load(
        cls, areas: SkillAreas, passports: PassportStore, roles: RoleStore, organisation_id: int
    ) -> FirmDevelopment:
        """Every passport and open role of the organisation (``NotFound`` if it does not
        exist)."""
        profiles = tuple(
            tshape_profile(areas, passport) for passport in passports.passports(organisation_id)
        )
        open_roles, offset = [], 0
        while True:
            page = roles.list_roles(organisation_id, status="open", offset=offset, limit=PAGE)
            open_roles += page
            offset += len(page)
            if len(page) < PAGE:
                break
        needs = firm_needs(areas, open_roles)
        role_ids = {role.title: role.id for role in open_roles}
        return cls(organisation_id, areas, profiles, needs, role_ids)

    @property
    def teams(self) -> list[str]:
        """Team names, largest first."""
        counts = Counter(p.team for p in self.profiles if p.team)
        return [team for team, _ in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))]

    def profile(self, employee: int | str) -> TShapeProfile:
        """By internal id (int) or external id (str); raises ``NotFound``."""
        for profile in self.profiles:
            if employee in (profile.employee_id, profile.external_id):
                return profile
        raise NotFound("employee", employee, f"organisation {self.organisation_id}")

    def members(self, team: str | None) -> list[TShapeProfile]:
        """The team's profiles (everyone for None); raises ``UnknownTeam``."""
        if team is None:
            return list(self.profiles)
        members = [p for p in self.profiles if p.team == team]
        if not members:
            raise UnknownTeam(team, self.teams)
        return members

    def coverage(self, team: str | None = None) -> TeamCoverage:
        return team_coverage(self.areas, self.members(team), self.needs, team)

    def suggestions(
        self, profile: TShapeProfile, k: int = MAX_SUGGESTIONS
    ) -> list[BreadthSuggestion]:
        return breadth_suggestions(self.areas, profile, self.profiles, self.needs, k)
