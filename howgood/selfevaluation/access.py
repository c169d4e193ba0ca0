"""Access chokepoint for self-evaluation.

- Everything is readable by every member (`selfevaluation.view`), documents included:
  they are served only through `get_document_for`, as downloads.
- Uploading documents, logging audits and adding workshop contributions and evidence:
  `selfevaluation.contribute` (every role but viewer).
- Setting up workshops, merging contributions and recording the evaluation:
  `selfevaluation.facilitate` (lead, coordinator).
- Writing the position statement: `selfevaluation.write` (lead, coordinator,
  contributors); signing a version off: `selfevaluation.signoff` (the lead alone).
Everything outside the person's partnerships is a 404; a member without the right is a 403.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.selfevaluation.models import (
    Contribution,
    Document,
    Focus,
    PositionStatement,
    ServiceAudit,
    ServiceAuditFinding,
    StatementSection,
    StatementVersion,
    Workshop,
)


def _pk(value: Any) -> int:
    if not str(value).isdigit():
        raise Http404("Not found")
    return int(value)


def _member(user: Any, partnership_id: int, capability: str) -> Membership:
    if partnership_access.membership_in(user, partnership_id) is None:
        raise Http404("Not found")
    return partnership_access.require(user, partnership_id, capability)


def get_document_for(user: Any, pk: Any, capability: str) -> tuple[Document, Membership]:
    document = Document.objects.filter(pk=_pk(pk)).select_related("agency").first()
    if document is None:
        raise Http404("Not found")
    return document, _member(user, document.partnership_id, capability)


def get_audit_for(user: Any, pk: Any, capability: str) -> tuple[ServiceAudit, Membership]:
    record = ServiceAudit.objects.filter(pk=_pk(pk)).select_related("agency").first()
    if record is None:
        raise Http404("Not found")
    return record, _member(user, record.partnership_id, capability)


def get_finding_for(user: Any, pk: Any, capability: str) -> tuple[ServiceAuditFinding, Membership]:
    finding = ServiceAuditFinding.objects.filter(pk=_pk(pk)).select_related("audit").first()
    if finding is None:
        raise Http404("Not found")
    return finding, _member(user, finding.audit.partnership_id, capability)


def get_workshop_for(user: Any, pk: Any, capability: str) -> tuple[Workshop, Membership]:
    workshop = Workshop.objects.filter(pk=_pk(pk)).select_related("activity").first()
    if workshop is None:
        raise Http404("Not found")
    return workshop, _member(user, workshop.partnership_id, capability)


def get_focus_for(user: Any, pk: Any, capability: str) -> tuple[Focus, Membership]:
    focus = (
        Focus.objects.filter(pk=_pk(pk))
        .select_related("workshop", "quality_indicator", "statement")
        .first()
    )
    if focus is None:
        raise Http404("Not found")
    return focus, _member(user, focus.workshop.partnership_id, capability)


def get_contribution_for(user: Any, pk: Any, capability: str) -> tuple[Contribution, Membership]:
    contribution = Contribution.objects.filter(pk=_pk(pk)).select_related("focus__workshop").first()
    if contribution is None:
        raise Http404("Not found")
    return contribution, _member(user, contribution.focus.workshop.partnership_id, capability)


def get_statement_for(user: Any, pk: Any, capability: str) -> tuple[PositionStatement, Membership]:
    statement = PositionStatement.objects.filter(pk=_pk(pk)).first()
    if statement is None:
        raise Http404("Not found")
    return statement, _member(user, statement.partnership_id, capability)


def get_section_for(user: Any, pk: Any, capability: str) -> tuple[StatementSection, Membership]:
    section = (
        StatementSection.objects.filter(pk=_pk(pk))
        .select_related("statement", "inspection_statement")
        .first()
    )
    if section is None:
        raise Http404("Not found")
    return section, _member(user, section.statement.partnership_id, capability)


def get_version_for(user: Any, pk: Any, capability: str) -> tuple[StatementVersion, Membership]:
    version = StatementVersion.objects.filter(pk=_pk(pk)).select_related("statement").first()
    if version is None:
        raise Http404("Not found")
    return version, _member(user, version.statement.partnership_id, capability)
