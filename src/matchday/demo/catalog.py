"""The vocabularies the demo generator draws from: places and pay, skills per role type,
titles, names, companies, achievements and interview steps.

Pay anchors are indicative base salaries for a *senior* AI/infrastructure engineer in each
city, in the local currency per year (2025–26 market surveys, rounded). Other levels and
periods are derived from them (see ``LEVEL_PAY_FACTOR`` and ``pay_for_period``).
"""

from __future__ import annotations

from dataclasses import dataclass

from matchday.core.choices import Domain, Level, RoleType


@dataclass(frozen=True)
class Place:
    country: str  # ISO 3166-1 alpha-2
    city: str
    timezone: str  # IANA
    currency: str
    continent: str
    senior_pay: int  # per year, local currency (or USD where the local one is not offered)
    weight: int  # how often people and companies are placed here


PLACES: tuple[Place, ...] = (
    Place("US", "San Francisco", "America/Los_Angeles", "USD", "north-america", 205_000, 14),
    Place("US", "Seattle", "America/Los_Angeles", "USD", "north-america", 190_000, 6),
    Place("US", "New York", "America/New_York", "USD", "north-america", 195_000, 10),
    Place("US", "Boston", "America/New_York", "USD", "north-america", 180_000, 4),
    Place("US", "Austin", "America/Chicago", "USD", "north-america", 165_000, 4),
    Place("CA", "Toronto", "America/Toronto", "CAD", "north-america", 155_000, 5),
    Place("CA", "Vancouver", "America/Vancouver", "CAD", "north-america", 150_000, 3),
    Place("CA", "Montréal", "America/Toronto", "CAD", "north-america", 135_000, 3),
    Place("MX", "Mexico City", "America/Mexico_City", "USD", "north-america", 75_000, 2),
    Place("BR", "São Paulo", "America/Sao_Paulo", "BRL", "south-america", 310_000, 3),
    Place(
        "AR", "Buenos Aires", "America/Argentina/Buenos_Aires", "USD", "south-america", 65_000, 2
    ),
    Place("GB", "London", "Europe/London", "GBP", "europe", 105_000, 10),
    Place("GB", "Cambridge", "Europe/London", "GBP", "europe", 90_000, 2),
    Place("GB", "Edinburgh", "Europe/London", "GBP", "europe", 80_000, 2),
    Place("IE", "Dublin", "Europe/Dublin", "EUR", "europe", 95_000, 3),
    Place("DE", "Berlin", "Europe/Berlin", "EUR", "europe", 85_000, 7),
    Place("DE", "Munich", "Europe/Berlin", "EUR", "europe", 95_000, 4),
    Place("FR", "Paris", "Europe/Paris", "EUR", "europe", 78_000, 6),
    Place("NL", "Amsterdam", "Europe/Amsterdam", "EUR", "europe", 88_000, 4),
    Place("ES", "Barcelona", "Europe/Madrid", "EUR", "europe", 62_000, 3),
    Place("ES", "Madrid", "Europe/Madrid", "EUR", "europe", 60_000, 2),
    Place("PT", "Lisbon", "Europe/Lisbon", "EUR", "europe", 52_000, 2),
    Place("CH", "Zürich", "Europe/Zurich", "CHF", "europe", 155_000, 4),
    Place("CH", "Geneva", "Europe/Zurich", "CHF", "europe", 140_000, 1),
    Place("SE", "Stockholm", "Europe/Stockholm", "SEK", "europe", 780_000, 2),
    Place("PL", "Warsaw", "Europe/Warsaw", "PLN", "europe", 310_000, 3),
    Place("PL", "Kraków", "Europe/Warsaw", "PLN", "europe", 290_000, 2),
    Place("EE", "Tallinn", "Europe/Tallinn", "EUR", "europe", 60_000, 1),
    Place("IL", "Tel Aviv", "Asia/Jerusalem", "USD", "asia", 165_000, 2),
    Place("IN", "Bengaluru", "Asia/Kolkata", "INR", "asia", 4_200_000, 7),
    Place("IN", "Hyderabad", "Asia/Kolkata", "INR", "asia", 3_600_000, 3),
    Place("IN", "Pune", "Asia/Kolkata", "INR", "asia", 3_200_000, 2),
    Place("SG", "Singapore", "Asia/Singapore", "SGD", "asia", 165_000, 4),
    Place("JP", "Tokyo", "Asia/Tokyo", "JPY", "asia", 12_000_000, 3),
    Place("KR", "Seoul", "Asia/Seoul", "USD", "asia", 95_000, 1),
    Place("AU", "Sydney", "Australia/Sydney", "AUD", "oceania", 190_000, 3),
    Place("AU", "Melbourne", "Australia/Melbourne", "AUD", "oceania", 180_000, 2),
    Place("NZ", "Auckland", "Pacific/Auckland", "USD", "oceania", 105_000, 1),
    Place("KE", "Nairobi", "Africa/Nairobi", "USD", "africa", 55_000, 2),
    Place("NG", "Lagos", "Africa/Lagos", "USD", "africa", 50_000, 2),
    Place("ZA", "Cape Town", "Africa/Johannesburg", "USD", "africa", 70_000, 1),
)

