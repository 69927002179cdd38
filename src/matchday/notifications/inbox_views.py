"""Each person's own inbox: every lifecycle message with a link to where they act, read and
unread, and which categories they also get by email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from matchday.notifications import inbox
from matchday.notifications.models import Category

PAGE_SIZE = 50


@login_required
def inbox_list(request):
    show = request.GET.get("show", "")
    items = inbox.inbox_for(request.user)
    if show == "unread":
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "show=unread" if show == "unread" else ""
    context = {"page": page, "show": show, "query": query}
    return render(request, "notifications/inbox.html", context)


@login_required
def inbox_item(request, pk: int):
    item = get_object_or_404(inbox.inbox_for(request.user), pk=pk)
    inbox.item_mark_read(item=item, by=request.user)
    return render(request, "notifications/inbox_item.html", {"item": item})


@login_required
@require_POST
def inbox_read_all(request):
    n = inbox.inbox_mark_all_read(by=request.user)
    messages.success(request, f"Marked {n} message{'' if n == 1 else 's'} as read.")
    return redirect("inbox:list")


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    if request.method == "POST":
        chosen = set(request.POST.getlist("email")) & set(Category.values)
        inbox.preferences_save(by=request.user, emailed=chosen)
        messages.success(request, "Email settings saved.")
        return redirect("inbox:settings")
    return render(
        request,
        "notifications/email_settings.html",
        {
            "preferences": inbox.preferences_for(request.user),
            "digest_minutes": int(inbox.digest_window().total_seconds() // 60),
        },
    )
