"""The audit trail: a registry of action names and the one function that writes events.

Every service ends by calling :func:`log`. Action names are namespaced
(``records.reading.submitted``) and must be registered first, in the owning app's
``audit_actions.py`` (autodiscovered at start-up), so a typo fails loudly instead of
writing an event nobody can filter on.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from howgood.core.models import AuditEvent

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("howgood_request_id", default="")


@dataclass(frozen=True)
class AuditAction:
    name: str
    description: str


_REGISTRY: dict[str, AuditAction] = {}


class UnregisteredAction(LookupError):
    """Raised when code tries to record an action name nobody registered."""


def register(name: str, description: str) -> str:
    """Register an action name (``app.thing.verb``) with a plain description. Idempotent."""
    if name.count(".") < 2 or name != name.lower():
        raise ValueError(f"Audit action names look like 'app.thing.verb', not {name!r}")
    existing = _REGISTRY.get(name)
    if existing and existing.description != description:
        raise ValueError(f"Audit action {name!r} registered twice with different descriptions")
    _REGISTRY[name] = AuditAction(name, description)
    return name


def registered() -> dict[str, AuditAction]:
    return dict(sorted(_REGISTRY.items()))


def describe(name: str) -> str:
    action = _REGISTRY.get(name)
    return action.description if action else name


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()


def log(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    partnership: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. ``actor`` may be None (the system) or an anonymous user.

    ``target`` is any model instance (stored as its type, primary key and a label that
    must never hold a child's or family's name: models give a safe ``audit_label``).
    ``partnership`` defaults to the target's ``partnership`` attribute when it has one.
    """

    if action not in _REGISTRY:
        raise UnregisteredAction(f"Audit action {action!r} is not registered")
    if partnership is None and target is not None:
        partnership = getattr(target, "partnership", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    target_type = target_id = target_label = ""
    if target is not None:
        meta = target._meta
        target_type = f"{meta.app_label}.{meta.model_name}"
        target_id = str(target.pk)
        label = getattr(target, "audit_label", None)
        target_label = str(label() if callable(label) else (label or target))[:200]
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(user.email if user else "system")[:254],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        partnership=partnership,
        data=data or {},
        request_id=current_request_id(),
    )
