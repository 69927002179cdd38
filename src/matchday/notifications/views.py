from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from matchday.core.forms import flash_errors
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
    attention = _messages_for_partner(request.user).filter(services.needs_attention()).count()
    return render(
        request,
        "notifications/list.html",
        {"rows": rows, "kind": kind, "kinds": Message.Kind.choices, "attention": attention},
    )


@login_required
def message_failed(request):
    """Messages that need a person: failed after every attempt, retrying after an error,
    overdue, or stuck mid-send; each with its last error and a re-send button."""
    now = timezone.now()
    rows = list(
        _messages_for_partner(request.user)
        .filter(services.needs_attention(now))
        .order_by("-last_attempt_at", "-pk")[:PAGE_SIZE]
    )
    for row in rows:
        row.stuck = services.message_is_stuck(row, now)
    return render(request, "notifications/failed.html", {"rows": rows})


@login_required
def message_detail(request, pk: int):
    message = get_object_or_404(_messages_for_partner(request.user), pk=pk)
    return render(request, "notifications/detail.html", {"message_row": message})


@login_required
@require_POST
def message_resend(request, pk: int):
    message = get_object_or_404(_messages_for_partner(request.user), pk=pk)
    try:
        services.message_resend(message=message, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        message.refresh_from_db()
        if message.status == Message.Status.SENT:
            messages.success(request, f"Sent again to {message.to_email}.")
        elif message.status == Message.Status.PENDING and message.attempts:
            messages.error(request, f"Sending failed, will retry: {message.last_error}")
        elif message.status == Message.Status.FAILED:
            messages.error(request, f"Sending failed: {message.last_error}")
        else:
            messages.success(request, f"Queued to be sent again to {message.to_email}.")
    if request.POST.get("back") == "failed":
        return redirect("notifications:failed")
    return redirect("notifications:detail", pk)
