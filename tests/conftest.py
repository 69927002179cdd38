import pytest
from django.core.cache import cache

from tests import factories


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
