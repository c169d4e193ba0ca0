"""Access to generated documents.

A document may be seen (its status page) and downloaded only by a member of its
partnership whose role holds the capability its builder registered, that is, who may
see what it was made from. A case-level document (a row per child or reading, or free
text about a child) also needs a role that sees case data and a sign-in that passed
two-factor, whoever asked for it: a viewer who guesses the number of a coordinator's
workbook gets a 403. Every download is written to the audit trail here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from howgood.core import audit
from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.partnerships.policies import ModelPolicy
from howgood.partnerships.roles import CASE_DATA_ROLES
from howgood.reports.models import GeneratedReport, ReportStatus

CASE_LEVEL_REFUSED = (
    "This document holds a row for each child's record. Your role sees the findings with "
    "small numbers hidden, not individual records."
)


documents = ModelPolicy(GeneratedReport)


def _two_factor_passed(user: Any) -> bool:
    """As the two-factor middleware decides: verified, or an invented demo account in demo mode."""
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return bool(settings.HOWGOOD_DEMO and getattr(user, "is_demo", False))


def require_may_have(
    user: Any, partnership_id: int, capability: str, case_level: bool
) -> Membership:
    """The person's membership if their role may have a document needing ``capability``
    (404 outside the partnership, 403 for the wrong role); for a case-level document the
    role must also see case data."""
    return _may_have_case_level(
        partnership_access.require(user, partnership_id, capability), case_level
    )


def _may_have_case_level(membership: Membership, case_level: bool) -> Membership:
    """The membership, unless the document is case-level and the role does not see case data."""
    if case_level and membership.role not in CASE_DATA_ROLES:
        raise PermissionDenied(CASE_LEVEL_REFUSED)
    return membership


def get_report_for(
    user: Any, pk: Any, *, download: bool = False
) -> tuple[GeneratedReport, Membership]:
    """A document of the person's partnership, if their role may see what it holds.

    With ``download=True`` and the document ready, the download is audited (who, which
    document, whether it is case-level).
    """
    report = documents.find(pk)
    # The action is the document's own: the capability that sees what it was made from.
    membership = _may_have_case_level(
        documents.check(user, report.capability, report), report.case_level
    )
    if report.case_level and not _two_factor_passed(user):
        raise PermissionDenied("Sign in with two-factor to download this document.")
    if download and report.status == ReportStatus.READY:
        audit.log(
            actor=user,
            action="reports.document.downloaded",
            target=report,
            partnership=membership.partnership,
            data={
                "kind": report.kind,
                "case_level": report.case_level,
                "filename": report.filename,
            },
        )
    return report, membership
