from allauth.account.adapter import get_adapter
from allauth.account.utils import complete_signup, setup_user_email
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from matchday.accounts import services
from matchday.accounts.forms import TimezoneForm
from matchday.core import ratelimits
from matchday.core.forms import apply_service_errors
from matchday.core.views import too_many_requests


def sign_up_page(request, form_class, service, template):
    """Create the account and email a verification link.

    Whether the address was new or not, the answer is the same page ("check your inbox");
    an address that already has an account gets an email saying someone tried to sign up
    with it, so nobody learns from the page which addresses are registered.
    """
    if request.user.is_authenticated:
        return redirect("core:home")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        email = data["email"].strip().lower()
        if not ratelimits.allow(request, action="signup", key=email):
            return too_many_requests(request, action="signup")
        try:
            user = service(**data)
        except services.EmailTaken as taken:
            get_adapter(request).send_account_already_exists_mail(taken.email)
            return redirect("account_email_verification_sent")
        except ValidationError as exc:
            # Password validators raise unkeyed errors: show them on the password field.
            apply_service_errors(form, exc, default_field="password")
        else:
            setup_user_email(request, user, [])
            return complete_signup(request, user, "mandatory", None)
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


@login_required
def timezone_settings(request):
    """The zone a person reads and types every time in; pages name it next to each time."""
    from matchday.core.timezones import zone_name_for

    saved = request.user.timezone
    request.user.timezone = ""
    default = zone_name_for(request.user)
    request.user.timezone = saved
    form = TimezoneForm(request.POST or None, default=default, initial={"timezone": saved})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_timezone(
                user=request.user, by=request.user, timezone=form.cleaned_data["timezone"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Times are now shown in {zone_name_for(request.user)}.")
            return redirect("accounts:timezone")
    return render(
        request,
        "accounts/timezone.html",
        {"form": form, "current": zone_name_for(request.user), "default": default},
        status=422 if form.errors else 200,
    )
