from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "HowGood",
        "demo_mode": settings.HOWGOOD_DEMO,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
