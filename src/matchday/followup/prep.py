"""A role's interview preparation as plain text, for calendar invites and messages.

The pages render the same fields with ``templates/companies/_prep.html``. Preparation is
about the role, never about a candidate, so one text serves every candidate of the role.
"""

from __future__ import annotations

from matchday.companies.models import InterviewStep, Role


def step_prep_lines(step: InterviewStep) -> list[str]:
    """What a candidate should know about one interview step, one fact per line."""
    facts = [step.get_format_display() if step.format else "", f"{step.duration_minutes} minutes"]
    if step.interviewers:
        facts.append(f"with {step.interviewers}")
    lines = [f"{step.name} ({', '.join(f for f in facts if f)})"]
    if step.description:
        lines.append(step.description)
    if step.assesses:
        lines.append(f"What it assesses: {step.assesses}")
    if step.preparation:
        lines.append(f"What to prepare: {step.preparation}")
    lines += [f"Material: {url}" for url in step.links]
    return lines


def prep_text(role: Role, step: InterviewStep | None) -> str:
    """The preparation for ``step`` of ``role`` (or the role's overview alone when the
    pipeline step has no interview step, as for the screen); empty when there is none."""
    parts = []
    if step is not None and step.has_prep:
        parts.append("\n".join(step_prep_lines(step)))
    if role.interview_overview:
        parts.append(f"About the interview process: {role.interview_overview}")
    return "\n\n".join(parts)
