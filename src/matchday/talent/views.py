from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from matchday.talent import selectors
from matchday.talent.models import CandidateProfile


@login_required
def profile(request):
    prof = selectors.own_profile(user=request.user)
    return render(request, "talent/profile.html", {"profile": prof})


@login_required
def vetting_queue(request):
    profiles = selectors.profiles_for_partner(
        user=request.user, status=CandidateProfile.Status.SUBMITTED
    )
    return render(request, "talent/vetting_queue.html", {"profiles": profiles})
