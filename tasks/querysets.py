from django.db import models

from orgs import policy


class VisibleQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may see, by the one access policy.

    Each model names the lookup to the unit whose members may see a row in
    ``access_unit_path``.
    """

    def visible_to(self, user):
        return policy.restrict(self, user, self.model.access_unit_path)
