"""Property-based tests of the whole API against its own OpenAPI schema, for every persona.

For each operation and each persona's API key (and no key at all), schemathesis generates
requests from the schema (valid and invalid ones) and checks: no 5xx, every status code is
one the operation documents, every response body matches the documented schema. Bounded
and deterministic (``derandomize``) so it runs in CI in about a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api.helpers import key_for, seed_matchday

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
    handlers while it runs; do the same for schemathesis's WSGI calls."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def marketplace_keys(db, wsgi_requests_share_the_test_transaction):
    """A small marketplace (vetted and pending companies with draft and open roles, active
    and submitted candidates, a Match Day in review with a proposal and a released intro)
    and one API key per persona."""
    member = factories.CompanyMemberFactory(company__vetted=True)
    other = factories.CompanyMemberFactory(company__vetted=True)
    factories.CompanyMemberFactory()  # a company pending review
    factories.RoleFactory(company=member.company)
    factories.RoleFactory(company=member.company, open=True)
    factories.RoleFactory(company=other.company, open=True)
    candidate = factories.CandidateProfileFactory(active=True).user
    factories.CandidateProfileFactory(submitted=True)
    partner = factories.PartnerFactory()
    seed_matchday(member=member, candidate_user=candidate)
    users = {"candidate": candidate, "company": member, "other_company": other, "partner": partner}
    return {name: key_for(user) for name, user in users.items()}


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema_for_every_persona(case, persona, marketplace_keys):
    headers = {}
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
        assert response.status_code == 401