EU_COUNTRIES = ("DE", "FR", "NL", "ES", "PT", "IE", "EE", "PL", "SE")

# Hiring regions: remote roles are usually open to one region (a band of time zones), its
# neighbour (Americas with EMEA, EMEA with APAC), one country, or anywhere.
CONTINENT_REGION = {
    "north-america": "americas",
    "south-america": "americas",
    "europe": "emea",
    "africa": "emea",
    "asia": "apac",
    "oceania": "apac",
}
COUNTRY_REGION = {"IL": "emea"}  # Tel Aviv works European hours
NEIGHBOUR_REGIONS = {"americas": ("emea",), "emea": ("americas", "apac"), "apac": ("emea",)}


# Remote roles open beyond their own country benchmark their band to the market they hire
# in: a senior base salary in USD per year for the region, and for roles open anywhere (which
# pay in USD). A band is never below the company's local one.
REGION_PAY_USD = {"americas": 195_000, "emea": 140_000, "apac": 140_000}
ANYWHERE_PAY_USD = 190_000


def region_of(place: Place) -> str:
    """The hiring region of a place (``americas``, ``emea`` or ``apac``)."""
    return COUNTRY_REGION.get(place.country, CONTINENT_REGION[place.continent])


LEVEL_PAY_FACTOR = {
    Level.JUNIOR: 0.58,
    Level.MID: 0.78,
    Level.SENIOR: 1.0,
    Level.STAFF: 1.3,
    Level.PRINCIPAL: 1.6,
}
# (low, high) years of professional experience typical of each level.
LEVEL_YEARS = {
    Level.JUNIOR: (0.5, 2.5),
    Level.MID: (2.0, 6.0),
    Level.SENIOR: (5.0, 11.0),
    Level.STAFF: (8.0, 16.0),
    Level.PRINCIPAL: (12.0, 25.0),
}
LEVEL_WEIGHTS = {  # people and roles alike: a senior-heavy market
    Level.JUNIOR: 6,
    Level.MID: 26,
    Level.SENIOR: 46,
    Level.STAFF: 16,
    Level.PRINCIPAL: 6,
}
# The chance a role at a level is also open to a neighbouring level, as real postings are
# ("Senior/Staff ML engineer"): many senior roles take staff people and many mid roles take
# senior ones; some take the level below (a strong mid for a senior role), some staff roles
# take a principal. Each entry is tried on its own, in this order.
ACCEPTED_LEVEL_CHANCE = {
    Level.JUNIOR: ((Level.MID, 0.35),),
    Level.MID: ((Level.SENIOR, 0.45), (Level.JUNIOR, 0.15)),
    Level.SENIOR: ((Level.STAFF, 0.45), (Level.MID, 0.2)),
    Level.STAFF: ((Level.PRINCIPAL, 0.3), (Level.SENIOR, 0.25)),
    Level.PRINCIPAL: ((Level.STAFF, 0.35),),
}
# The skill level (1–5) someone at each career level typically holds in their core skills.
LEVEL_SKILL_CENTRE = {
    Level.JUNIOR: 2.4,
    Level.MID: 3.1,
    Level.SENIOR: 3.8,
    Level.STAFF: 4.3,
    Level.PRINCIPAL: 4.6,
}
LEVEL_TITLE = {
    Level.JUNIOR: "Junior",
    Level.MID: "",
    Level.SENIOR: "Senior",
    Level.STAFF: "Staff",
    Level.PRINCIPAL: "Principal",
}

