"""Recording notifications: built alike for sweeps and events, inserted once, handed over after the commit.

A sweep may record tens of thousands at once, so they are built as plain tuples and inserted by one
``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike; SQLite in as few statements as its
limit on variables allows): the unique key turns a repeat into nothing.
"""

import datetime
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from reform.queue import publish_after_commit
from tasks.reminders.choices import Channel, DeliveryStatus
from tasks.reminders.messages import Message
from tasks.reminders.models import Notification


class Record(NamedTuple):
    """A notification to be recorded: its fields by their model names."""

    kind: str
    channel: str
    recipient_id: int | None
    unit_id: int
    assignment_id: int | None
    milestone_id: int | None
    recipient_key: str
    subject_key: str
    key_date: datetime.date
    step: int
    title: str
    body: str
    link: str
    status: str
    next_attempt_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    created_at: datetime.datetime


# Fields every new notification starts with the same value in.
_FRESH = {"attempts": 0, "claimed_by": "", "error": "", "claimed_at": None, "read_at": None}


def build(addressed, *, message: Message, link: str, **about) -> list[Record]:
    """One record per (recipient key, user id, channel) of ``addressed``; ``about`` gives kind,
    unit_id, assignment_id, milestone_id, subject_key, key_date and step."""
    now = timezone.now()
    made = []
    for recipient_key, user_id, channel in addressed:
        # In the platform a notification is delivered by being recorded; the rest wait for the worker.
        in_app = channel == Channel.IN_APP
        made.append(
            Record(
                kind=about["kind"],
                channel=channel,
                recipient_id=user_id,
                unit_id=about["unit_id"],
                assignment_id=about["assignment_id"],
                milestone_id=about["milestone_id"],
                recipient_key=recipient_key,
                subject_key=about["subject_key"],
                key_date=about["key_date"],
                step=about["step"],
                title=message.title,
                body=message.body,
                link=link,
                status=DeliveryStatus.SENT if in_app else DeliveryStatus.PENDING,
                next_attempt_at=None if in_app else now,
                sent_at=now if in_app else None,
                created_at=now,
            )
        )
    return made


def record(records: list[Record]) -> int:
    """Insert those not recorded before; returns how many are new. Call inside a transaction:
    the dispatcher is told after the commit."""
    if not records:
        return 0
    created = _insert_ignoring_repeats(records)
    if created and any(r.channel != Channel.IN_APP for r in records):
        from tasks.reminders import jobs

        publish_after_commit(jobs.dispatch_notifications)
    return created


def _insert_ignoring_repeats(records: list[Record]) -> int:
    """Returns how many rows went in (RETURNING: PostgreSQL, and SQLite from 3.35)."""
    meta, ops = Notification._meta, connection.ops
    names = [*Record._fields, *_FRESH]
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in names)
    fresh = tuple(_FRESH.values())
    rows = [
        (
            *r[:8],
            ops.adapt_datefield_value(r.key_date),
            *r[9:14],
            ops.adapt_datetimefield_value(r.next_attempt_at),
            ops.adapt_datetimefield_value(r.sent_at),
            ops.adapt_datetimefield_value(r.created_at),
            *fresh,
        )
        for r in records
    ]
    placeholder = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params
    per_statement = max(1, limit // len(names)) if limit else len(rows)
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "
                + ", ".join([placeholder] * len(chunk))
                + f" ON CONFLICT DO NOTHING RETURNING {ops.quote_name(meta.pk.column)}",
                [value for row in chunk for value in row],
            )
            inserted += len(cursor.fetchall())
    return inserted
