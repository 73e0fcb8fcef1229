"""Cache: shared by every gunicorn worker so throttles and lock-outs count across
processes. CACHE_URL (or REDIS_URL) = redis://… in compose and `make stack`; under
`make run` db:// — a database table that never drops a live entry
(common/cache.py; `make run` creates it); locmem:// for unit tests only."""

from config.env import env_str

_url = env_str("CACHE_URL", env_str("REDIS_URL", "db://"))
_prefix = env_str("CACHE_KEY_PREFIX", "igemoji")

if _url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _url,
            "KEY_PREFIX": _prefix,
        }
    }
elif _url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _url.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "common.cache.NonCullingDatabaseCache",
            "LOCATION": "igemoji_cache",
            "KEY_PREFIX": _prefix,
            # Past this many rows the expired ones are swept; live ones always stay.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
else:
    raise RuntimeError(f"CACHE_URL={_url!r}: use redis://…, db:// or locmem://")