# Share of each pay period, and the (rough) working days/hours behind each conversion.
WORK_DAYS_PER_YEAR = 220
CONTRACT_PREMIUM = 1.35  # day and hour rates carry no benefits, so they run higher
MONTHLY_COUNTRIES = frozenset({"BR", "PL", "AR", "MX"})
CONTRACTOR_COUNTRIES = frozenset({"GB", "DE", "NL", "US", "CH", "IE"})


@dataclass(frozen=True)
class RoleProfile:
    """What a person in this role type typically knows, and what roles ask for."""

    weight: int
    core: tuple[str, ...]  # almost everyone has these (the first two always); roles require them
    common: tuple[str, ...]  # many have these
    optional: tuple[str, ...]  # a few have these; roles list them as nice to have
    titles: tuple[str, ...]
    adjacent: tuple[str, ...]  # role types such people also consider
    domains: tuple[str, ...]


ROLE_PROFILES: dict[str, RoleProfile] = {
    RoleType.ML_ENGINEER: RoleProfile(
        weight=18,
        core=("python", "pytorch", "machine-learning", "deep-learning"),
        common=(
            "scikit-learn", "model-serving", "mlflow", "docker", "sql", "feature-engineering",
            "model-evaluation", "tensorflow", "aws", "kubernetes", "numpy", "pandas",
        ),
        optional=(
            "recommender-systems", "learning-to-rank", "computer-vision", "nlp", "ray", "spark",
            "onnx", "quantization", "xgboost", "gcp", "time-series", "anomaly-detection",
        ),
        titles=("ML Engineer", "Machine Learning Engineer", "Applied ML Engineer"),
        adjacent=(RoleType.MLOPS_ENGINEER, RoleType.LLM_ENGINEER, RoleType.RESEARCH_ENGINEER),
        domains=(Domain.ECOMMERCE, Domain.FINTECH, Domain.HEALTH, Domain.MEDIA, Domain.DEVTOOLS),
    ),
    RoleType.LLM_ENGINEER: RoleProfile(
        weight=18,
        core=("large-language-models", "rag", "python", "llm-evaluation"),
        common=(
            "llm-serving", "pytorch", "hugging-face-transformers", "prompt-engineering",
            "vector-databases", "embeddings", "fine-tuning", "langchain", "vllm", "openai-api",
            "fastapi", "ai-agents",
        ),
        optional=(
            "lora", "dpo", "guardrails", "llamaindex", "pgvector", "qdrant", "structured-outputs",
            "dspy", "llm-observability", "semantic-search", "speculative-decoding", "kv-cache",
            "anthropic-api",
        ),
        titles=("LLM Engineer", "Applied AI Engineer", "AI Engineer, LLM Products"),
        adjacent=(RoleType.ML_ENGINEER, RoleType.RESEARCH_ENGINEER, RoleType.MLOPS_ENGINEER),
        domains=(
            Domain.FOUNDATION_MODELS, Domain.DEVTOOLS, Domain.ENTERPRISE, Domain.EDUCATION,
            Domain.SECURITY,
        ),
    ),
    RoleType.INFRA_SRE: RoleProfile(
        weight=14,
        core=("kubernetes", "terraform", "linux", "sre"),
        common=(
            "prometheus", "grafana", "observability", "docker", "aws", "incident-management",
            "slos", "helm", "ci-cd", "go", "python", "networking",
        ),
        optional=(
            "gcp", "azure", "istio", "envoy", "opentelemetry", "chaos-engineering",
            "capacity-planning", "ansible", "postgresql", "kafka", "argo-cd", "datadog",
        ),
        titles=("Site Reliability Engineer", "Infrastructure Engineer", "SRE, ML Platform"),
        adjacent=(RoleType.PLATFORM_ENGINEER, RoleType.MLOPS_ENGINEER),
        domains=(Domain.INFRASTRUCTURE, Domain.FINTECH, Domain.DEVTOOLS, Domain.SECURITY),
    ),
    RoleType.PLATFORM_ENGINEER: RoleProfile(
        weight=8,
        core=("kubernetes", "platform-engineering", "terraform", "go"),
        common=(
            "docker", "ci-cd", "github-actions", "argo-cd", "helm", "aws", "gcp",
            "infrastructure-as-code", "service-mesh", "observability", "python", "microservices",
        ),
        optional=(
            "pulumi", "kustomize", "grpc", "envoy", "bazel", "security", "secrets-management",
            "finops", "gpu-cluster-management", "kubernetes-security",
        ),
        titles=("Platform Engineer", "Developer Platform Engineer", "Cloud Platform Engineer"),
        adjacent=(RoleType.INFRA_SRE, RoleType.MLOPS_ENGINEER),
        domains=(Domain.INFRASTRUCTURE, Domain.DEVTOOLS, Domain.ENTERPRISE),
    ),
    RoleType.MLOPS_ENGINEER: RoleProfile(
        weight=10,
        core=("mlops", "kubernetes", "python", "model-serving"),
        common=(
            "mlflow", "kubeflow", "docker", "ci-cd", "feature-stores", "experiment-tracking",
            "terraform", "aws-sagemaker", "ml-monitoring", "airflow", "triton-inference-server",
            "kserve",
        ),
        optional=(
            "bentoml", "ray-serve", "vertex-ai", "argo-workflows", "gpu-cluster-management",
            "prometheus", "weights-and-biases", "onnx-runtime", "tensorrt",
        ),
        titles=("MLOps Engineer", "ML Platform Engineer", "ML Infrastructure Engineer"),
        adjacent=(RoleType.ML_ENGINEER, RoleType.PLATFORM_ENGINEER, RoleType.INFRA_SRE),
        domains=(Domain.INFRASTRUCTURE, Domain.FINTECH, Domain.HEALTH, Domain.ECOMMERCE),
    ),
    RoleType.DATA_ENGINEER: RoleProfile(
        weight=12,
        core=("python", "sql", "data-engineering", "spark"),
        common=(
            "airflow", "dbt", "kafka", "snowflake", "bigquery", "data-modeling",
            "data-warehousing", "postgresql", "parquet", "data-quality", "aws", "docker",
        ),
        optional=(
            "flink", "dagster", "iceberg", "databricks", "scala", "stream-processing", "duckdb",
            "clickhouse", "arrow", "polars", "data-governance",
        ),
        titles=("Data Engineer", "Analytics Platform Engineer", "Data Infrastructure Engineer"),
        adjacent=(RoleType.ML_ENGINEER, RoleType.MLOPS_ENGINEER),
        domains=(Domain.FINTECH, Domain.ECOMMERCE, Domain.CLIMATE, Domain.HEALTH, Domain.MEDIA),
    ),
    RoleType.RESEARCH_ENGINEER: RoleProfile(
        weight=9,
        core=("pytorch", "distributed-training", "python", "deep-learning"),
        common=(
            "jax", "transformer-architecture", "cuda", "research-engineering", "fsdp",
            "deepspeed", "experiment-tracking", "weights-and-biases", "slurm", "numpy",
        ),
        optional=(
            "triton", "megatron-lm", "mixture-of-experts", "rlhf", "benchmarking", "cpp", "nccl",
            "tpu", "llm-pretraining", "quantization",
        ),
        titles=("Research Engineer", "ML Research Engineer", "Research Engineer, Pretraining"),
        adjacent=(RoleType.RESEARCH_SCIENTIST, RoleType.ML_ENGINEER, RoleType.LLM_ENGINEER),
        domains=(Domain.FOUNDATION_MODELS, Domain.ROBOTICS, Domain.HEALTH),
    ),
    RoleType.RESEARCH_SCIENTIST: RoleProfile(
        weight=5,
        core=("ml-research", "deep-learning", "python", "pytorch"),
        common=(
            "academic-publishing", "transformer-architecture", "statistics", "optimization",
            "reinforcement-learning", "jax", "research", "self-supervised-learning",
        ),
        optional=(
            "interpretability-research", "causal-inference", "bayesian-methods",
            "diffusion-models", "multimodal-learning", "rlhf", "dpo", "ai-safety", "gnn",
        ),
        titles=("Research Scientist", "Applied Research Scientist", "Research Scientist, Alignment"),
        adjacent=(RoleType.RESEARCH_ENGINEER, RoleType.LLM_ENGINEER),
        domains=(Domain.FOUNDATION_MODELS, Domain.ROBOTICS, Domain.HEALTH, Domain.CLIMATE),
    ),
    RoleType.TPM_PM: RoleProfile(
        weight=6,
        core=(
            "technical-product-management", "product-management", "roadmapping",
            "stakeholder-management",
        ),
        common=(
            "ai-product-management", "prds", "ab-testing", "product-analytics", "machine-learning",
            "cross-functional-collaboration", "user-research", "okrs", "sql",
        ),
        optional=(
            "go-to-market", "pricing", "large-language-models", "developer-relations",
            "technical-writing", "agile", "project-management", "llm-evaluation",
        ),
        titles=("Technical Product Manager", "Product Manager, AI Platform", "Technical Program Manager"),
        adjacent=(),
        domains=(Domain.DEVTOOLS, Domain.ENTERPRISE, Domain.FOUNDATION_MODELS, Domain.EDUCATION),
    ),
}  # fmt: skip

