"""Hand-written labelled set for bench/quality.py: 15 roles x 30 candidates.

Run once to regenerate ``input.json`` (engine score input). The fit judgments live in
``labels.json`` and were written by reading these profiles, before any weight tuning.
"""

import json
from pathlib import Path

RATES = {"base": "USD", "to_base": {"EUR": 1.08, "GBP": 1.27, "INR": 0.012}}


def skills(spec):
    out = []
    for item in spec.split():
        name, level, years = item.split(":")
        out.append({"skill": name, "level": int(level), "years": float(years)})
    return out


def req(spec):
    out = []
    for item in spec.split():
        name, level, *w = item.split(":")
        out.append({"skill": name, "min_level": int(level), "weight": float(w[0]) if w else 1.0})
    return out


def role(rid, title, level, levels, rtype, policy, countries, tz, cities, reqs, nice, ymin, ymax,
         band, cur, domains, stage, size, desc):
    return {
        "id": rid, "company_id": f"co-{rid}", "title": title, "level": level,
        "allowed_levels": levels, "role_type": rtype, "location_policy": policy,
        "allowed_countries": countries, "timezone_range": tz, "cities": cities,
        "required_skills": req(reqs), "nice_to_have": req(nice), "years_min": ymin,
        "years_max": ymax, "pay_band_min": {"amount": band[0], "currency": cur},
        "pay_band_max": {"amount": band[1], "currency": cur}, "domains": domains,
        "company_stage": stage, "company_size": size, "description": desc,
    }


