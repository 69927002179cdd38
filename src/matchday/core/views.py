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


def too_many_requests(request, exception=None, *, action: str | None = None):
    """429 with ``Retry-After`` for a page refused by a rate limit.

    Also allauth's 429 handler (``handler429`` in the root URLconf). The wait is the longest
    window of the limits on ``action`` (named in ``ACCOUNT_RATE_LIMITS``, or found from the
    page's URL name): an upper bound, so a client that waits that long is let in.
    """
    from matchday.core.ratelimits import retry_after

    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after(request, action=action))
    return response