# How often companies post each role type (``RoleProfile.weight`` is how common the people
# are): LLM, ML and MLOps roles are in higher demand than there are specialists.
ROLE_DEMAND: dict[str, int] = {
    RoleType.ML_ENGINEER: 20,
    RoleType.LLM_ENGINEER: 22,
    RoleType.INFRA_SRE: 11,
    RoleType.PLATFORM_ENGINEER: 8,
    RoleType.MLOPS_ENGINEER: 13,
    RoleType.DATA_ENGINEER: 10,
    RoleType.RESEARCH_ENGINEER: 8,
    RoleType.RESEARCH_SCIENTIST: 4,
    RoleType.TPM_PM: 4,
}

# Skills that any of these engineers may pick up regardless of role type.
GENERAL_SKILLS = (
    "git", "testing", "code-review", "system-design", "technical-writing", "mentoring",
    "open-source", "technical-leadership", "bash", "rust", "cpp", "typescript",
)  # fmt: skip

RESPONSIBILITIES: dict[str, tuple[str, ...]] = {
    RoleType.ML_ENGINEER: (
        "Own models from offline experiments to production traffic.",
        "Design evaluation sets and online A/B tests that the business trusts.",
        "Keep training and inference pipelines reproducible and cheap.",
        "Partner with product to turn fuzzy goals into measurable model targets.",
        "Profile and cut serving latency and cost.",
    ),
    RoleType.LLM_ENGINEER: (
        "Build retrieval-augmented features that users rely on every day.",
        "Own the evaluation harness: golden sets, LLM-as-judge checks, regression gates.",
        "Serve open-weight models efficiently (batching, quantisation, caching).",
        "Fine-tune and distil models where prompting stops paying off.",
        "Put guardrails, observability and cost controls around every LLM call.",
    ),
    RoleType.INFRA_SRE: (
        "Run the Kubernetes fleet that serves production and GPU workloads.",
        "Define SLOs with service owners and make them visible.",
        "Lead incident response and write blameless reviews that change things.",
        "Automate everything with Terraform and GitOps.",
        "Plan capacity and keep cloud spend predictable.",
    ),
    RoleType.PLATFORM_ENGINEER: (
        "Build the paved road: templates, CI/CD and environments teams love to use.",
        "Own the internal developer platform on Kubernetes.",
        "Make secure defaults the easy path (secrets, identities, policies).",
        "Measure developer experience and remove the slowest steps.",
    ),
    RoleType.MLOPS_ENGINEER: (
        "Own the path from notebook to monitored production model.",
        "Run the feature store, model registry and training orchestration.",
        "Operate GPU inference with autoscaling and clear cost attribution.",
        "Detect drift and data-quality problems before customers do.",
    ),
    RoleType.DATA_ENGINEER: (
        "Design batch and streaming pipelines with clear contracts.",
        "Model the warehouse so analysts and ML teams can self-serve.",
        "Own data quality checks, lineage and backfills.",
        "Keep pipeline cost and freshness within agreed targets.",
    ),
    RoleType.RESEARCH_ENGINEER: (
        "Scale training runs across hundreds of accelerators.",
        "Turn research ideas into fast, correct, tested code.",
        "Build the evaluation and ablation tooling researchers depend on.",
        "Find and fix throughput bottlenecks in data loading, kernels and communication.",
    ),
    RoleType.RESEARCH_SCIENTIST: (
        "Set a research agenda with clear milestones and publish the results.",
        "Design experiments that settle questions quickly and convincingly.",
        "Work with engineers to bring findings into products.",
        "Mentor researchers and review their work.",
    ),
    RoleType.TPM_PM: (
        "Own the roadmap for an ML-heavy product area.",
        "Write crisp PRDs with measurable success criteria.",
        "Align research, engineering and go-to-market teams on trade-offs.",
        "Define and track the metrics that say whether a model launch worked.",
    ),
}

