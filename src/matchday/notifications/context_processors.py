from django.utils.functional import SimpleLazyObject


def inbox(request):
    """``inbox_unread``: the signed-in person's unread inbox count, for the navigation (one
    query, only when a template shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from matchday.notifications.inbox import unread_count

    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
