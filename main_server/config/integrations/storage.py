"""Media storage: a local directory under $DATA_DIR/media by default, or an
S3-compatible bucket (MEDIA_BACKEND=s3) through django-storages. Media is never
public: URLs are signed and served by media/apis.py."""

from config.env import data_dir, env_bool, env_int, env_str

MEDIA_BACKEND = env_str("MEDIA_BACKEND", "local")
MEDIA_ROOT = env_str("MEDIA_ROOT", str(data_dir() / "media"))
MEDIA_URL = "/media-not-public/"  # never served directly

if MEDIA_BACKEND == "s3":
    _default = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_URL_MAX_AGE", 3600),
            "file_overwrite": False,
        },
    }
elif MEDIA_BACKEND == "local":
    _default = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
else:
    raise RuntimeError(f"MEDIA_BACKEND={MEDIA_BACKEND!r}: use local or s3")

STORAGES = {
    "default": _default,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Signed media URLs: lifetime in seconds; behind nginx the file is sent by
# nginx (X-Accel-Redirect to an internal location aliased to MEDIA_ROOT).
MEDIA_URL_MAX_AGE = env_int("MEDIA_URL_MAX_AGE", 3600)
MEDIA_X_ACCEL_REDIRECT = env_bool("MEDIA_X_ACCEL_REDIRECT", False)
MEDIA_X_ACCEL_PREFIX = env_str("MEDIA_X_ACCEL_PREFIX", "/protected-media/")
