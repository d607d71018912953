from tasks.reminders.selectors import unread_count


def notifications(request):
    """The unread count beside the notification centre's link: counted only when a page shows it."""
    user = getattr(request, "user", None)
    return {"unread_notifications": lambda: unread_count(user)}
