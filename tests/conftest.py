import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from tests import factories
from tests.processes import S3Server

# In CI property tests draw the same examples every run (a failure there is reproducible and
# never flaky); locally they keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (and used TOTP codes) live in the cache: none carry over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    return factories.PartnerFactory()


@pytest.fixture
def candidate(db):
    """A candidate user with a complete draft profile."""
    profile = factories.CandidateProfileFactory(complete=True)
    return profile.user


@pytest.fixture
def company_member(db):
    return factories.CompanyMemberFactory(company__vetted=True)


@pytest.fixture
def pending_company_member(db):
    return factories.CompanyMemberFactory()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's server mode) in its own process."""
    server = S3Server()
    yield server
    server.stop()
