"""A day's reminders reach a person (or a unit's bot) by e-mail or bot as one message.

One morning's sweep may find two dozen reminders for one enterprise (each overdue task, each
milestone, the monthly report, the weekly digest); sent one by one they are two dozen e-mails and
bot posts, and the leader gets an escalation per task. So the sweep's records for each recipient
and channel outside the platform become one record listing every item by urgency; a recipient
with one item gets it as it is. In the platform each stays an entry of its own (the inbox groups
them by day). The bundle's key is the recipient, the channel and the day (``subject_key`` "daily"),
so one is recorded however many sweeps or beats run that day, and delivery claims it once.
"""

import datetime
from collections import defaultdict

from django.urls import reverse

from tasks.reminders import records
from tasks.reminders.choices import Channel, Kind
from tasks.reminders.messages import daily_message


def one_message_a_day(made: list[records.Record], *, day: datetime.date, links: dict[str, str]) -> list[records.Record]:
    """``made`` with each recipient's and channel's records outside the platform put together as one
    (of two or more); ``links`` gives each recipient key's page to act on (their work, or the overview)."""
    kept, outside = [], defaultdict(list)
    for record in made:
        if record.channel == Channel.IN_APP:
            kept.append(record)
        else:
            outside[(record.recipient_key, record.channel)].append(record)
    for (recipient_key, _channel), items in outside.items():
        if len(items) == 1:
            kept += items
            continue
        first = items[0]
        message = daily_message([(item.kind, item.title) for item in items])
        kept.append(
            first._replace(
                kind=Kind.DAILY,
                assignment_id=None,
                milestone_id=None,
                subject_key="daily",
                key_date=day,
                step=0,
                title=message.title,
                body=message.body,
                link=links.get(recipient_key) or reverse("tasks:my_tasks"),
            )
        )
    return kept
