# main_server: gunicorn (config.wsgi), and the same image runs the Celery worker
# and beat (docker-compose.yml sets the command). Build from the repository root:
#   docker build -f docker/main.Dockerfile -t igemoji-main .
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --create-home --home-dir /home/igemoji igemoji

WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements/lock.txt requirements/lock.txt
COPY docker/main.requirements.in docker/main.requirements.in
RUN pip install -c requirements/lock.txt -r docker/main.requirements.in

COPY main_server/ /app/main_server/
# Pictures of the built-in templates (created by `manage.py ensure_builtin_templates`).
COPY assets/ /app/assets/

# /data/media is the shared media volume; created here so a new named volume
# starts owned by the app user.
RUN mkdir -p /data/media && chown -R igemoji:igemoji /data

ENV DJANGO_SETTINGS_MODULE=config.django.production \
    DATA_DIR=/data \
    MEDIA_ROOT=/data/media \
    BUILTIN_ASSETS_DIR=/app/assets/emoji \
    FRONTEND_DIST=/app/frontend-not-served-here

WORKDIR /app/main_server
USER igemoji
EXPOSE 8000 8002
CMD ["gunicorn", "config.wsgi:application", "--bind=0.0.0.0:8000", "--workers=1", "--threads=8", "--worker-class=gthread"]
