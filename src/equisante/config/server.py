"""The production web server: gunicorn serving ``equisante.config.wsgi:application``.

Workers are sized to the machine (``EQUISANTE_WORKERS``, default 2 × processors + 1, at most 16) and
each runs ``EQUISANTE_THREADS`` threads (default 2); static files are served by WhiteNoise inside the
application, as with the development server. ``EQUISANTE_DEV_SERVER=true`` falls back to Django's
development server (automatic reload), for development only.
"""

from __future__ import annotations

import os


def default_workers() -> int:
    """2 × processors + 1 (gunicorn's rule of thumb), between 2 and 16."""
    return max(2, min(16, 2 * (os.cpu_count() or 1) + 1))


def options(host: str, port: int, *, workers: int | None = None, threads: int | None = None) -> dict:
    """The gunicorn settings equisante runs with."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or int(os.environ.get("EQUISANTE_WORKERS") or default_workers()),
        "threads": threads or int(os.environ.get("EQUISANTE_THREADS") or 2),
        "worker_class": "gthread",
        "timeout": int(os.environ.get("EQUISANTE_REQUEST_TIMEOUT") or 120),
        "graceful_timeout": 30,
        "keepalive": 5,
        # Restart workers now and then so that memory kept by a large import does not stay forever.
        # a worker is replaced now and then (memory safety); not too often, as it starts with an empty
        # page cache
        "max_requests": 50000,
        "max_requests_jitter": 5000,
        "accesslog": os.environ.get("EQUISANTE_ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": os.environ.get("LOG_LEVEL", "warning").lower(),
        # The application is loaded once, then the workers are forked (less memory, faster start).
        "preload_app": True,
        # X-Forwarded-* headers are trusted from these addresses (the reverse proxy).
        "forwarded_allow_ips": os.environ.get("EQUISANTE_PROXY_IPS", "127.0.0.1,::1"),
    }


def run(host: str, port: int, *, workers: int | None = None, threads: int | None = None) -> None:
    """Serve until stopped (blocks)."""
    from gunicorn.app.base import BaseApplication

    settings = options(host, port, workers=workers, threads=threads)

    class Equisante(BaseApplication):
        def load_config(self):
            for key, value in settings.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from equisante.config.wsgi import application

            return application

    Equisante().run()
