"""Achievement stories (problem → constraints → options → decision → measured result).

Each template names the role types it suits and the numbers it needs as ``(low, high, step)``
ranges; before/after pairs use disjoint ranges so every result is an improvement.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matchday.core.choices import RoleType as R


@dataclass(frozen=True)
class Story:
    role_types: tuple[str, ...]
    title: str
    problem: str
    constraints: str
    options: str
    decision: str
    result: str
    numbers: tuple[tuple[str, int, int, int], ...]


# fmt: off
STORIES: tuple[Story, ...] = (
    Story(
        (R.ML_ENGINEER, R.MLOPS_ENGINEER, R.LLM_ENGINEER),
        "Cut ranking-model latency",
        "The ranking model's p95 latency was {a} ms, over the {budget} ms page budget; the "
        "product team was about to drop personalisation from the home page.",
        "No new hardware; model quality (NDCG) could drop by at most 0.5%; six weeks.",
        "Knowledge distillation to a smaller model, int8 quantisation, caching user embeddings, "
        "moving feature lookups out of the request path.",
        "Int8 post-training quantisation with per-channel calibration plus a {ttl}-minute "
        "embedding cache, because together they met the budget without retraining.",
        "Cut p95 latency from {a} ms to {b} ms with an NDCG change of -0.{q}%; "
        "personalisation stayed and click-through rose {ctr}%.",
        (("a", 280, 620, 10), ("b", 60, 140, 5), ("budget", 150, 200, 10), ("ttl", 5, 30, 5),
         ("q", 1, 4, 1), ("ctr", 3, 11, 1)),
    ),
    Story(
        (R.ML_ENGINEER, R.MLOPS_ENGINEER, R.INFRA_SRE, R.PLATFORM_ENGINEER),
        "Reduced GPU spend",
        "Monthly GPU spend had grown to ${spend}k while utilisation averaged {util}%.",
        "No slower training for the research teams; keep the on-call load flat.",
        "Reserved capacity, spot instances with checkpointing, bin-packing jobs with a "
        "gang scheduler, rightsizing inference replicas.",
        "Spot instances with automatic checkpoint/resume for training and a bin-packing "
        "scheduler for inference, since both needed no changes from model owners.",
        "Reduced GPU spend {saving}% (${saved}k a month) and raised average utilisation from "
        "{util}% to {util2}% within one quarter.",
        (("spend", 180, 900, 20), ("util", 22, 41, 1), ("saving", 24, 46, 1),
         ("saved", 60, 300, 10), ("util2", 62, 84, 1)),
    ),
    Story(
        (R.LLM_ENGINEER,),
        "Made RAG answers trustworthy",
        "The support assistant answered {bad}% of questions with unsupported claims; "
        "customers had stopped trusting it.",
        "Answers within {lat} s; no customer data leaving the region; two engineers.",
        "A larger hosted model, better chunking and hybrid retrieval, a re-ranker, "
        "citation-checking with an LLM judge before sending.",
        "Hybrid BM25 + embedding retrieval with a cross-encoder re-ranker and a citation check, "
        "evaluated on a {gold}-question golden set before every release.",
        "Unsupported answers fell from {bad}% to {good}%; ticket deflection rose from "
        "{d1}% to {d2}% with median latency {lat2} s.",
        (("bad", 14, 29, 1), ("lat", 3, 6, 1), ("gold", 300, 1200, 50), ("good", 2, 6, 1),
         ("d1", 18, 30, 1), ("d2", 38, 61, 1), ("lat2", 1, 3, 1)),
    ),
    Story(
        (R.LLM_ENGINEER, R.MLOPS_ENGINEER, R.RESEARCH_ENGINEER),
        "Halved LLM serving cost",
        "Serving a {size}B open-weight model cost ${cost}k a month at {qps} requests/s.",
        "Keep p95 time-to-first-token under {ttft} ms; no quality loss on our eval suite.",
        "Move to vLLM with continuous batching, AWQ 4-bit weights, speculative decoding, "
        "a smaller fine-tuned model.",
        "vLLM with continuous batching and prefix caching first (no quality risk), then "
        "AWQ after it passed the eval suite.",
        "Throughput per GPU went up {x}x and cost fell from ${cost}k to ${cost2}k a month at "
        "the same p95 time-to-first-token.",
        (("size", 7, 70, 1), ("cost", 40, 160, 5), ("qps", 20, 200, 10), ("ttft", 300, 800, 50),
         ("x", 2, 5, 1), ("cost2", 12, 35, 1)),
    ),
    Story(
        (R.INFRA_SRE, R.PLATFORM_ENGINEER),
        "Brought incident load under control",
        "The platform had {inc} customer-facing incidents a quarter and no agreed SLOs; "
        "on-call engineers were paged {pages} times a week.",
        "No feature freeze; three SREs for {svc} services.",
        "Rewrite alerting from scratch, adopt SLOs with error budgets, add chaos testing, "
        "hire a dedicated incident commander.",
        "SLOs with error-budget alerts for the top {top} services, because they cut noise "
        "and gave product teams a shared rule for when to slow down.",
        "Incidents fell from {inc} to {inc2} a quarter, pages from {pages} to {pages2} a week, "
        "and availability reached 99.9{nines}%.",
        (("inc", 14, 40, 1), ("pages", 25, 70, 5), ("svc", 40, 200, 10), ("top", 8, 20, 1),
         ("inc2", 2, 7, 1), ("pages2", 3, 9, 1), ("nines", 5, 9, 1)),
    ),
    Story(
        (R.INFRA_SRE, R.PLATFORM_ENGINEER, R.MLOPS_ENGINEER),
        "Migrated the fleet to Kubernetes",
        "{vms} hand-managed VMs ran production; a deploy took {dep} minutes and rollbacks were "
        "manual.",
        "Zero downtime for paying customers; a fixed budget; finish inside two quarters.",
        "Managed Kubernetes, Nomad, staying on VMs with better automation, serverless.",
        "Managed Kubernetes with Terraform and Argo CD, because the team already ran it for "
        "ML jobs and GitOps gave audited rollbacks.",
        "Moved {svc} services with zero customer-visible downtime; deploys went from {dep} "
        "minutes to {dep2} and infrastructure cost fell {saving}%.",
        (("vms", 120, 900, 20), ("dep", 35, 90, 5), ("svc", 30, 160, 5), ("dep2", 4, 12, 1),
         ("saving", 12, 31, 1)),
    ),
    Story(
        (R.PLATFORM_ENGINEER, R.INFRA_SRE),
        "Built a paved road for services",
        "Each new service took {days} days to reach production; teams copied and drifted "
        "from each other's pipelines.",
        "Opt-in only; must support Python, Go and TypeScript; two engineers.",
        "A service template generator, a shared CI library, buying an internal developer "
        "portal, documentation only.",
        "A template generator plus a versioned CI library, because upgrades could then be "
        "pushed to every service at once.",
        "Time to first production deploy fell from {days} days to {hours} hours; {adopt}% of "
        "teams adopted it within six months.",
        (("days", 6, 21, 1), ("hours", 2, 8, 1), ("adopt", 62, 94, 2)),
    ),
    Story(
        (R.DATA_ENGINEER, R.MLOPS_ENGINEER),
        "Made the warehouse fresh and cheap",
        "Nightly batch jobs finished at {late}:00, so dashboards and features were a day stale; "
        "warehouse cost was ${cost}k a month.",
        "No breaking changes for {users} analysts; keep historical backfills possible.",
        "Bigger warehouse, incremental dbt models, a streaming pipeline on Kafka and Flink, "
        "partition pruning.",
        "Incremental dbt models with partition pruning and Kafka CDC for the {hot} hottest "
        "tables, because it fixed freshness without rewriting everything.",
        "Freshness went from 24 hours to {fresh} minutes for key tables and warehouse cost fell "
        "{saving}% (${cost}k to ${cost2}k a month).",
        (("late", 9, 13, 1), ("cost", 40, 180, 5), ("users", 40, 300, 10), ("hot", 6, 25, 1),
         ("fresh", 5, 30, 5), ("saving", 25, 55, 1), ("cost2", 15, 35, 1)),
    ),
    Story(
        (R.DATA_ENGINEER, R.ML_ENGINEER),
        "Stopped silent data-quality failures",
        "Bad upstream data broke a pricing model {times} times in a year before anyone noticed.",
        "Hundreds of tables, no data contracts, no budget for a vendor tool.",
        "A commercial observability tool, hand-written checks, data contracts with producers, "
        "statistical drift detection.",
        "Data contracts for the {crit} critical sources plus automated freshness/volume/"
        "distribution checks in the pipeline, failing fast before training.",
        "Mean time to detect bad data fell from {mttd} days to {mttd2} minutes; no bad data has "
        "reached the model in {months} months.",
        (("times", 4, 12, 1), ("crit", 12, 40, 1), ("mttd", 2, 9, 1), ("mttd2", 10, 45, 5),
         ("months", 6, 18, 1)),
    ),
    Story(
        (R.RESEARCH_ENGINEER, R.RESEARCH_SCIENTIST),
        "Scaled pretraining efficiently",
        "A {size}B-parameter pretraining run reached only {mfu}% model FLOPs utilisation on "
        "{gpus} GPUs.",
        "Fixed cluster; the run had to finish before a conference deadline in {weeks} weeks.",
        "Tensor + pipeline parallelism, FSDP with activation checkpointing, fused kernels in "
        "Triton, larger micro-batches.",
        "FSDP with selective activation checkpointing and two fused Triton kernels, after "
        "profiling showed attention and the optimiser step dominated.",
        "MFU rose from {mfu}% to {mfu2}%, saving about {days} days of cluster time; the run "
        "finished a week early.",
        (("size", 1, 70, 1), ("mfu", 21, 34, 1), ("gpus", 64, 1024, 64), ("weeks", 4, 10, 1),
         ("mfu2", 44, 58, 1), ("days", 9, 40, 1)),
    ),
    Story(
        (R.RESEARCH_SCIENTIST, R.RESEARCH_ENGINEER, R.LLM_ENGINEER),
        "Improved preference tuning",
        "Our RLHF pipeline was unstable: {fail}% of runs diverged and win rate against the "
        "base model plateaued at {win}%.",
        "Same annotation budget; results needed within one quarter.",
        "Tune PPO further, switch to DPO, collect more preference data, reward-model ensembles.",
        "DPO with a curated {pairs}k-pair preference set, because it removed the reward model "
        "and its instability altogether.",
        "Divergent runs fell to zero, win rate rose from {win}% to {win2}%, and the work became "
        "a workshop paper.",
        (("fail", 20, 45, 5), ("win", 52, 58, 1), ("pairs", 20, 120, 10), ("win2", 64, 76, 1)),
    ),
    Story(
        (R.ML_ENGINEER, R.RESEARCH_SCIENTIST, R.DATA_ENGINEER),
        "Caught fraud earlier",
        "The fraud model caught {recall}% of fraudulent transactions at a {fpr}% false-positive "
        "rate; chargebacks cost ${loss}M a year.",
        "Decisions within {ms} ms; regulators required explainable decisions.",
        "Deep sequence model, graph features, gradient boosting with better features, "
        "rules engine tuning.",
        "Gradient boosting with graph-derived features and SHAP explanations, because it met "
        "the latency and explainability constraints.",
        "Recall rose from {recall}% to {recall2}% at the same false-positive rate, cutting "
        "chargeback losses by ${saved}M a year.",
        (("recall", 55, 70, 1), ("fpr", 1, 3, 1), ("loss", 4, 30, 1), ("ms", 30, 80, 10),
         ("recall2", 76, 89, 1), ("saved", 1, 4, 1)),
    ),
    Story(
        (R.TPM_PM,),
        "Launched an AI feature that stuck",
        "An AI writing assistant had {act}% weekly activation after launch and leadership was "
        "ready to cut it.",
        "One quarter; no additional headcount; enterprise customers needed data-residency "
        "guarantees.",
        "Broader rollout with marketing, narrowing to one high-value workflow, usage-based "
        "pricing, sunsetting the feature.",
        "Narrowed the assistant to contract review for {seg} customers after {inter} user "
        "interviews, with a clear evaluation rubric agreed with engineering.",
        "Weekly activation rose from {act}% to {act2}%, and the feature drove ${arr}M of new "
        "annual recurring revenue in two quarters.",
        (("act", 4, 9, 1), ("seg", 20, 80, 5), ("inter", 18, 45, 1), ("act2", 24, 41, 1),
         ("arr", 1, 6, 1)),
    ),
    Story(
        (R.TPM_PM, R.MLOPS_ENGINEER, R.PLATFORM_ENGINEER),
        "Shipped the model platform on time",
        "Five teams each ran their own model deployment scripts; a release slipped "
        "{slip} weeks because of it.",
        "Fixed date tied to a customer contract; teams in {tz} time zones.",
        "One big migration, team-by-team opt-in with a compatibility layer, buying a platform.",
        "Team-by-team migration with a compatibility layer and a weekly written status, so no "
        "team was blocked on another.",
        "All {teams} teams migrated {early} weeks early; deployment lead time fell from {lt} "
        "days to {lt2} hours.",
        (("slip", 3, 8, 1), ("tz", 3, 6, 1), ("teams", 5, 12, 1), ("early", 1, 4, 1),
         ("lt", 4, 14, 1), ("lt2", 2, 12, 1)),
    ),
    Story(
        (R.ML_ENGINEER, R.RESEARCH_ENGINEER, R.RESEARCH_SCIENTIST),
        "Shipped on-device vision",
        "A defect-detection model needed a {server} ms server round-trip; factories with poor "
        "connectivity could not use it.",
        "Must run on an edge device with {mem} MB of memory at {fps} frames per second.",
        "Pruning, quantisation-aware training, a smaller architecture search, distillation.",
        "Distillation into a compact CNN with quantisation-aware training, because pruning "
        "alone missed the memory target.",
        "The model runs at {fps2} fps on-device with {acc}% of the server model's accuracy; "
        "scrap rate fell {scrap}%.",
        (("server", 250, 600, 25), ("mem", 256, 1024, 128), ("fps", 15, 30, 5),
         ("fps2", 32, 60, 2), ("acc", 96, 99, 1), ("scrap", 11, 27, 1)),
    ),
)
# fmt: on


STORIES_BY_ROLE_TYPE: dict[str, tuple[Story, ...]] = {
    rt: tuple(s for s in STORIES if rt in s.role_types) for rt in R.values
}


def fill_story(story: Story, rng: random.Random) -> dict[str, str]:
    """The story's six text fields with its numbers drawn from ``rng``."""
    values = {
        name: f"{rng.randrange(low, high + 1, step):,}" for name, low, high, step in story.numbers
    }
    return {
        "title": story.title,
        "problem": story.problem.format(**values),
        "constraints": story.constraints.format(**values),
        "options": story.options.format(**values),
        "decision": story.decision.format(**values),
        "result": story.result.format(**values),
    }
