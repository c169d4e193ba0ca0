"""Access for the Governance section.

Everything here is aggregate or about the partnership's own governance, never case-level:
the lead, the coordinator, the strategic group's viewers and the scrutiny partner may read
it (`governance.view`); the lead and the coordinator draft documents, keep the groups and
record meetings (`governance.manage`).
"""

from __future__ import annotations

from howgood.governance.models import (
    AgendaItem,
    Decision,
    Draft,
    Group,
    GroupMember,
    Meeting,
    ReportPack,
)
from howgood.partnerships.policies import ModelPolicy

drafts = ModelPolicy(Draft, related=("partnership", "created_by", "updated_by"))
groups = ModelPolicy(Group, related=("partnership", "terms", "reports_to"))
seats = ModelPolicy(GroupMember, partnership="group__partnership", related=("group",))
meetings = ModelPolicy(Meeting, partnership="group__partnership", related=("group__partnership",))
items = ModelPolicy(AgendaItem, partnership="meeting__group__partnership", related=("meeting",))
decisions = ModelPolicy(Decision, partnership="meeting__group__partnership", related=("meeting",))
packs = ModelPolicy(ReportPack, related=("partnership", "group"))
