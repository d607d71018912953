"""Creation history for rows made in bulk, written by the database in one statement.

django-simple-history's bulk path builds a Python object for every history row; an
import creating thousands of assignments spends most of its time there. The same
'+' rows are copied here with one INSERT … SELECT from the rows just created.
"""

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone


def record_creation(queryset: QuerySet, *, user) -> int:
    """Write a '+' history row, dated now and by ``user``, for every row of ``queryset``."""
    model = queryset.model
    history = model.history.model
    own = {field.attname for field in model._meta.concrete_fields}
    copied = [field for field in history._meta.concrete_fields if field.attname in own]
    select, params = queryset.order_by().values_list(*(f.attname for f in copied)).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in copied)
    history_columns = ", ".join(quote(c) for c in ("history_date", "history_type", "history_user_id"))
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {history_columns}) "
        f"SELECT copied.*, %s, %s, %s FROM ({select}) copied"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, (now, "+", getattr(user, "pk", None), *params))
        return cursor.rowcount


def bulk_create_recorded(objects: list, *, user) -> list:
    """bulk_create, then the creation history of what was created."""
    if not objects:
        return []
    created = type(objects[0])._default_manager.bulk_create(objects)
    record_creation_of(created, user=user)
    return created


def record_creation_of(objects: list, *, user, batch: int = 5000) -> int:
    """``record_creation`` for objects just bulk-created, by their ids, a batch at a time."""
    if not objects:
        return 0
    manager = type(objects[0])._default_manager
    ids = [obj.pk for obj in objects]
    return sum(
        record_creation(manager.filter(pk__in=ids[start : start + batch]), user=user)
        for start in range(0, len(ids), batch)
    )