ROLES = [
    role("r01-llm-serving", "LLM serving engineer", "senior", ["senior", "staff"], "ml_engineering",
         "remote", ["US", "CA"], [-8, -3], [], "llm-serving:4 vllm:3 cuda:3 kubernetes:3 python:3",
         "triton:2 ray:2", 5, None, (180000, 240000), "USD", ["ai-infra"], "series-b", "51-200",
         "Run and speed up inference for open-weight LLMs: batching, KV-cache, GPU utilisation, "
         "latency SLOs on Kubernetes."),
    role("r02-dist-training", "Research engineer, distributed training", "staff", ["senior", "staff"],
         "research_engineering", "onsite", ["GB"], None, ["London"],
         "pytorch:4:2 distributed-training:4:2 cuda:3 deepspeed:2", "jax:2 triton:2", 6, None,
         (150000, 200000), "GBP", ["foundation-models"], "series-c", "201-1000",
         "Scale pre-training across thousands of GPUs: parallelism strategies, throughput, "
         "stability of large runs."),
    role("r03-rag", "Applied LLM engineer (RAG)", "mid", ["mid", "senior"], "ml_engineering",
         "remote", ["DE", "FR", "NL", "ES", "PL"], [-1, 3], [],
         "rag:3:2 vector-databases:3 python:3 llm-evaluation:2", "langchain:2 postgresql:2", 2, 8,
         (80000, 110000), "EUR", ["legal-tech"], "series-a", "11-50",
         "Build retrieval-augmented assistants over legal documents; measure answer quality "
         "with evaluation sets."),
    role("r04-mlops", "MLOps platform engineer", "senior", ["senior"], "infrastructure", "hybrid",
         ["DE"], None, ["Berlin"], "mlops:4:2 kubernetes:4 mlflow:3 terraform:3 python:3",
         "airflow:2 argo-cd:2", 5, None, (90000, 120000), "EUR", ["health"], "series-b",
         "51-200", "Own the model training and deployment platform: pipelines, registry, "
         "Kubernetes, infrastructure as code."),
    role("r05-sre", "Site reliability engineer", "senior", ["senior", "staff"], "sre", "remote",
         ["US"], [-8, -4], [], "sre:4:2 kubernetes:4 prometheus:3 terraform:3 go:3 incident-management:3",
         "opentelemetry:2", 5, None, (160000, 200000), "USD", ["fintech"], "public",
         "1000+", "Keep payments infrastructure reliable: on-call, SLOs, incident response, "
         "capacity, automation in Go."),
    role("r06-data-eng", "Data engineer", "mid", ["mid", "senior"], "data_engineering", "remote", [],
         None, [], "spark:3 airflow:3 sql:4:2 dbt:3 kafka:2", "snowflake:2 python:3", 3, 10,
         (60000, 95000), "USD", ["e-commerce"], "series-a", "51-200",
         "Build batch and streaming pipelines and the analytics warehouse models."),
    role("r07-ai-pm", "Product manager, AI features", "senior", ["senior"], "product", "hybrid",
         ["US"], None, ["New York"], "product-management:4:2 prds:4 ab-testing:3 pricing:2",
         "llm-evaluation:2 sql:2", 5, None, (170000, 210000), "USD", ["saas"], "series-c",
         "201-1000", "Own the roadmap for LLM-powered features: discovery, PRDs, experiments, "
         "pricing and packaging."),
    role("r08-cv", "Computer vision engineer", "mid", ["mid", "senior"], "ml_engineering", "remote",
         ["DE", "FR", "NL", "PL", "ES"], [-1, 3], [], "computer-vision:4:2 pytorch:3 python:3 cuda:2",
         "onnx:2", 3, None, (70000, 100000), "EUR", ["robotics"], "series-a", "11-50",
         "Perception models for warehouse robots: detection, segmentation, on-device latency."),
    role("r09-recsys", "Recommender systems ML engineer", "senior", ["senior"], "ml_engineering",
         "remote", ["US", "CA"], [-8, -4], [], "recommender-systems:4:2 python:4 spark:3 ab-testing:3",
         "tensorflow:2 kafka:2", 5, None, (170000, 220000), "USD", ["e-commerce"], "public",
         "1000+", "Ranking and recommendation models for a large marketplace, measured by online "
         "experiments."),
    role("r10-gpu-kernels", "GPU kernel engineer", "staff", ["senior", "staff", "principal"],
         "ml_engineering", "remote", [], None, [], "cuda:5:2 triton:4 cpp:4 pytorch:3", "rust:2", 6,
         None, (200000, 280000), "USD", ["ai-infra"], "series-b", "51-200",
         "Write fused attention and GEMM kernels in CUDA and Triton; profile and beat the "
         "baseline on H100s."),
    role("r11-junior-ml", "Junior ML engineer", "junior", ["junior", "mid"], "ml_engineering",
         "remote", ["IN"], [4, 7], [], "python:3 pytorch:2 sql:2 statistics:2", "docker:1", 0, 3,
         (1800000, 3000000), "INR", ["edtech"], "seed", "11-50",
         "Train and ship small models for learning analytics under a senior mentor."),
    role("r12-observability", "Observability platform engineer", "mid", ["mid", "senior"],
         "infrastructure", "remote", ["DE", "NL", "GB", "PL", "ES", "FR"], [-1, 3], [],
         "opentelemetry:3 prometheus:3 grafana:3 go:3 kubernetes:2", "kafka:2", 3, None,
         (85000, 115000), "EUR", ["devtools"], "series-b", "51-200",
         "Build the metrics, tracing and logging platform used by every team."),
    role("r13-post-training", "Post-training engineer (fine-tuning)", "senior", ["senior", "staff"],
         "research_engineering", "remote", ["US"], [-8, -4], [],
         "fine-tuning:4:2 pytorch:4 llm-evaluation:3 python:4", "distributed-training:2 deepspeed:2",
         4, None, (190000, 250000), "USD", ["foundation-models"], "series-b", "51-200",
         "Fine-tune and align LLMs (SFT, preference optimisation), build the evaluation harness."),
    role("r14-data-science", "Data scientist, experimentation", "mid", ["mid"], "data_science",
         "hybrid", ["GB"], None, ["London"], "statistics:4:2 sql:4 ab-testing:3 python:3",
         "bigquery:2", 2, 7, (60000, 80000), "GBP", ["fintech"], "series-c", "201-1000",
         "Design and analyse experiments, build metrics, advise product teams."),
    role("r15-cloud-infra", "Cloud infrastructure engineer", "mid", ["mid", "senior"],
         "infrastructure", "remote", ["US", "CA"], [-8, -3], [],
         "aws:4:2 terraform:4:2 kubernetes:3 docker:3 ci-cd:3", "helm:2 go:2", 3, None,
         (140000, 180000), "USD", ["saas"], "series-b", "201-1000",
         "Design and run AWS infrastructure with Terraform; CI/CD and Kubernetes for all services."),
]


