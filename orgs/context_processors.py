from orgs import policy


def access(request):
    """What the page's user may do, for showing or hiding controls (the views still check)."""
    user = getattr(request, "user", None)
    return {"can_manage": policy.can_manage(user), "is_read_only": policy.is_read_only(user)}
