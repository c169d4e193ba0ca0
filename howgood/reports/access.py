from __future__ import annotations

from typing import Any

from django.http import Http404

from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.reports.models import GeneratedReport


def get_report_for(user: Any, pk: Any) -> tuple[GeneratedReport, Membership]:
    """A document of the person's partnership, if their role may see what it holds."""
    report = GeneratedReport.objects.filter(pk=int(pk)).first() if str(pk).isdigit() else None
    if report is None or partnership_access.membership_in(user, report.partnership_id) is None:
        raise Http404("Not found")
    return report, partnership_access.require(user, report.partnership_id, report.capability)
