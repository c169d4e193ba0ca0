"""Access for the Data section (child protection data).

The figures (`data.view`: lead, coordinator, viewer, scrutiny partner) are aggregates;
whoever may not see them exactly (`data.exact`: the scrutiny partner, from outside the
partnership) sees them, and may have documents of them, only with small numbers withheld.
Importing and managing (`data.manage`) is for the lead and the coordinator, and so is
looking at an extract's child-level rows (`data.rows`), which is written to the audit trail
every time.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from howgood.childprotection.models import ConcernImport, PracticeChange
from howgood.core import audit
from howgood.partnerships.models import Membership
from howgood.partnerships.policies import ModelPolicy
from howgood.partnerships.roles import can

extracts = ModelPolicy(ConcernImport, related=("partnership", "uploaded_by"))
changes = ModelPolicy(PracticeChange)


def get_extract_rows_for(request: HttpRequest, pk: Any) -> tuple[ConcernImport, Membership]:
    """An extract's child-level rows, for `data.rows`. Every opening is written to the audit
    trail; a person turned away leaves no "viewed" event."""
    extract, membership = extracts.get_for(request.user, pk, "data.rows")
    audit.log(actor=request.user, action="childprotection.rows.viewed", target=extract)
    return extract, membership


def shared_outside(membership: Membership) -> bool:
    """Whether the person sees the figures as shared outside the partnership (small
    numbers withheld): their role may see the figures but not exactly (`data.exact`)."""
    return not can(membership.role, "data.exact")