def cand(cid, spec, years, level, country, city, tz, pref, auth, rtypes, domains, min_pay, text,
         accept_countries=(), accept_cities=(), stages=(), dealbreakers=()):
    return {
        "id": cid, "skills": skills(spec), "years_experience": years, "level": level,
        "country": country, "city": city, "timezone": tz, "remote_preference": pref,
        "work_authorization": auth, "role_types": rtypes, "domains": domains,
        "min_pay": None if min_pay is None else {"amount": min_pay[0], "currency": min_pay[1]},
        "achievements_text": text, "acceptable_countries": list(accept_countries),
        "acceptable_cities": list(accept_cities), "company_stages": list(stages),
        "dealbreakers": list(dealbreakers),
    }


CANDIDATES = [
    cand("c01", "llm-serving:5:3 vllm:4:2 cuda:4:4 kubernetes:3:3 python:5:8 triton:3:1", 8, "senior",
         "US", "Seattle", -8, "remote", ["US"], ["ml_engineering"], ["ai-infra"], (190000, "USD"),
         "Doubled tokens per second serving a 70B model with vLLM by tuning continuous batching "
         "and KV-cache; cut p99 latency 40%."),
    cand("c02", "tensorflow-serving:3:2 python:4:6 kubernetes:4:5 docker:4:5 cuda:2:1", 6, "senior",
         "CA", "Toronto", -5, "remote", ["CA"], ["ml_engineering", "infrastructure"], [],
         (150000, "USD"), "Migrated model serving to Kubernetes with autoscaling on GPUs; "
         "halved inference cost."),
    cand("c03", "pytorch:5:7 distributed-training:5:4 cuda:4:4 deepspeed:4:3 jax:3:2 python:5:9",
         9, "staff", "GB", "London", 0, "onsite", ["GB"], ["research_engineering"],
         ["foundation-models"], (170000, "GBP"), "Scaled a 30B pre-training run to 2,048 GPUs "
         "with 3D parallelism at 52% MFU; fixed loss spikes."),
    cand("c04", "jax:5:4 distributed-training:4:3 python:5:7 tpu:4:3", 7, "senior", "DE", "Berlin", 1,
         "hybrid", ["DE", "GB"], ["research_engineering"], [], (140000, "GBP"),
         "Trained large language models on TPU pods with JAX pjit sharding.",
         accept_countries=["GB"], accept_cities=["London"]),
    cand("c05", "rag:4:2 vector-databases:4:2 python:4:5 llm-evaluation:3:1 langchain:3:2", 4, "mid",
         "NL", "Amsterdam", 1, "remote", ["NL"], ["ml_engineering"], ["legal-tech"],
         (85000, "EUR"), "Built a retrieval assistant over contracts; raised answer accuracy "
         "from 61% to 84% on our evaluation set."),
    cand("c06", "nlp:4:5 python:4:6 elasticsearch:4:4 pytorch:3:3", 6, "senior", "FR", "Paris", 1,
         "remote", ["FR"], ["ml_engineering"], [], (90000, "EUR"),
         "Search relevance for a legal database: BM25 plus neural re-ranking."),
    cand("c07", "mlops:4:4 kubernetes:5:6 mlflow:4:3 terraform:4:4 python:4:7 airflow:3:3", 7,
         "senior", "DE", "Berlin", 1, "hybrid", ["DE"], ["infrastructure"], ["health"],
         (95000, "EUR"), "Built a self-service training platform on Kubernetes used by 40 "
         "data scientists; deploy time from days to minutes."),
    cand("c08", "kubernetes:4:5 terraform:4:5 aws:4:5 docker:4:6 python:3:4 ci-cd:4:5", 6, "senior",
         "DE", "Munich", 1, "remote", ["DE"], ["infrastructure"], [], (85000, "EUR"),
         "Moved 200 services to Terraform-managed AWS and Kubernetes with GitOps."),
    cand("c09", "sre:5:7 kubernetes:4:6 prometheus:4:5 terraform:3:4 go:4:5 incident-management:4:6",
         9, "staff", "US", "Austin", -6, "remote", ["US"], ["sre"], ["fintech"], (185000, "USD"),
         "Led incident response for a payments platform; raised availability from 99.9% to "
         "99.99% and cut pages by 70%."),
    cand("c10", "linux:5:10 prometheus:3:3 python:4:8 ansible:4:6 incident-management:3:5", 10,
         "senior", "US", "Denver", -7, "remote", ["US"], ["sre", "infrastructure"], [],
         (150000, "USD"), "Ran on-call for a hosting company; automated server fleet with Ansible."),
    cand("c11", "spark:4:4 airflow:4:4 sql:5:6 dbt:4:3 kafka:3:2 python:4:5", 5, "mid", "PL",
         "Warsaw", 1, "remote", ["PL"], ["data_engineering"], ["e-commerce"], (55000, "USD"),
         "Rebuilt the order pipeline on Spark and Airflow; warehouse freshness from 24h to 1h."),
    cand("c12", "sql:4:4 python:3:3 pandas:4:3 tableau:3:3 statistics:3:3", 3, "mid", "IN",
         "Bangalore", 5.5, "remote", ["IN"], ["data_engineering", "data_science"], [],
         (25000, "USD"), "Automated weekly reporting with Python and SQL."),
    cand("c13", "product-management:5:8 prds:5:8 ab-testing:4:5 pricing:3:3 sql:3:4", 8, "senior",
         "US", "New York", -5, "hybrid", ["US"], ["product"], ["saas"], (180000, "USD"),
         "Launched an AI writing assistant to 2M users; ran pricing tests that lifted "
         "conversion 18%."),
    cand("c14", "product-management:3:3 prds:3:3 roadmapping:3:3", 3, "mid", "US", "Boston", -5,
         "hybrid", ["US"], ["product"], [], (130000, "USD"),
         "Shipped onboarding improvements for a B2B tool.", accept_cities=["New York"]),
    cand("c15", "computer-vision:5:5 pytorch:4:5 python:4:6 cuda:3:2 onnx:3:2", 5, "senior", "ES",
         "Barcelona", 1, "remote", ["ES"], ["ml_engineering"], ["robotics"], (75000, "EUR"),
         "Real-time object detection for robot picking at 30 fps on Jetson; mAP +12 points."),
    cand("c16", "opencv:4:6 cpp:4:6 python:3:4 computer-vision:3:4", 6, "mid", "PL", "Krakow", 1,
         "remote", ["PL"], ["ml_engineering"], [], (60000, "EUR"),
         "Classical vision pipelines for quality inspection in factories."),
    cand("c17", "recommender-systems:5:5 python:5:8 spark:4:5 ab-testing:4:4 tensorflow:3:3", 8,
         "senior", "US", "San Francisco", -8, "remote", ["US"], ["ml_engineering"],
         ["e-commerce"], (200000, "USD"), "Two-tower retrieval and ranking for a marketplace; "
         "+4% GMV in online A/B tests."),
    cand("c18", "learning-to-rank:4:4 python:4:6 pytorch:3:3 ab-testing:3:3 sql:4:5", 6, "senior", "CA",
         "Vancouver", -8, "remote", ["CA"], ["ml_engineering"], [], (160000, "USD"),
         "Search ranking models for a news app; improved click-through 9%."),
    cand("c19", "cuda:5:6 triton:4:2 cpp:5:10 pytorch:4:4 python:4:6", 10, "staff", "IL", "Tel Aviv",
         2, "remote", ["IL"], ["ml_engineering", "research_engineering"], ["ai-infra"],
         (220000, "USD"), "Wrote fused FlashAttention-style kernels 1.7x faster than baseline "
         "on H100."),
    cand("c20", "cpp:5:9 cuda:3:2 rust:4:3 linux:4:8", 9, "senior", "US", "Chicago", -6, "remote",
         ["US"], ["ml_engineering", "infrastructure"], [], (210000, "USD"),
         "High-frequency trading systems in C++; started GPU programming last year."),
    cand("c21", "python:3:1 pytorch:2:1 sql:2:1 statistics:3:2", 1, "junior", "IN", "Pune", 5.5,
         "remote", ["IN"], ["ml_engineering", "data_science"], ["edtech"], (1500000, "INR"),
         "Capstone: predicted student drop-out with gradient boosting; deployed a small PyTorch "
         "model."),
    cand("c22", "python:3:2 scikit-learn:3:2 sql:3:2 statistics:2:1", 2, "junior", "IN", "Chennai",
         5.5, "remote", ["IN"], [], [], (2000000, "INR"),
         "Built churn models for a telecom as an intern."),
    cand("c23", "opentelemetry:4:3 prometheus:4:4 grafana:4:4 go:4:5 kubernetes:3:4 kafka:3:2", 5,
         "mid", "NL", "Utrecht", 1, "remote", ["NL"], ["infrastructure", "sre"], ["devtools"],
         (90000, "EUR"), "Built the tracing pipeline for 300 services with OpenTelemetry; "
         "cut MTTR 35%."),
    cand("c24", "datadog:4:4 prometheus:3:3 python:4:5 kubernetes:3:3", 5, "mid", "GB", "Leeds", 0,
         "remote", ["GB"], ["infrastructure", "sre"], [], (70000, "GBP"),
         "Rolled out Datadog monitoring and alerting for a SaaS platform."),
    cand("c25", "fine-tuning:5:3 pytorch:5:6 llm-evaluation:4:2 python:5:8 deepspeed:3:2 "
         "distributed-training:3:2", 7, "senior", "US", "New York", -5, "remote", ["US"],
         ["research_engineering", "ml_engineering"], ["foundation-models"], (210000, "USD"),
         "Ran SFT and DPO on 8B-70B models; built an eval harness that caught regressions "
         "before release."),
    cand("c26", "nlp:4:5 pytorch:4:5 hugging-face-transformers:4:3 python:4:6", 5, "senior", "US",
         "Austin", -6, "remote", ["US"], ["ml_engineering", "research_engineering"], [],
         (170000, "USD"), "Fine-tuned BERT models for document classification."),
    cand("c27", "statistics:5:6 sql:5:6 ab-testing:4:5 python:4:6 bigquery:3:3", 5, "mid", "GB",
         "London", 0, "hybrid", ["GB"], ["data_science"], ["fintech"], (65000, "GBP"),
         "Built the experimentation platform's metrics and variance reduction (CUPED); "
         "shortened tests by 30%."),
    cand("c28", "statistics:4:4 r:4:5 sql:3:3 python:2:1", 4, "mid", "GB", "Manchester", 0, "hybrid",
         ["GB"], ["data_science"], [], (55000, "GBP"), "Survey analysis and forecasting in R.",
         accept_cities=["London"]),
    cand("c29", "aws:5:6 terraform:4:5 kubernetes:3:4 docker:4:5 ci-cd:4:5 go:3:2 helm:3:3", 6,
         "senior", "CA", "Montreal", -5, "remote", ["CA"], ["infrastructure"], ["saas"],
         (150000, "USD"), "Re-architected AWS accounts with Terraform; blue-green deploys for 80 "
         "services."),
    cand("c30", "gcp:4:4 terraform:3:3 kubernetes:3:3 docker:3:4 ci-cd:3:3 python:3:4", 4, "mid",
         "US", "Portland", -8, "remote", ["US"], ["infrastructure"], [], (135000, "USD"),
         "Ran GKE clusters and Cloud Build pipelines for a startup."),
]

if __name__ == "__main__":
    doc = {"rates": RATES, "candidates": CANDIDATES, "roles": ROLES}
    out = Path(__file__).with_name("input.json")
    out.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
