"""gunicorn's settings for HowGood in production: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Each setting can be changed without editing this file: gunicorn reads ``GUNICORN_CMD_ARGS``
(``GUNICORN_CMD_ARGS="--workers 6"``), and the environment variables below.

- The app is loaded once, in the master, before the workers are forked (``preload_app``),
  together with the libraries that draw charts and documents (matplotlib, python-docx,
  openpyxl, WeasyPrint): every worker shares those pages instead of loading its own copy,
  and a worker starts in milliseconds.
- A worker is replaced after about a thousand requests (``max_requests``, with jitter so
  that they are not all replaced at once): memory that a large document or chart took is
  given back.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
max_requests = 1000
max_requests_jitter = 100
timeout = 60
graceful_timeout = 30
accesslog = "-"


def on_starting(server: object) -> None:
    """Import the document and chart libraries in the master, before any worker forks."""
    import docx  # noqa: F401 - loaded for the workers to share
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot
    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401
