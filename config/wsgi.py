"""The WSGI application: what gunicorn serves in production (``gunicorn config.wsgi``) and
what ``manage.py runserver`` (``make demo``) loads through ``WSGI_APPLICATION``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
