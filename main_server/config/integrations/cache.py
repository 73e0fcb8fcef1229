"""Cache: shared by every gunicorn worker so throttles count across processes.
CACHE_URL (or REDIS_URL) = redis://… in deployment; the database cache otherwise
(`make run` creates its table); locmem:// for tests."""

from config.env import env_str

_url = env_str("CACHE_URL", env_str("REDIS_URL", "db://"))

if _url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _url,
            "KEY_PREFIX": "igemoji",
        }
    }
elif _url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _url.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "igemoji_cache",
        }
    }
else:
    raise RuntimeError(f"CACHE_URL={_url!r}: use redis://…, db:// or locmem://")
