"""Random engine instances and a hashing text encoder for the batch and pipeline tests."""

import zlib

import numpy as np

from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import (
    DEALBREAKER_NAMES,
    LEVELS,
    LOCATION_POLICIES,
    Candidate,
    Money,
    Rates,
    RequiredSkill,
    Role,
    SkillClaim,
)

TAX = load_taxonomy()


RATES = Rates("USD", {"EUR": 1.1})


SKILLS = [
    "pytorch",
    "jax",
    "tensorflow",
    "cuda",
    "triton",
    "kubernetes",
    "terraform",
    "python",
    "go",
    "rag",
    "vector-databases",
    "deep-learning-frameworks",
    "flax",
    "mlops",
    "sql",
]


COUNTRIES = ["US", "DE", "GB", "IN"]


CITIES = ["Berlin", "London", "NYC"]


WORDS = ["train", "serve", "scale", "model", "data", "latency", "gpu", "cluster"]


class HashEncoder:
    """A tiny deterministic bag-of-words encoder (fast; any encoder works for equality)."""

    name, dim = "hash", 16

    def encode(self, texts):
        out = np.zeros((len(texts), 16), np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, zlib.crc32(w.encode()) % 16] += 1
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        norm[norm == 0] = 1
        return (out / norm).astype(np.float32)


def _some(rng, items, lo=0, hi=2):
    return frozenset(rng.sample(items, rng.randint(lo, hi)))


def random_instance(rng, n, m):
    cands = []
    for i in range(n):
        cands.append(
            Candidate(
                f"c{i}",
                tuple(
                    SkillClaim(s, rng.randint(1, 5), rng.random() * 5)
                    for s in rng.sample(SKILLS, rng.randint(0, 6))
                ),
                rng.choice([0, 1, 3, 5, 8, 12, 20]),
                rng.choice(LEVELS),
                rng.choice(COUNTRIES),
                rng.choice([*CITIES, ""]),
                rng.choice([-5, 0, 1, 5.5]),
                rng.choice(LOCATION_POLICIES),
                _some(rng, COUNTRIES),
                _some(rng, CITIES),
                _some(rng, COUNTRIES),
                _some(rng, ["mle", "sre", "research"]),
                _some(rng, ["health", "fin", "ads"]),
                _some(rng, ["seed", "a", "b"]),
                _some(rng, ["s", "m", "l"]),
                rng.choice(
                    [
                        None,
                        Money(
                            rng.choice([0, 50000, 100000, 150000]),
                            rng.choice(["USD", "EUR"]),
                            rng.choice(["year", "month"]),
                        ),
                    ]
                ),
                _some(rng, sorted(DEALBREAKER_NAMES), 0, 3),
                {
                    k: rng.choice([0, 0.5, 1, 2])
                    for k in rng.sample(
                        ["pay", "domain", "company_stage", "company_size"], rng.randint(0, 3)
                    )
                },
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5))),
            )
        )
    roles = []
    for j in range(m):
        policy = rng.choice(LOCATION_POLICIES)
        lo = rng.choice([40000, 90000, 120000])
        req = rng.sample(SKILLS, rng.randint(0, 4))
        nice = rng.sample([s for s in SKILLS if s not in req], rng.randint(0, 2))
        ymin = rng.choice([0, 2, 5])
        roles.append(
            Role(
                f"r{j}",
                "co",
                f"t{j}",
                rng.choice(LEVELS),
                rng.choice(["mle", "sre", "research"]),
                Money(lo, "USD"),
                Money(lo + rng.choice([0, 20000, 60000]), "USD"),
                tuple(RequiredSkill(s, rng.randint(1, 5), rng.choice([0.5, 1, 2])) for s in req),
                tuple(RequiredSkill(s, rng.randint(1, 5)) for s in nice),
                tuple(rng.sample(LEVELS, rng.randint(0, 3))),
                _some(rng, ["health", "fin", "ads"]),
                rng.choice(["seed", "a", "b", ""]),
                rng.choice(["s", "m", "l"]),
                policy,
                _some(rng, COUNTRIES, 1 if policy != "remote" else 0, 3),
                rng.choice([None, (-6.0, 2.0), (0.0, 6.0)]),
                _some(rng, CITIES) if policy != "remote" else frozenset(),
                ymin,
                rng.choice([None, ymin + 3, ymin + 10]),
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5))),
            )
        )
    return cands, roles


class Cancelled(Exception):
    pass


class Blank:
    name, dim = "blank", 4

    def encode(self, texts):
        import numpy as np

        return np.zeros((len(texts), 4), np.float32)
