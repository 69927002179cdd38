from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from matchday.core.permissions import ensure_partner
from matchday.notifications import services
from matchday.notifications.models import Message

PAGE_SIZE = 200


def _messages_for_partner(user, kind: str = ""):
    ensure_partner(user)
    qs = Message.objects.select_related("recipient")
    return qs.filter(kind=kind) if kind else qs


@login_required
def message_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Message.Kind.values else ""
    rows = _messages_for_partner(request.user, kind)[:PAGE_SIZE]
    return render(
        request,
        "notifications/list.html",
        {"rows": rows, "kind": kind, "kinds": Message.Kind.choices},
    )


@login_required
def message_detail(request, pk: int):
    message = get_object_or_404(_messages_for_partner(request.user), pk=pk)
    return render(request, "notifications/detail.html", {"message_row": message})


@login_required
@require_POST
def message_resend(request, pk: int):
    message = get_object_or_404(_messages_for_partner(request.user), pk=pk)
    services.message_resend(message=message, by=request.user)
    if message.last_error:
        messages.error(request, f"Sending failed: {message.last_error}")
    else:
        messages.success(request, f"Sent again to {message.to_email}.")
    return redirect("notifications:detail", pk)
