from celery import shared_task
from django.core.management import call_command


@shared_task(name="accounts.tasks.flush_expired_tokens")
def flush_expired_tokens() -> None:
    # simplejwt's blacklist tables grow with every refresh/logout.
    call_command("flushexpiredtokens")
