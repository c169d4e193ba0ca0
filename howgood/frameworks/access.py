"""The access chokepoint for framework pages.

Frameworks are shared reference data: anyone signed in may read them, whatever their
partnership or role; nobody changes them through the web (wording is corrected in the
YAML file and reloaded with ``manage.py load_framework``). Unknown slugs and numbers are
404s.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from howgood.frameworks import selectors
from howgood.frameworks.models import Framework, QualityIndicator


def _require_signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied


def get_framework_for(user: Any, slug: str) -> Framework:
    _require_signed_in(user)
    try:
        return selectors.framework_by_slug(slug)
    except Framework.DoesNotExist:
        raise Http404("No such framework") from None


def get_indicator_for(user: Any, slug: str, number: str) -> QualityIndicator:
    framework = get_framework_for(user, slug)
    try:
        return selectors.quality_indicator(framework, number)
    except QualityIndicator.DoesNotExist:
        raise Http404("No such quality indicator") from None