INTERVIEW_STEPS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "common": (
        ("Intro call", "A conversation with the hiring manager about the role and you.", 30),
        ("Values and collaboration", "How you work with others; bring real examples.", 45),
    ),
    "engineering": (
        ("Technical deep dive", "Walk us through a system you built and the trade-offs.", 60),
        ("System design", "Design a production system relevant to the team's work.", 60),
        ("Pairing session", "Solve a realistic problem together in your own editor.", 90),
    ),
    "research": (
        ("Research talk", "Present a piece of your work (30 minutes plus questions).", 60),
        ("Paper discussion", "Discuss a recent paper we send you in advance.", 45),
        ("Coding exercise", "Implement and test a small model component.", 75),
    ),
    "product": (
        ("Product case", "Scope an ML feature from a customer problem to a launch plan.", 60),
        ("Metrics exercise", "Define success metrics and read a mock experiment.", 45),
        ("Stakeholder panel", "Meet engineering and research leads.", 60),
    ),
}

# Each demo interview step's prep: (format, who interviews, what it assesses, what to prepare).
STEP_PREP: dict[str, tuple[str, str, str, str]] = {
    "Intro call": ("conversation", "Hiring manager", "Motivation and what you want next.",
                   "Think about what you want from your next role and questions for us."),
    "Values and collaboration": ("behavioural", "Two future teammates",
                                 "How you work with others under pressure.",
                                 "Bring two examples of disagreements you helped resolve."),
    "Technical deep dive": ("deep-dive", "Senior engineer", "Depth in a system you built.",
                            "Pick one system; know its architecture, numbers and failures."),
    "System design": ("system-design", "Staff engineer", "Designing for scale and failure.",
                      "Revise queues, caching, replication and how you estimate capacity."),
    "Pairing session": ("coding", "Two engineers", "Clear, tested code in a real codebase.",
                        "Set up your editor with Python and tests; think aloud as you work."),
    "Research talk": ("research", "Research scientists", "Rigour and clarity about your work.",
                      "Prepare 30 minutes on one project: question, experiments, results."),
    "Paper discussion": ("deep-dive", "Research engineer", "Reading and critiquing research.",
                         "Read the paper we send; note one strength and one weakness."),
    "Coding exercise": ("coding", "Research engineer", "Implementing a model component.",
                        "Practise implementing attention or a loss in PyTorch with tests."),
    "Product case": ("case", "Head of product", "Framing, prioritisation, measurement.",
                     "Practise going from a customer problem to a launch plan and a metric."),
    "Metrics exercise": ("case", "Data scientist", "Choosing and reading metrics.",
                         "Revise A/B test basics: power, guardrail metrics, novelty effects."),
    "Stakeholder panel": ("leadership", "Engineering and research leads",
                          "Influence without authority.",
                          "Bring an example of a roadmap decision you defended."),
}  # fmt: skip

FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Ana", "Anders", "Arjun", "Astrid", "Ayumi", "Bea", "Bilal",
    "Camille", "Carlos", "Chen", "Chidi", "Chloé", "Dana", "Daniel", "Deepa", "Diego", "Dmitri",
    "Elena", "Emeka", "Emma", "Fatima", "Felix", "Fernanda", "Gabriel", "Grace", "Hana", "Hannah",
    "Hiroshi", "Ibrahim", "Ines", "Isabel", "Jakob", "James", "Jin", "João", "Julia", "Kai",
    "Kavya", "Kenji", "Kofi", "Lars", "Layla", "Leila", "Liam", "Lucas", "Lucía", "Maja",
    "Marco", "Maria", "Mateo", "Mei", "Mohammed", "Nadia", "Naveen", "Nia", "Nikhil", "Noah",
    "Olga", "Omar", "Oskar", "Priya", "Rafael", "Rahul", "Rania", "Ravi", "Rosa", "Ruth",
    "Sakura", "Samuel", "Sara", "Seo-yeon", "Shreya", "Sofia", "Tariq", "Thandiwe", "Tomás",
    "Uma", "Valentina", "Vikram", "Wanjiru", "Wei", "Yara", "Yusuf", "Zainab", "Zoe", "Ada",
    "Ben", "Clara", "Erik", "Farah", "Ivan", "Kwame", "Lina", "Min-jun", "Paulo", "Tanvi",
)  # fmt: skip
LAST_NAMES = (
    "Abubakar", "Adeyemi", "Andersson", "Bauer", "Bianchi", "Brown", "Castillo", "Chatterjee",
    "Chen", "Costa", "Da Silva", "Dubois", "Eriksson", "Fernández", "Fischer", "García", "Gupta",
    "Haddad", "Hansen", "Hernández", "Hoffmann", "Ivanova", "Iyer", "Jansen", "Kamau", "Kapoor",
    "Kim", "Kowalski", "Kumar", "Larsen", "Laurent", "Lee", "Li", "López", "Martin", "Martínez",
    "Mensah", "Meyer", "Moreau", "Mukherjee", "Müller", "Murphy", "Nakamura", "Nair", "Nguyen",
    "Novak", "Nowak", "Okafor", "Okonkwo", "Oliveira", "O'Brien", "Park", "Patel", "Pereira",
    "Petrov", "Rao", "Reddy", "Rossi", "Sato", "Schmidt", "Schneider", "Sharma", "Silva",
    "Singh", "Smith", "Suzuki", "Svensson", "Takahashi", "Tanaka", "Thompson", "Torres",
    "Van der Berg", "Wagner", "Walker", "Wang", "Weber", "Williams", "Wilson", "Wong", "Wu",
    "Yamamoto", "Yilmaz", "Zhang", "Zhou", "Zielinski", "Osei", "Njoroge", "Ferreira", "Haas",
)  # fmt: skip

