# The nginx exporter (scripts/nginx_exporter.py): one file and prometheus_client.
# docker-compose.yml runs it in nginx's network namespace.
#   docker build -f docker/nginx-exporter.Dockerfile -t igemoji-nginx-exporter .
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -c requirements/lock.txt prometheus-client
COPY scripts/nginx_exporter.py /app/nginx_exporter.py

USER nobody
EXPOSE 9113
CMD ["python", "/app/nginx_exporter.py", "--listen=0.0.0.0:9113", "--syslog=127.0.0.1:9514", "--stub-status=http://127.0.0.1:8082/stub_status"]
