# PostgreSQL 15 with the rum extension (creator search ranks inside its index: docs/search.md).
FROM postgres:15-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15-rum \
    && rm -rf /var/lib/apt/lists/*
