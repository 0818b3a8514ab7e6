"""A database cache whose counters are exact across processes: what the rate limits count in
when there is no Redis (settings: the `ratelimit` cache alias).

Django's DatabaseCache is shared by every process that uses the database, but its `incr` is a
`get` then a `set`: two processes counting at once can both write the same number (one count
lost), and the `set` gives the counter the default timeout of 300 s instead of keeping the
end of its window (a limit of 5 an hour would start again after 5 quiet minutes). Here `incr`
reads and writes the row in one transaction holding a lock on it (`SELECT … FOR UPDATE` on
PostgreSQL; on SQLite the settings begin every transaction IMMEDIATE, which takes the write
lock) and keeps the row's expiry, as Redis's INCR does.

The table is created by the migration `core.0001_ratelimit_cache_table`.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class AtomicDatabaseCache(DatabaseCache):
    """DatabaseCache with an atomic `incr` that keeps the counter's expiry."""

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')}, {qn('expires')} FROM {table} "  # noqa: S608
                f"WHERE {qn('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expiry(connection, row[1]) < now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 (our own rows)
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s",  # noqa: S608
                [encoded, key],
            )
        return value

    @staticmethod
    def _expiry(connection, value):
        """The `expires` column as an aware datetime, as DatabaseCache converts it."""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            value = converter(value, expression, connection)
        return value
