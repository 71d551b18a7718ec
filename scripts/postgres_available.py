"""Exit 0 when the PostgreSQL server of the given URL answers, 1 otherwise (used by scripts/test)."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        dbname=config["NAME"] or "postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        connect_timeout=3,
    ).close()
except Exception:  # noqa: BLE001
    sys.exit(1)
