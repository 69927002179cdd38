from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from matchday.companies import selectors
from matchday.companies.models import Company


@login_required
def detail(request, pk: int):
    company = selectors.company_for(user=request.user, company_id=pk)
    return render(request, "companies/detail.html", {"company": company})


@login_required
def role_list(request):
    roles = selectors.roles_for(user=request.user)
    return render(request, "companies/role_list.html", {"roles": roles})


@login_required
def role_detail(request, pk: int):
    role = selectors.role_for(user=request.user, role_id=pk)
    return render(request, "companies/role_detail.html", {"role": role})


@login_required
def vetting_queue(request):
    companies = selectors.companies_for_partner(
        user=request.user, status=Company.VettingStatus.PENDING
    )
    return render(request, "companies/vetting_queue.html", {"companies": companies})
