"""What matching raises on purpose. All are ``ValueError``s a user can act on (HTTP 422), except
``UnknownRole``, a ``NotFound`` (HTTP 404) like the store's."""

from __future__ import annotations

from collections.abc import Sequence

from matcher.store.errors import NotFound


class NoSkillsFound(ValueError):
    """A vacancy (or role file) in which no skill could be recognised: matching it would give a
    ranking that means nothing."""

    def __init__(self, source: str, hint: str = "") -> None:
        self.source = source
        super().__init__(
            f"{source}: no recognisable skills, so there is nothing to match on. "
            + (
                hint
                or "Describe the tasks and requirements in full sentences (e.g. 'je rijdt "
                "heftruck', 'ervaring met boekhouden'), or define the role as a list of skills "
                "(see samples/future_roles.yaml)"
            )
        )


class UnknownSkills(ValueError):
    """Skill labels in a role definition that the taxonomy does not know (all of them named)."""

    def __init__(self, source: str, problems: Sequence[tuple[str, str | None]]) -> None:
        self.labels = tuple(label for label, _ in problems)
        parts = [
            f"{label!r}" + (f" (did you mean {suggestion!r}?)" if suggestion else "")
            for label, suggestion in problems
        ]
        super().__init__(
            f"{source}: unknown skill label(s): {', '.join(parts)}. Use an ESCO skill label or "
            "URI; find one with `vaardig taxonomy search TEXT`"
        )


class NoPassports(ValueError):
    """An organisation without any passport: a ranking of nobody is not a result."""

    def __init__(self, organisation_id: int) -> None:
        super().__init__(
            f"organisation {organisation_id} has no skill passports yet; add one with "
            f"`vaardig passport add --org {organisation_id} --employee ID CV_FILE`"
        )


class UnknownRole(NotFound):
    """A role reference that is neither a stored role, an ESCO occupation nor a role file."""

    def __init__(self, reference: str, hint: str = "") -> None:
        super().__init__("role", reference)
        self.hint = hint
        self.args = (
            f"role {reference!r} does not exist: give a role id of this organisation, an ESCO "
            f"occupation URI or label, a vacancy file or a role file"
            + (f" ({hint})" if hint else ""),
        )
