# briefbot in a container: `docker compose up -d` (see compose.yaml and docs/operations.md).
# Two stages: the first builds wheels, the second installs them on a clean slim image, so
# no compiler, pip cache or source tree is left in what runs.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
# With PostgreSQL's driver (psycopg, libpq inside its wheel): DATABASE_URL works out of the box.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOT_DATA_DIR=/data \
    MPLCONFIGDIR=/tmp/matplotlib
# MPLCONFIGDIR: matplotlib (the /who and /map pictures) keeps its font list there; the
# user has no home directory to keep it in.
# A fixed uid, so a bind-mounted data directory can be chown'ed to it on the host.
RUN groupadd --system --gid 10001 briefbot \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin briefbot \
    && mkdir /data \
    && chown 10001:10001 /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels
USER 10001:10001
WORKDIR /data
# Briefings, article texts and the SQLite index: keep them across upgrades.
VOLUME ["/data"]
# Only used with WEBHOOK_URL (long polling needs no open port).
EXPOSE 8443
# getMe, the model list, the data volume and the prompts; cheap calls, every 5 minutes.
HEALTHCHECK --interval=5m --timeout=60s --start-period=30s CMD ["briefbot", "check"]
ENTRYPOINT ["briefbot"]
CMD ["run"]
