"""The one way a service changes an existing object's fields.

    model_update(instance=agency, fields=AGENCY_FIELDS, data=form.cleaned_data,
                 actor=actor, audit_action="partnerships.agency.updated")

``fields`` is the service's allow-list: a key in ``data`` outside it is a programming error
and raises :class:`NotAllowed` before anything is set, so no caller can reach a field the
service did not mean to offer (``is_demo``, ``slug``, a foreign key to another partnership).
The row is read afresh and locked (``select_for_update``: call it inside the service's
transaction), so the "before" is what was saved, even when a ModelForm has already written
the typed values onto the caller's instance, and two people saving at once are saved one
after the other. Only the fields whose value really changes are set; the object is validated with
``full_clean`` and saved with ``update_fields`` (plus ``updated_at`` where the model keeps
one), and the returned changes (``{field: {"before": ..., "after": ...}}``, as text) are what
the audit event records and what the history pages show. Given ``audit_action``, it writes
that event itself (the object as its target, ``{"changes": changes}`` as its data unless
``audit_data`` makes the data from the changes), and only when something changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models

from howgood.core import audit

M = TypeVar("M", bound=models.Model)

Changes = dict[str, dict[str, str]]


class NotAllowed(TypeError):
    """A service was asked to change a field it does not offer."""


def as_text(value: Any) -> str:
    """A field's value as the audit trail and history pages show it."""
    if value is None:
        return ""
    if isinstance(value, models.Model):  # its audit label (never a child's name), else its id
        label = getattr(value, "audit_label", "")
        return str((label() if callable(label) else label) or value.pk)
    if isinstance(value, Decimal):  # 25.0000 as stored and 25 as typed are both "25"
        return format(value.normalize(), "f")
    return str(value)


def model_create(
    *, model: type[M], fields: Collection[str], data: Mapping[str, Any], **fixed: Any
) -> M:
    """A new object from the allowed ``data`` and the service's own ``fixed`` values (its
    partnership, its parent), validated and saved."""
    refused = sorted(set(data) - set(fields))
    if refused:
        raise NotAllowed(f"{model.__name__} cannot be made with: {', '.join(refused)}")
    instance = model(**fixed, **data)
    instance.full_clean()
    instance.save()
    return instance


def model_update(
    *,
    instance: models.Model,
    fields: Collection[str],
    data: Mapping[str, Any],
    actor: Any = None,
    audit_action: str = "",
    audit_data: Callable[[Changes], dict[str, Any]] | None = None,
) -> Changes:
    """Set the allowed fields in ``data`` that differ, validate, save just those; return the
    changes (empty when nothing changed, and then nothing is saved and nothing audited).

    ``actor`` is who made the change (a user, or None for the system), as ``audit.log``
    takes it."""
    refused = sorted(set(data) - set(fields))
    if refused:
        raise NotAllowed(f"{type(instance).__name__} cannot be changed in: {', '.join(refused)}")
    saved = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changes: Changes = {}
    for name, value in data.items():
        before = getattr(saved, name)
        if before != value:
            changes[name] = {"before": as_text(before), "after": as_text(value)}
            setattr(saved, name, value)
    if changes:
        saved.full_clean()
        update_fields = list(changes)
        if any(f.name == "updated_at" for f in saved._meta.concrete_fields):
            update_fields.append("updated_at")
        saved.save(update_fields=update_fields)
    for field in saved._meta.concrete_fields:  # the caller's object now says what was saved
        setattr(instance, field.attname, getattr(saved, field.attname))
    if changes and audit_action:
        audit.log(
            actor=actor,
            action=audit_action,
            target=instance,
            data=audit_data(changes) if audit_data else {"changes": changes},
        )
    return changes
