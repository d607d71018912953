from rest_framework.permissions import SAFE_METHODS, BasePermission

from orgs import policy


class PolicyPermission(BasePermission):
    """Who may call the API at all, before the services decide each act.

    Any active user may read (what they see is narrowed by the policy); leaders and auditors change
    nothing but what is their own (a view's ``readers_may`` actions: marking their notifications read);
    a view marked ``staff_only`` is staff's alone, even to read."""

    def has_permission(self, request, view) -> bool:
        if policy.role_of(request.user) is None:
            return False
        if getattr(view, "staff_only", False):
            return policy.can_manage(request.user)
        if request.method in SAFE_METHODS or getattr(view, "action", None) in getattr(view, "readers_may", ()):
            return True
        return not policy.is_read_only(request.user)
