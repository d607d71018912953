from django.utils import timezone

from orgs import policy
from tasks.queue import queue_counts


def queue(request):
    """How much waits for staff (queue.py), beside the menu's link to it: counted only when a page shows it."""
    user = getattr(request, "user", None)

    def waiting() -> int:
        return queue_counts(user, today=timezone.localdate()).total if policy.can_manage(user) else 0

    return {"waiting_for_me": waiting}
