"""An infeasible scenario's conflicts as data: the requirements that cannot hold together and the
change that removes each conflict (planner.words.conflicts says them; the optimizer finds them).
Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.reasons import Reason


@dataclass(frozen=True, order=True)
class RequirementKey:
    """A requirement group as data: its kind (PLANNER-SPEC.md, What-if) and identifying fields,
    e.g. RequirementKey("instructor_capacity", (("instructor_id", "DOC-01"), ("period", 1)))."""

    kind: str
    fields: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **dict(self.fields)}


def requirement(kind: str, **fields: Any) -> RequirementKey:
    return RequirementKey(kind, tuple(fields.items()))


@dataclass(frozen=True)
class Conflict:
    """Requirements that cannot hold together, and one change that removes the conflict."""

    requirements: tuple[RequirementKey, ...]
    minimal: bool  # each member was shown to be needed
    relaxation: dict[str, Any] | None  # {"kind", fields, "from", "to"} or {"kind", fields, "drop": True}
    alternatives: tuple[dict[str, Any], ...] = ()  # other members' smallest changes, each verified too
    facts: tuple[dict[str, Any], ...] = ()  # per requirement: the figures words need (limit, hours, ...)
    described: tuple[Reason, ...] = ()  # each requirement as planner.words says it (contracts per week...)
    evidence: tuple[Reason, ...] = ()  # why a requirement is impossible on its own, from the catalog alone

    def document(self) -> dict[str, Any]:
        return {
            "requirements": [key.as_dict() for key in self.requirements],
            "minimal": self.minimal,
            "relaxation": self.relaxation,
            "alternatives": list(self.alternatives),
        }
