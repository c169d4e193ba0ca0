"""Access chokepoint for self-evaluation.

- Everything is readable by every member (`selfevaluation.view`), documents included:
  they are served only through the `documents` policy, as downloads.
- Uploading documents, logging audits and adding workshop contributions and evidence:
  `selfevaluation.contribute` (every role but viewer).
- Setting up workshops, merging contributions and recording the evaluation:
  `selfevaluation.facilitate` (lead, coordinator).
- Writing the position statement: `selfevaluation.write` (lead, coordinator,
  contributors); signing a version off: `selfevaluation.signoff` (the lead alone).
One permission policy per model (see ``howgood.partnerships.policies``). Everything
outside the person's partnerships is a 404; a member without the right is a 403.
"""

from __future__ import annotations

from howgood.partnerships.policies import ModelPolicy
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

documents = ModelPolicy(Document, related=("agency",))
audits = ModelPolicy(ServiceAudit, related=("agency",))
audit_findings = ModelPolicy(
    ServiceAuditFinding, partnership="audit__partnership", related=("audit",)
)
workshops = ModelPolicy(Workshop, related=("activity",))
foci = ModelPolicy(
    Focus,
    partnership="workshop__partnership",
    related=("workshop", "quality_indicator", "statement"),
)
contributions = ModelPolicy(
    Contribution, partnership="focus__workshop__partnership", related=("focus__workshop",)
)
statements = ModelPolicy(PositionStatement)
sections = ModelPolicy(
    StatementSection,
    partnership="statement__partnership",
    related=("statement", "inspection_statement"),
)
versions = ModelPolicy(
    StatementVersion, partnership="statement__partnership", related=("statement",)
)
