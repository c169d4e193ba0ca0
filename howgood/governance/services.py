"""Drafting documents from HowGood's figures, and changing their text."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.governance.figures import programme_figures
from howgood.governance.letter import programme_letter
from howgood.governance.models import Draft, DraftKind
from howgood.partnerships.models import Partnership

MAX_SECTION = 20_000  # characters in one section's text


@transaction.atomic
def draft_create(
    *,
    partnership: Partnership,
    kind: str = DraftKind.PROGRAMME_LETTER,
    actor: User | None,
    on: date | None = None,
) -> Draft:
    """A new draft from the data as it is now (or as at ``on``), with the figures it states
    and where each came from."""
    if kind != DraftKind.PROGRAMME_LETTER:
        raise ValidationError("HowGood drafts the programme letter only, so far.")
    on = on or timezone.localdate()
    figures = programme_figures(partnership, on=on)
    draft = Draft.objects.create(
        partnership=partnership,
        kind=kind,
        title=f"Programme letter: {partnership.name}",
        as_at=on,
        sections=programme_letter(figures, partnership.name),
        figures=figures.as_json(),
        created_by=actor,
        updated_by=actor,
    )
    audit.log(actor=actor, action="governance.draft.created", target=draft)
    return draft


@transaction.atomic
def draft_update(*, draft: Draft, texts: dict[str, str], actor: User) -> Draft:
    """Change the text of some of the draft's sections (by key); the headings, the figures it
    was drafted from and the other sections stay. Saving what is already there changes
    nothing and records nothing."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    known = {s["key"] for s in locked.sections}
    if set(texts) - known:
        raise ValidationError("That section is not in this draft.")
    changed = []
    for section in locked.sections:
        new = texts.get(section["key"])
        if new is None:
            continue
        new = new.replace("\r\n", "\n").strip()
        if len(new) > MAX_SECTION:
            raise ValidationError(
                {section["key"]: f"Keep {section['heading']} under {MAX_SECTION:,} characters."}
            )
        if new != section["text"]:
            section["text"] = new
            changed.append(section["heading"])
    if changed:
        locked.edited, locked.updated_by = True, actor
        locked.save(update_fields=["sections", "edited", "updated_by", "updated_at"])
        audit.log(
            actor=actor,
            action="governance.draft.updated",
            target=locked,
            data={"sections": changed},
        )
    return locked
