# ai_server: gunicorn (python -m ai_server), models loaded in each gunicorn
# worker after the fork. The cut-out model (u2netp or isnet-general-use, both
# Apache-2.0) is placed in /models at build time, never fetched at run time.
#   docker build -f docker/ai.Dockerfile --build-arg CUTOUT_MODEL=u2netp -t igemoji-ai .
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=2

# OpenCV's wheels still link glib and libgomp.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libglib2.0-0 libgomp1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --create-home --home-dir /home/igemoji igemoji

WORKDIR /app
COPY requirements/lock.txt requirements/nodeps.txt requirements/
COPY docker/ai.requirements.in docker/ai.requirements.in
RUN pip install -c requirements/lock.txt -r docker/ai.requirements.in \
    && pip install --no-deps -r requirements/nodeps.txt

COPY ai_server/ /app/ai_server/

ARG CUTOUT_MODEL=u2netp
ENV MODELS_DIR=/models \
    AI_CUTOUT_MODEL=${CUTOUT_MODEL} \
    PROMETHEUS_MULTIPROC_DIR=/tmp/ai-metrics
# Model files at build time (SPEC §9): the image runs with no network access.
RUN python -m ai_server.setup_models --dir /models \
    && chown -R igemoji:igemoji /models

USER igemoji
EXPOSE 8001
CMD ["python", "-m", "ai_server", "--host", "0.0.0.0", "--port", "8001"]
