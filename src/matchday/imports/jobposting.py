"""Public role pages: which roles are public, and their schema.org ``JobPosting`` JSON-LD.

A role is public when its company is vetted, the role is open and the company chose to
publish it; anything else is not found. The JSON-LD follows Google's job-posting
guidelines: the required properties (title, description, datePosted, hiringOrganization,
jobLocation — or jobLocationType TELECOMMUTE with applicantLocationRequirements) and the
recommended ones (validThrough, employmentType, baseSalary, identifier), plus skills.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

from matchday.companies.models import Company, Role

# A posting without an explicit end is valid this long after publication (Google asks for
# validThrough on postings that expire).
VALID_FOR = timedelta(days=60)
UNIT_TEXT = {"year": "YEAR", "month": "MONTH", "day": "DAY", "hour": "HOUR"}


def public_roles() -> QuerySet[Role]:
    return (
        Role.objects.filter(
            public=True,
            status=Role.Status.OPEN,
            company__vetting_status=Company.VettingStatus.VETTED,
        )
        .select_related("company")
        .prefetch_related("skills__skill")
    )


def public_role(*, role_id: int) -> Role:
    """The public role, or 404 for private, draft, closed roles and unvetted companies."""
    return get_object_or_404(public_roles(), pk=role_id)


def _iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def role_jobposting(role: Role, *, url: str = "") -> dict[str, Any]:
    """The schema.org ``JobPosting`` for a public role, as a JSON-ready dict."""
    company = role.company
    posted = role.published_at or role.created_at
    description = role.description
    if role.responsibilities:
        description += "\n\nResponsibilities:\n" + role.responsibilities
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role.title,
        "description": strip_tags(description),
        "datePosted": _iso(posted),
        "validThrough": _iso(posted + VALID_FOR),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": company.website,
        },
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": str(role.pk)},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": role.pay_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": role.pay_min,
                "maxValue": role.pay_max,
                "unitText": UNIT_TEXT[role.pay_period],
            },
        },
        "skills": [rs.skill.label for rs in role.skills.all()],
    }
    if url:
        posting["url"] = url
    country_codes = [getattr(c, "code", c) for c in role.allowed_countries]
    if role.location_policy == "remote":
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = [
            {"@type": "Country", "name": dict(countries).get(code, code)} for code in country_codes
        ]
        if not country_codes:
            # Google requires at least one country for remote jobs; none means worldwide.
            posting["applicantLocationRequirements"] = [{"@type": "Country", "name": "Worldwide"}]
    else:
        cities = [c for c in role.cities if c] or [""]
        places = []
        for city in cities:
            address: dict[str, Any] = {"@type": "PostalAddress"}
            if city:
                address["addressLocality"] = city
            if country_codes:
                address["addressCountry"] = country_codes[0]
            places.append({"@type": "Place", "address": address})
        posting["jobLocation"] = places[0] if len(places) == 1 else places
    return posting


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with ``<``, ``>`` and ``&`` escaped (as
    ``json_script`` does), so no value can close the script element."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{escaped}</script>')  # noqa: S308 - escaped above
