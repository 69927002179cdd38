from django.shortcuts import redirect, render
from django.urls import reverse


def home(request):
    """Send each persona to its starting page; show the landing page to visitors."""
    user = request.user
    if user.is_authenticated:
        if user.is_candidate:
            return redirect(reverse("talent:profile"))
        if user.is_company_member:
            return redirect(reverse("companies:detail", args=[user.company_id]))
        if user.is_partner:
            return redirect(reverse("talent:vetting_queue"))
    return render(request, "core/home.html")
