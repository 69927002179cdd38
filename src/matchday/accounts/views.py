from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from matchday.accounts import services
from matchday.accounts.forms import CandidateSignUpForm, CompanySignUpForm, LoginForm
from matchday.core.forms import apply_service_errors


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _sign_up(request, form_class, service, template, welcome):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = service(**data)
        except ValidationError as exc:
            # Password validators raise unkeyed errors: show them on the password field.
            apply_service_errors(form, exc, default_field="password")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, welcome)
            return redirect("core:home")
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


@sensitive_post_parameters("password")
def signup_candidate(request):
    return _sign_up(
        request, CandidateSignUpForm, services.candidate_sign_up, "accounts/signup_candidate.html",
        "Welcome! Fill in your profile, then submit it for vetting.",
    )  # fmt: skip


@sensitive_post_parameters("password")
def signup_company(request):
    return _sign_up(
        request, CompanySignUpForm, services.company_sign_up, "accounts/signup_company.html",
        "Welcome! A talent partner will review your company; meanwhile you can draft roles.",
    )  # fmt: skip
