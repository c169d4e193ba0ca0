"""The app's settings with the benchmark's URLs (the same middleware, sessions, database)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "_bench_urls"