COMPANY_PREFIXES = (
    "Tensor", "Lattice", "Vector", "Gradient", "Kernel", "Cobalt", "Northwind", "Helix", "Quanta",
    "Ember", "Atlas", "Orbit", "Cedar", "Meridian", "Basalt", "Lumen", "Nimbus", "Parallax",
    "Sable", "Tidal", "Aperture", "Beacon", "Cinder", "Delta", "Fathom", "Granite", "Harbor",
    "Iris", "Juniper", "Keystone", "Lantern", "Monolith", "Nova", "Onyx", "Prism", "Quill",
    "Relay", "Sierra", "Torus", "Umbra", "Vertex", "Willow", "Zephyr", "Foundry", "Signal",
)  # fmt: skip
COMPANY_SUFFIXES = ("Labs", "AI", "Systems", "Works", "Intelligence", "Dynamics", "Learning")
DOMAIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    Domain.FOUNDATION_MODELS: ("Research", "Models"),
    Domain.DEVTOOLS: ("Dev", "Code"),
    Domain.INFRASTRUCTURE: ("Cloud", "Compute"),
    Domain.FINTECH: ("Pay", "Finance"),
    Domain.HEALTH: ("Health", "Bio"),
    Domain.CLIMATE: ("Energy", "Climate"),
    Domain.ROBOTICS: ("Robotics", "Autonomy"),
    Domain.SECURITY: ("Security", "Shield"),
    Domain.ECOMMERCE: ("Commerce", "Market"),
    Domain.EDUCATION: ("Learn", "Education"),
    Domain.MEDIA: ("Media", "Studios"),
    Domain.ENTERPRISE: ("Software", "Analytics"),
}
STAGE_PHRASE = {
    "seed": "a seed-stage company",
    "series-a": "a Series A company",
    "series-b": "a Series B company",
    "growth": "a growth-stage company",
    "public": "a public company",
    "nonprofit": "a non-profit research lab",
}

