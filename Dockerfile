# syntax=docker/dockerfile:1
# Multi-stage: build a wheel with its dependencies, run it slim as a non-root user.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY api ./api
COPY domain ./domain
COPY integrations ./integrations
COPY migrations ./migrations
# Every dependency at the exact version in constraints.txt: the image is the same on every build.
RUN python -m venv /opt/fairstead \
 && /opt/fairstead/bin/pip install --no-cache-dir -c constraints.txt ".[postgres,mqtt,redis]"

FROM python:3.12-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Fairstead" \
      org.opencontainers.image.description="Self-hostable household fairness API: money, chores and decisions measured against the household's own agreement." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
ENV PATH=/opt/fairstead/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FAIRSTEAD_DATABASE_URL=sqlite:////data/fairstead.db
RUN useradd --system --uid 10001 --home-dir /data fairstead \
 && mkdir -p /data && chown fairstead /data
COPY --from=build /opt/fairstead /opt/fairstead
USER fairstead
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# /readyz: the process answers AND the database is reachable and migrated.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
# `serve` runs the migrations first, then the API: the same command `make run` uses.
CMD ["fairstead", "serve", "--host", "0.0.0.0", "--port", "8000"]
