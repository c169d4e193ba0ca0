"""Reads of survey data for pages and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from howgood.surveys.models import Response, Survey


def response_rates(survey: Survey) -> list[dict[str, Any]]:
    """Completed responses by audience agency against its headcount (one grouped query).

    Each row: ``agency``, ``responses`` and ``rate`` (a whole percentage, halves rounded
    up, or None where the agency has no headcount recorded).
    """
    counts = dict(
        Response.objects.filter(survey=survey, complete=True)
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for agency in survey.audience.all().order_by("name"):
        n = counts.get(agency.pk, 0)
        rows.append(
            {
                "agency": agency,
                "responses": n,
                # A whole percentage, halves rounded up (6.5% shows as 7%, as people expect).
                "rate": (200 * n + agency.headcount) // (2 * agency.headcount)
                if agency.headcount
                else None,
            }
        )
    return rows
