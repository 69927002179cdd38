"""Interview process templates for common role families.

A template pre-fills a new role's interview steps (name, format, duration, who interviews,
what the step assesses and what to prepare); the company then edits every field. Templates
are plain data, so the role editor, the API and the tests read the same ones.

>>> [step["name"] for step in template_steps("infra-sre")][:2]
['Infrastructure deep dive', 'System design: reliability at scale']
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from matchday.core.choices import RoleType

UNKNOWN_TEMPLATE = "{key!r} is not an interview template; choose from {choices}."

_BEHAVIOURAL = {
    "name": "Past experience",
    "format": "behavioural",
    "duration_minutes": 45,
    "interviewers": "Hiring manager",
    "assesses": "Ownership, judgement under constraints, how you work with others.",
    "preparation": (
        "Pick two or three pieces of work you led. For each, be ready to explain the problem, "
        "the constraints, the options you considered, what you decided and the measured result. "
        "Expect follow-up questions on what you would do differently."
    ),
}

TEMPLATES: dict[str, dict[str, Any]] = {
    "ml-engineer": {
        "label": "ML engineer",
        "steps": [
            {
                "name": "ML fundamentals and past projects",
                "format": "deep-dive",
                "duration_minutes": 60,
                "interviewers": "Senior ML engineer",
                "assesses": "Depth in the models and pipelines you shipped; evaluation and "
                "data quality judgement.",
                "preparation": (
                    "Choose one model you took to production. Be ready to walk through data "
                    "collection, features, training, offline and online evaluation, and what "
                    "broke after launch."
                ),
            },
            {
                "name": "Coding exercise",
                "format": "coding",
                "duration_minutes": 60,
                "interviewers": "Two ML engineers",
                "assesses": "Clear, tested Python; working with arrays and data frames.",
                "preparation": (
                    "Practise writing small data-processing functions with tests in Python. "
                    "You may use your own editor; say what you would look up."
                ),
            },
            {
                "name": "ML system design",
                "format": "system-design",
                "duration_minutes": 60,
                "interviewers": "Staff ML engineer",
                "assesses": "Designing training and serving end to end under latency and cost "
                "limits.",
                "preparation": (
                    "Review how you would design a recommendation or ranking system: data, "
                    "training cadence, feature store, serving, monitoring and rollback."
                ),
            },
            _BEHAVIOURAL,
        ],
    },
    "infra-sre": {
        "label": "Infrastructure / SRE",
        "steps": [
            {
                "name": "Infrastructure deep dive",
                "format": "deep-dive",
                "duration_minutes": 60,
                "interviewers": "Senior infrastructure engineer",
                "assesses": "Linux, networking and the platforms you operated; debugging method.",
                "preparation": (
                    "Be ready to explain a system you ran in production: how it was deployed, "
                    "observed and scaled, and an outage you worked on from detection to fix."
                ),
            },
            {
                "name": "System design: reliability at scale",
                "format": "system-design",
                "duration_minutes": 60,
                "interviewers": "Staff SRE",
                "assesses": "Capacity planning, failure modes, SLOs and graceful degradation.",
                "preparation": (
                    "Revise SLOs and error budgets, load balancing, replication and queueing. "
                    "Practise sketching a service that survives the loss of a zone."
                ),
            },
            {
                "name": "Incident scenario",
                "format": "cross-functional",
                "duration_minutes": 45,
                "interviewers": "SRE and an engineering manager",
                "assesses": "Calm triage, communication with stakeholders, blameless review.",
                "preparation": (
                    "Think through how you run an incident: roles, first five minutes, status "
                    "updates and the post-incident review."
                ),
            },
            _BEHAVIOURAL,
        ],
    },
    "research-engineer": {
        "label": "Research engineer",
        "steps": [
            {
                "name": "Research presentation",
                "format": "research",
                "duration_minutes": 60,
                "interviewers": "Research scientist and research engineer",
                "assesses": "Turning research ideas into reliable experiments; rigour.",
                "preparation": (
                    "Prepare 20 minutes on a project you contributed to (papers, code or "
                    "internal work you may share): the question, the experiments, what did not "
                    "work and what you learnt."
                ),
            },
            {
                "name": "Implementation exercise",
                "format": "coding",
                "duration_minutes": 75,
                "interviewers": "Two research engineers",
                "assesses": "Implementing a model component from a description; debugging "
                "training.",
                "preparation": (
                    "Practise implementing attention, a loss or an optimiser step in PyTorch or "
                    "JAX from a short written description, and checking it with small tests."
                ),
            },
            {
                "name": "Scaling and infrastructure discussion",
                "format": "system-design",
                "duration_minutes": 45,
                "interviewers": "Staff research engineer",
                "assesses": "Distributed training, throughput, reproducibility.",
                "preparation": (
                    "Revise data, tensor and pipeline parallelism, checkpointing and how you "
                    "would find the bottleneck in a slow training run."
                ),
            },
            _BEHAVIOURAL,
        ],
    },
    "llm-engineer": {
        "label": "LLM engineer",
        "steps": [
            {
                "name": "LLM application deep dive",
                "format": "deep-dive",
                "duration_minutes": 60,
                "interviewers": "Senior applied AI engineer",
                "assesses": "Retrieval, prompting, fine-tuning trade-offs and evaluation of "
                "LLM features you built.",
                "preparation": (
                    "Pick an LLM feature you shipped or prototyped. Be ready to discuss how you "
                    "evaluated quality, handled hallucinations and cost, and what you changed "
                    "after users tried it."
                ),
            },
            {
                "name": "Build exercise",
                "format": "coding",
                "duration_minutes": 75,
                "interviewers": "Two applied AI engineers",
                "assesses": "Building and testing a small retrieval or tool-use pipeline.",
                "preparation": (
                    "Practise building a small retrieval-augmented pipeline with an evaluation "
                    "set of a dozen questions; any model API or open model is fine."
                ),
            },
            {
                "name": "System design: LLM in production",
                "format": "system-design",
                "duration_minutes": 60,
                "interviewers": "Staff engineer",
                "assesses": "Latency, cost, safety and monitoring of LLM systems.",
                "preparation": (
                    "Review caching, batching, guardrails, offline and online evaluation, and "
                    "how you would roll back a model or prompt change."
                ),
            },
            _BEHAVIOURAL,
        ],
    },
    "tpm-pm": {
        "label": "Technical product manager",
        "steps": [
            {
                "name": "Product case",
                "format": "case",
                "duration_minutes": 60,
                "interviewers": "Head of product",
                "assesses": "Framing a problem, choosing what to build, measuring success.",
                "preparation": (
                    "Practise structuring a product case: users and their problem, options, "
                    "what you would ship first and the metric that tells you it worked."
                ),
            },
            {
                "name": "Technical deep dive",
                "format": "deep-dive",
                "duration_minutes": 45,
                "interviewers": "Engineering lead",
                "assesses": "Enough technical depth to make trade-offs with engineers.",
                "preparation": (
                    "Be ready to explain the architecture of a product you managed and a "
                    "technical trade-off you helped decide."
                ),
            },
            {
                "name": "Cross-functional scenario",
                "format": "cross-functional",
                "duration_minutes": 45,
                "interviewers": "Engineering manager and a designer",
                "assesses": "Aligning engineering, design and go-to-market on a plan.",
                "preparation": (
                    "Think of a launch where teams disagreed: how you found the facts, made the "
                    "call and kept everyone informed."
                ),
            },
            {
                "name": "Stakeholder and leadership",
                "format": "leadership",
                "duration_minutes": 45,
                "interviewers": "VP of product",
                "assesses": "Influence without authority, roadmap communication, saying no.",
                "preparation": (
                    "Prepare an example of a roadmap decision you defended to senior "
                    "stakeholders, and one you changed your mind on."
                ),
            },
        ],
    },
}

# Which template a new role of each type starts from (types without one start empty).
FOR_ROLE_TYPE = {
    RoleType.ML_ENGINEER: "ml-engineer",
    RoleType.MLOPS_ENGINEER: "ml-engineer",
    RoleType.DATA_ENGINEER: "ml-engineer",
    RoleType.INFRA_SRE: "infra-sre",
    RoleType.PLATFORM_ENGINEER: "infra-sre",
    RoleType.RESEARCH_ENGINEER: "research-engineer",
    RoleType.RESEARCH_SCIENTIST: "research-engineer",
    RoleType.LLM_ENGINEER: "llm-engineer",
    RoleType.TPM_PM: "tpm-pm",
}


def template_choices() -> list[tuple[str, str]]:
    """(key, label) of every template, in a stable order."""
    return [(key, t["label"]) for key, t in TEMPLATES.items()]


def template_steps(key: str) -> list[dict[str, Any]]:
    """A fresh copy of the template's steps (the caller may edit them), or a ``KeyError``
    naming the choices."""
    if key not in TEMPLATES:
        raise KeyError(UNKNOWN_TEMPLATE.format(key=key, choices=", ".join(TEMPLATES)))
    return [{"links": [], "description": "", **deepcopy(step)} for step in TEMPLATES[key]["steps"]]
