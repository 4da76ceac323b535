# A local stand-in for the official PostgreSQL image (docker.io/library/postgres), built FROM the local root
# filesystem with Debian's PostgreSQL 15. Same contract: POSTGRES_PASSWORD(_FILE), POSTGRES_USER, POSTGRES_DB,
# PGDATA=/var/lib/postgresql/data initialised on first start, user postgres uid 999, pg_isready, CMD postgres
# (extra `-c name=value` arguments are passed on).
ARG BASE_IMAGE=mlops-local/debian:bookworm
FROM ${BASE_IMAGE}

# hadolint ignore=DL3008
RUN groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /var/lib/postgresql/15 /etc/postgresql/15 \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql

# UTF8 databases, as in the official image (psycopg returns bytes from a SQL_ASCII database).
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
CMD ["postgres"]
