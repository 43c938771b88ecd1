"""Evaluate a record against the policy's procedure: findings for what is missing, and the
checklist the PDF prints (each step done at a time, a documented deviation, or missing)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assister_log.domain.model import Deviation, Incident
from assister_log.policy.codes import Level, RuleCode, rule_code
from assister_log.policy.rules import RULES, Rule, rule


class StepState(enum.StrEnum):
    DONE = "done"
    DEVIATION = "deviation"
    MISSING = "missing"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """Something the policy asks for that the record does not show."""

    code: RuleCode
    clause: str
    level: Level
    title: str
    message: str
    deviation: Deviation | None = None

    @property
    def is_open(self) -> bool:
        return self.deviation is None


@dataclass(frozen=True, kw_only=True)
class StepResult:
    rule: Rule
    state: StepState
    at: datetime | None = None
    message: str = ""
    deviation: Deviation | None = None


def _applicable(incident: Incident) -> list[Rule]:
    return [r for r in RULES if incident.procedure in r.procedures and r.applies(incident)]


def _result(rule: Rule, incident: Incident) -> StepResult:
    outcome = rule.check(incident)
    if isinstance(outcome, str):
        deviation = incident.deviation(rule.code)
        if deviation is not None:
            return StepResult(
                rule=rule, state=StepState.DEVIATION, message=outcome, deviation=deviation
            )
        return StepResult(rule=rule, state=StepState.MISSING, message=outcome)
    return StepResult(
        rule=rule, state=StepState.DONE, at=outcome if isinstance(outcome, datetime) else None
    )


def checklist(incident: Incident) -> list[StepResult]:
    """Every applicable rule in policy order, criteria first."""
    return [_result(rule, incident) for rule in _applicable(incident)]


def evaluate(incident: Incident) -> list[Finding]:
    """Findings, open and deviated, each citing its clause."""
    findings = []
    for result in checklist(incident):
        if result.state is StepState.DONE:
            continue
        rule = result.rule
        findings.append(
            Finding(
                code=rule.code,
                clause=rule.clause,
                level=rule.level,
                title=rule.title,
                message=result.message,
                deviation=result.deviation,
            )
        )
    return findings


def open_findings(incident: Incident) -> list[Finding]:
    return [f for f in evaluate(incident) if f.is_open]


def applies(code: str, incident: Incident) -> bool:
    """Whether the rule ``code`` applies to this record (its procedure and its condition):
    what a document asks before printing a step, instead of re-testing the record itself.
    An unknown code raises ``KeyError``."""
    r = rule(code)
    return incident.procedure in r.procedures and r.applies(incident)


def step_for(steps: Sequence[StepResult], code: str) -> StepResult | None:
    """The checklist entry for ``code``, or None when the rule does not apply to the record.
    An unknown code raises ``KeyError`` rather than reading as "not applicable"."""
    known = rule_code(code)
    return next((step for step in steps if step.rule.code is known), None)
