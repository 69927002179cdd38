"""A vetted company that changes who it is (name or website) goes back to a partner's review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.companies.models import Company
from matchday.companies.services import company_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change", [{"name": "Evil Corp"}, {"website": "https://evil.example"}], ids=["name", "website"]
)
def test_changing_name_or_website_sends_a_vetted_company_back_to_review(company_member, change):
    company = company_member.company
    before = {"name": company.name, "website": company.website}
    saved = company_update(company=company, by=company_member, data=change)
    saved.refresh_from_db()
    assert saved.vetting_status == Company.VettingStatus.PENDING
    assert (saved.vetting_checklist, saved.vetted_by, saved.vetted_at) == ({}, None, None)
    entry = AuditEntry.objects.get(action="company.vet.reopen")
    (field,) = change
    assert entry.actor == company_member
    assert entry.reason == f"Changed after vetting: {field}."
    assert entry.data == {"before": before, "after": change}


def test_other_changes_keep_a_company_vetted(company_member):
    company = company_member.company
    company_update(
        company=company,
        by=company_member,
        data={"name": company.name, "website": company.website, "description": "New words."},
    )
    company.refresh_from_db()
    assert company.vetting_status == Company.VettingStatus.VETTED
    assert not AuditEntry.objects.filter(action="company.vet.reopen").exists()


def test_a_pending_company_renaming_itself_stays_pending_without_a_reopen_entry(
    pending_company_member,
):
    company = pending_company_member.company
    company_update(company=company, by=pending_company_member, data={"name": "Still Pending"})
    company.refresh_from_db()
    assert (company.name, company.vetting_status) == ("Still Pending", "pending")
    assert not AuditEntry.objects.filter(action="company.vet.reopen").exists()


def test_edit_page_warns_the_member_and_the_company_joins_the_vetting_queue(
    client, company_member, partner
):
    company = company_member.company
    client.force_login(company_member)
    page = client.get(reverse("companies:edit", args=[company.pk]))
    assert "sends your company back to a talent partner" in page.content.decode()
    response = client.post(
        reverse("companies:edit", args=[company.pk]),
        {
            "name": "Renamed Labs",
            "website": company.website,
            "size": company.size,
            "stage": company.stage,
            "domains": company.domains,
            "description": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "a talent partner will review your company again" in response.content.decode()
    client.force_login(partner)
    queue = client.get(reverse("companies:vetting_queue"))
    assert "Renamed Labs" in queue.content.decode()
