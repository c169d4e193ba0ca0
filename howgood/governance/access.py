"""Access for the Governance section.

Drafts of the programme letter and the annual report hold aggregate figures and the
partnership's own words, never case-level data: the lead, the coordinator, the strategic
group's viewers and the scrutiny partner may read them (`governance.view`); the lead and
the coordinator draft and change them (`governance.manage`).
"""

from __future__ import annotations

from howgood.governance.models import Draft
from howgood.partnerships.policies import ModelPolicy

drafts = ModelPolicy(Draft, related=("partnership", "created_by", "updated_by"))
