"""Who is told, and by which channels: people by the channels they chose, units by their group-chat bot."""

from collections import defaultdict

from django.db.models import QuerySet

from orgs.choices import Role
from tasks.reminders.choices import Channel
from tasks.reminders.models import ChannelChoice, UnitWebhook


class Recipients:
    """The people of a user queryset with their channel choices, and the units with an active bot:
    three queries, however many messages are then addressed."""

    def __init__(self, users: dict[int, tuple], choices: dict[int, tuple[bool, bool]], bots: set[int]):
        self.users = users  # pk -> (unit id, role, has an e-mail address)
        self.choices = choices
        self.bots = bots
        self.by_unit: dict[int, set[int]] = defaultdict(set)
        for pk, (unit_id, _role, _email) in users.items():
            if unit_id is not None:
                self.by_unit[unit_id].add(pk)

    @classmethod
    def load(cls, users: QuerySet) -> "Recipients":
        people = {
            pk: (unit_id, role, bool(email))
            for pk, unit_id, role, email in users.values_list("pk", "unit_id", "role", "email")
        }
        choices = {
            user_id: (in_app, email)
            for user_id, in_app, email in ChannelChoice.objects.filter(user__in=users).values_list(
                "user_id", "in_app", "email"
            )
        }
        bots = set(UnitWebhook.objects.filter(is_active=True).values_list("unit_id", flat=True))
        return cls(people, choices, bots)

    def of_units(self, unit_ids) -> set[int]:
        return {pk for unit_id in unit_ids for pk in self.by_unit.get(unit_id, ())}

    def reporters_of(self, unit_id: int) -> set[int]:
        return {pk for pk in self.by_unit.get(unit_id, ()) if self.users[pk][1] == Role.REPORTER}

    def with_role(self, role: str) -> set[int]:
        return {pk for pk, (_unit, user_role, _email) in self.users.items() if user_role == role}

    def leaders(self) -> set[int]:
        return self.with_role(Role.LEADER)

    def channels_of(self, user_id: int) -> list[str]:
        """In the platform and by e-mail unless the user chose otherwise; e-mail only with an address."""
        in_app, email = self.choices.get(user_id, (True, True))
        chosen = [Channel.IN_APP] if in_app else []
        if email and self.users[user_id][2]:
            chosen.append(Channel.EMAIL)
        return chosen

    def addressed(self, user_ids, *, bot_units=()) -> list[tuple[str, int | None, str]]:
        """(recipient key, user id or None for a bot, channel) for each message to send."""
        addressed = [(f"user:{pk}", pk, channel) for pk in sorted(user_ids) for channel in self.channels_of(pk)]
        addressed += [(f"unit:{unit_id}", None, Channel.WEBHOOK) for unit_id in bot_units if unit_id in self.bots]
        return addressed
