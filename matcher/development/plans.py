"""A reskilling path (``matcher.paths``) as learning-plan steps that HR can mark done.

    steps = path_plan(path, mentor_ids, start=date.today(), role_id=12)
    learning_store.add_steps(org, employee_id, steps)

One step per skill of the path, in the path's order, kind "on_the_job" (the 70 of 70-20-10:
the path's task text), with the first suggested colleague as mentor (the 20) and the course type
in the title (the 10). Each step is due when the path's effort estimate says it can be done:
the hours of this and all earlier steps at ``HOURS_PER_WEEK`` hours a week from ``start``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from matcher.paths import HOURS_PER_WEEK, ReskillingPath
from matcher.store.learning import MAX_TITLE
from matcher.store.records import PlannedStep


def path_plan(
    path: ReskillingPath,
    mentor_ids: Mapping[str, int],
    *,
    start: date,
    role_id: int | None = None,
) -> list[PlannedStep]:
    """The path's steps as ``PlannedStep``s. ``mentor_ids`` maps external ids (as the path
    names mentors) to employee ids; mentors not in it are left out."""
    steps, hours = [], 0
    for step in path.steps:
        hours += step.hours
        mentor = next((mentor_ids[m] for m in step.modes.mentors if m in mentor_ids), None)
        title = f"{step.label}: {step.modes.on_the_job} (cursus: {step.modes.formal})"
        steps.append(
            PlannedStep(
                kind="on_the_job",
                title=title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…",
                due=start + timedelta(weeks=math.ceil(hours / HOURS_PER_WEEK)),
                skill_uri=step.uri,
                role_id=role_id,
                mentor_id=mentor,
            )
        )
    return steps