DOMAIN_PITCH: dict[str, tuple[str, str]] = {
    Domain.FOUNDATION_MODELS: (
        "trains open-weight foundation models",
        "researchers and enterprises",
    ),
    Domain.DEVTOOLS: ("builds developer tools powered by code models", "software teams"),
    Domain.INFRASTRUCTURE: ("runs GPU cloud infrastructure", "AI companies that need capacity"),
    Domain.FINTECH: ("builds real-time risk and fraud models", "banks and payment providers"),
    Domain.HEALTH: (
        "applies machine learning to diagnostics and drug discovery",
        "clinicians and labs",
    ),
    Domain.CLIMATE: ("forecasts renewable generation and grid demand", "utilities and traders"),
    Domain.ROBOTICS: ("builds perception and control for warehouse robots", "logistics operators"),
    Domain.SECURITY: ("detects threats in cloud and identity logs", "security teams"),
    Domain.ECOMMERCE: ("ranks and recommends products", "online retailers and marketplaces"),
    Domain.EDUCATION: ("builds AI tutors that adapt to each learner", "schools and universities"),
    Domain.MEDIA: ("personalises streaming and news feeds", "publishers and broadcasters"),
    Domain.ENTERPRISE: ("automates document-heavy workflows with LLMs", "legal and finance teams"),
}

BENEFITS = (
    "Private health cover for you and dependants.",
    "Learning budget and conference time.",
    "Flexible hours; core overlap of four hours.",
    "Home-office budget.",
    "Parental leave well above the legal minimum.",
    "Generous compute budget for side experiments.",
    "30 days of paid holiday.",
    "Pension or retirement matching.",
)
EQUITY_BY_STAGE = {
    "seed": "Meaningful early equity (options), four-year vesting, one-year cliff.",
    "series-a": "Stock options with a ten-year exercise window.",
    "series-b": "Stock options, refreshed yearly for strong performance.",
    "growth": "RSUs vesting quarterly.",
    "public": "RSUs vesting quarterly plus an employee stock purchase plan.",
    "nonprofit": "",
}
REJECTION_REASONS_CANDIDATE = (
    "Profile describes data-analysis work mainly; not yet the engineering depth our roles need.",
    "Achievements lack measured results; please add numbers and re-apply.",
    "Skills claimed at level 5 are not supported by the evidence given.",
    "We could not verify the links and work history provided.",
)
REJECTION_REASONS_COMPANY = (
    "Could not verify the legal entity or the hiring manager.",
    "Posted bands are below what the company pays for the same roles.",
    "Unresolved conduct complaints from previous candidates.",
)
