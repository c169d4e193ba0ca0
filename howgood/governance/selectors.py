"""Reads for the Governance pages."""

from __future__ import annotations

from django.db.models import QuerySet

from howgood.governance.models import Draft
from howgood.partnerships.models import Partnership


def drafts_of(partnership: Partnership) -> QuerySet[Draft]:
    return Draft.objects.filter(partnership=partnership).select_related("created_by", "updated_by")
