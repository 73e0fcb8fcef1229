# ai_server: gunicorn (python -m ai_server), models loaded in each gunicorn
# worker after the fork. Every model file (the u2netp cut-out model, Apache-2.0,
# and the expression models) is placed in /models at build time by
# `python -m ai_server.setup_models`, never fetched at run time.
#   docker build -f docker/ai.Dockerfile -t igemoji-ai .
# The `human` expression model comes from its npm package (converted to ONNX by
# setup_models): fetch the pinned tarball with npm here, so the Python stage
# needs no Node.js. Keep the version = ai_server/classifiers/human_install.py VERSION.
FROM node:20.19.5-bookworm-slim AS npm-models
WORKDIR /cache
RUN npm pack @vladmandic/human@3.3.6 --loglevel=error

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

# rembg imports pymatting, whose numba functions compile on first import (about
# 2 min on a busy core) and cache next to their source. Compile them here, as
# root, so every container starts with the cache instead of compiling per worker.
RUN python -c "import rembg"

COPY ai_server/ /app/ai_server/

ENV MODELS_DIR=/models \
    PROMETHEUS_MULTIPROC_DIR=/tmp/ai-metrics
# Model files at build time: the image runs with no network access.
# setup_models verifies the tarball's npm integrity and converts it; --strict
# fails the build if any model is missing.
COPY --from=npm-models /cache/vladmandic-human-3.3.6.tgz /models/.cache/
RUN python -m ai_server.setup_models --dir /models --strict \
    && chown -R igemoji:igemoji /models

USER igemoji
EXPOSE 8001
CMD ["python", "-m", "ai_server", "--host", "0.0.0.0", "--port", "8001"]
