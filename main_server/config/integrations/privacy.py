"""How long a user's photos are kept (README "Privacy")."""

from config.env import env_int

# Uploads and results older than this many days are deleted by the
# faces.tasks.jobs_expire beat task (hourly); the job rows stay, `expired`.
# 0 keeps them forever.
DATA_RETENTION_DAYS = env_int("DATA_RETENTION_DAYS", 30)
if DATA_RETENTION_DAYS < 0:
    raise RuntimeError("DATA_RETENTION_DAYS must be 0 (keep forever) or a number of days")
