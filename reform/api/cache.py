"""Lists of the reform's work answered from the cache while that work is unchanged.

A page of a list is kept under the data's version (``reports.dashboard.data_version``: raised by
every change to plans, tasks, milestones, assignments, reports and units, in any process), the
caller's view of it (role and unit: what they see and which actions they may take), the day (the
lights move with it) and the address asked (filters, order, page, host). Any change retires every
kept page at once; ``API_CACHE_SECONDS`` bounds changes made outside the platform."""

import hashlib

from django.conf import settings
from django.utils import timezone
from rest_framework.response import Response

from orgs import policy
from reports.dashboard import cached, data_version


class CachedListMixin:
    def list(self, request, *args, **kwargs):
        user = request.user
        answers = {}

        def key() -> str:
            view = f"{policy.role_of(user)}:{user.unit_id if not policy.sees_everything(user) else ''}"
            day = timezone.localdate().isoformat()
            # The address hashed: any query a caller sends makes a key of one length, safe for any cache.
            address = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
            return f"api:{data_version()}:{view}:{day}:{address}"

        def make():
            answer = self.list_afresh(request, *args, **kwargs)
            answers["made"] = answer
            # Only a good answer is kept: a refusal is made afresh, with its message.
            return answer.data if answer.status_code == 200 else None

        data = cached(key, make, settings.API_CACHE_SECONDS)
        return answers.get("made") or Response(data)

    def list_afresh(self, request, *args, **kwargs):
        """The list made from the database (a view with its own way of listing overrides this)."""
        return super().list(request, *args, **kwargs)
