"""Property-based tests of the whole API against its own OpenAPI schema, for every persona.

For each operation schemathesis generates requests from the schema (valid and invalid ones)
and sends each one with every persona's API key and with no key at all, checking: no 5xx,
every status code is one the operation documents, the content type and every response body
match the schema, and no key means 401. Bounded (``MAX_EXAMPLES`` per operation) and
deterministic (``derandomize``).

Cost: the marketplace is seeded once per module, and a request is generated once per
operation rather than once per operation and persona; generation, not the HTTP calls, is
most of the time.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from matchday.talent.models import PartnerNote
from tests import factories
from tests.api.helpers import ApiClient, key_for, seed_matchday

PERSONAS = ["candidate", "company", "other_company", "partner", "anonymous"]
MAX_EXAMPLES = 5

# Fuzzing only (the coverage phase alone sends hundreds of boundary cases per operation);
# valid and invalid inputs both, so the 422 bodies are checked too.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "generation": {"mode": "all"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture
def wsgi_requests_share_the_test_transaction():
    """Django closes "old" connections at each request's end; inside a test's transaction
    that would discard the test database. Django's own test client disconnects the same
    handlers while it runs (and connects them again after each request); do the same for
    schemathesis's WSGI calls, for the whole test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def seed_marketplace() -> dict[str, str]:
    """A small marketplace (vetted and pending companies with draft and open roles, active
    and submitted candidates, a Match Day in review with a proposal and a released intro)
    and one API key per persona."""
    member = factories.CompanyMemberFactory(company__vetted=True)
    other = factories.CompanyMemberFactory(company__vetted=True)
    factories.CompanyMemberFactory()  # a company pending review
    draft = factories.RoleFactory(company=member.company)
    factories.InterviewStepFactory(role=draft, preparation="Bring a diagram.")
    factories.RoleFactory(company=member.company, open=True)
    factories.RoleFactory(company=other.company, open=True)
    candidate = factories.CandidateProfileFactory(active=True).user
    factories.CandidateProfileFactory(submitted=True)
    partner = factories.PartnerFactory()
    PartnerNote.objects.create(
        candidate=candidate.candidate_profile,
        author=partner,
        body="Goals: research.",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    seed_matchday(member=member, candidate_user=candidate)
    users = {"candidate": candidate, "company": member, "other_company": other, "partner": partner}
    return {name: key_for(user) for name, user in users.items()}


@pytest.fixture(scope="module")
def marketplace_keys(django_db_setup, django_db_blocker):
    """The marketplace, seeded once for the module inside a transaction that is rolled back
    when the module is done, so no other test module sees it (what Django's
    ``TestCase.setUpTestData`` does per class). Each test still runs in its own savepoint
    (pytest-django's ``db``), so what one test writes through the API is undone before the
    next one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # durable=True services may run inside, as in TestCase
        outer.__enter__()
        try:
            keys = seed_marketplace()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield keys
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# A parameter rather than a constant so each test's id names its operation: pytest 9 builds
# the ids of schemathesis's items from their parametrization only.
@pytest.mark.parametrize("personas", [PERSONAS], ids=["every-persona"])
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema_for_every_persona(
    case, personas, marketplace_keys, db, wsgi_requests_share_the_test_transaction
):
    """Each generated request is sent as every persona; generating it once per operation
    rather than once per persona is what keeps this module fast."""
    for persona in personas:
        # The failure report filters the key out; this header shows whose it was.
        headers = {"X-Test-Persona": persona}
        if persona != "anonymous":
            headers["Authorization"] = f"Bearer {marketplace_keys[persona]}"
        response = case.call_and_validate(
            headers=headers,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )
        if persona == "anonymous" and response.request.method == case.method.upper():
            assert response.status_code == 401, persona


def test_every_persona_key_still_authenticates_after_the_fuzzing(marketplace_keys, db):
    """The fuzzing would pass vacuously if the keys stopped working (every answer a
    well-formed 401): the seeded rows must outlive each test's rollback."""
    seen = {
        name: ApiClient(key).get("/me").json()["persona"] for name, key in marketplace_keys.items()
    }
    assert seen == {
        "candidate": "candidate",
        "company": "company",
        "other_company": "company",
        "partner": "partner",
    }
