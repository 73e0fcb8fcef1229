"""A database cache that never drops a live entry.

Django's DatabaseCache, once it holds MAX_ENTRIES rows, deletes the first third
of the keys in key order, expired or not: flooding it with logins for new emails
would push out the per-email lock-out of the account under attack. Here only
expired rows are ever deleted; the table is swept of them once it holds more
than MAX_ENTRIES rows. Live rows are bounded by the throttle rates themselves
(each lives no longer than its window), so nothing else needs to give way.
Used by `make run` (CACHE_URL=db://); deployments use Redis.
"""

from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class NonCullingDatabaseCache(DatabaseCache):
    def _cull(self, db, cursor, now, num) -> None:
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = connection.ops.quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 (quoted names, no input)
            [connection.ops.adapt_datetimefield_value(now)],
        )
