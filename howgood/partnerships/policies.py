"""Permission policies: one object per model that answers who may do what to it.

After Wagtail's permission policies. Each access module builds one ``ModelPolicy`` per
model it guards and every view and list asks it:

- ``user_has_permission(user, action)``: may the person do this anywhere (in any of their
  partnerships)?
- ``user_has_permission_for_instance(user, action, instance)``: may they do it to this one?
- ``instances_user_has_permission_for(user, action, partnership=)``: the queryset of the
  ones they may.
- ``get_for(user, pk, action)``: the chokepoint a view calls; returns the object and the
  person's membership of its partnership, or raises 404 (outside their partnerships, not
  there, or not theirs to see) or 403 (a member whose role may not do this).

The actions are the capabilities of ``partnerships.roles.CAPABILITIES`` ("records.manage",
"improvement.view" ...): one vocabulary, and the roles table the only place that says which
role has which. A policy with owners (an action's owner, a reading's reader, the person who
raised a concern) adds the ownership rules:

- ``owner_may``: actions an owner may take on their own object whatever their role ("an
  action's owner, or a manager, updates its progress");
- ``owner_only``: actions only an owner may take, and only while their role allows it ("a
  reader opens their own reading");
- ``private``: someone who neither owns the object nor holds ``view`` does not learn it
  exists (404, not 403).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from howgood.partnerships.models import Membership
from howgood.partnerships.roles import CAPABILITIES, can

M = TypeVar("M", bound=models.Model)
_CACHE_ATTR = "_howgood_memberships"

REFUSED = "Your role in this partnership cannot do this."


def memberships(user: Any) -> dict[int, Membership]:
    """The person's active memberships by partnership id (loaded once per request and kept
    on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {}
        for m in Membership.objects.filter(user=user, is_active=True).select_related(
            "partnership", "agency"
        ):
            m.user = user  # the same person: no second query for it
            cached[m.partnership_id] = m
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the kept memberships (after they change in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def membership_in(user: Any, partnership_id: int | None) -> Membership | None:
    if partnership_id is None:
        return None
    return memberships(user).get(partnership_id)


def object_pk(value: Any) -> int:
    """A primary key from a URL or form, or 404 for anything that is not a whole number."""
    if not str(value).isdigit():
        raise Http404("Not found")
    return int(value)


def _follow(instance: Any, path: str) -> Any:
    value = instance
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


class ModelPolicy(Generic[M]):
    """Who may do what to one model's objects, by partnership role and ownership.

    ``partnership`` is the lookup path from the model to its ``Partnership`` ("partnership",
    "plan__partnership"; ``None`` for the ``Partnership`` model itself); ``related`` what to
    load with an object; ``owners`` lookup paths to the ``Membership`` (or, with
    ``owner_is_user``, the user) that owns it; ``owner_where`` a condition (as a query
    and as a test of one object) that an object must also meet for ``owner_only`` actions.
    With ``shared``, an object with no partnership belongs to every partnership: a person
    acts on it as a member of the partnership they are working in (``within``), and the
    ``shared_refuses`` actions are refused on it (``shared_refused`` says why).
    """

    def __init__(
        self,
        model: type[M],
        *,
        partnership: str | None = "partnership",
        related: Sequence[str] = (),
        owners: Sequence[str] = (),
        owner_is_user: bool = False,
        owner_may: Collection[str] = (),
        owner_only: Collection[str] = (),
        owner_where: tuple[Q, Callable[[Any], bool]] | None = None,
        private: bool = False,
        view: str | None = None,
        refused: str = REFUSED,
        shared: bool = False,
        shared_refuses: Collection[str] = (),
        shared_refused: str = REFUSED,
    ) -> None:
        for action in (*owner_may, *owner_only, *shared_refuses, *([view] if view else [])):
            if action not in CAPABILITIES:
                raise KeyError(f"Unknown capability {action!r}")
        if (owner_may or owner_only or private) and not owners:
            raise ValueError("Ownership rules need the owners' lookup paths")
        self.model = model
        self.partnership = partnership
        self.related = tuple(related)
        self.owners = tuple(owners)
        self.owner_is_user = owner_is_user
        self.owner_may = frozenset(owner_may)
        self.owner_only = frozenset(owner_only)
        self.owner_where = owner_where
        self.private = private
        self.view = view
        self.refused = refused
        self.shared = shared
        self.shared_refuses = frozenset(shared_refuses)
        self.shared_refused = shared_refused

    # -- the questions -----------------------------------------------------------------

    def partnership_id_of(self, instance: M) -> int | None:
        if self.partnership is None:
            return instance.pk
        value: int | None = _follow(instance, f"{self.partnership}_id")
        return value

    def owns(self, membership: Membership, instance: M) -> bool:
        """Whether the person (as this membership) owns the object."""
        mine = membership.user_id if self.owner_is_user else membership.pk
        return any(_follow(instance, f"{path}_id") == mine for path in self.owners)

    def user_has_permission(self, user: Any, action: str) -> bool:
        return any(can(m.role, action) for m in memberships(user).values()) or (
            action in self.owner_may and bool(memberships(user))
        )

    def user_has_permission_for_instance(self, user: Any, action: str, instance: M) -> bool:
        try:
            self.check(user, action, instance)
        except (Http404, PermissionDenied):
            return False
        return True

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, partnership: Any = None
    ) -> QuerySet[M]:
        """The objects the person may do ``action`` to (in one partnership if given)."""
        mine = list(memberships(user).values())
        if partnership is not None:
            mine = [m for m in mine if m.partnership_id == partnership.pk]
        by_role = [m.partnership_id for m in mine if can(m.role, action)]
        field = "pk" if self.partnership is None else f"{self.partnership}_id"
        in_partnership = Q(**{f"{field}__in": by_role})
        if self.shared and by_role and action not in self.shared_refuses:
            in_partnership |= Q(**{f"{self.partnership}__isnull": True})
        if action in self.owner_only:
            allowed = self._owned_by(mine) & in_partnership
            if self.owner_where is not None:
                allowed &= self.owner_where[0]
        elif action in self.owner_may:
            allowed = in_partnership | self._owned_by(mine)
        else:
            allowed = in_partnership
        return self._queryset().filter(allowed)

    def get_for(
        self, user: Any, pk: Any, action: str, *, within: Any = None
    ) -> tuple[M, Membership]:
        """The chokepoint: the object and the person's membership, or 404 / 403.
        ``within`` is the partnership the person is working in (for shared objects)."""
        instance = self.find(pk)
        return instance, self.check(user, action, instance, within=within)

    def find(self, pk: Any) -> M:
        """The object, with what it is shown with, before any check (404 if there is none):
        only for a chokepoint that must read the object to know which action to check."""
        instance = self._queryset().filter(pk=object_pk(pk)).first()
        if instance is None:
            raise Http404("Not found")
        return instance

    def check(self, user: Any, action: str, instance: M, *, within: Any = None) -> Membership:
        """The person's membership of the object's partnership if they may do ``action``
        to it; 404 if it is not theirs to know about, 403 if their role may not."""
        if action not in CAPABILITIES:
            raise KeyError(f"Unknown capability {action!r}")
        partnership_id = self.partnership_id_of(instance)
        if partnership_id is None and self.shared:
            membership = membership_in(user, within.pk if within is not None else None)
            if membership is None:
                raise Http404("Not found")
            if not can(membership.role, action):
                raise PermissionDenied(self.refused)
            if action in self.shared_refuses:
                raise PermissionDenied(self.shared_refused)
            return membership
        membership = membership_in(user, partnership_id)
        if membership is None:
            raise Http404("Not found")
        owns = bool(self.owners) and self.owns(membership, instance)
        if action in self.owner_only:
            if not owns or (self.owner_where is not None and not self.owner_where[1](instance)):
                raise Http404("Not found")
        elif owns and action in self.owner_may:
            return membership
        elif (
            self.private
            and not owns
            and not can(membership.role, action)
            and not (self.view and can(membership.role, self.view))
        ):
            raise Http404("Not found")
        if not can(membership.role, action):
            raise PermissionDenied(self.refused)
        return membership

    # -- helpers -----------------------------------------------------------------------

    def _queryset(self) -> QuerySet[M]:
        qs: QuerySet[M] = self.model._default_manager.all()
        if self.related:
            qs = qs.select_related(*self.related)
        return qs

    def _owned_by(self, mine: Sequence[Membership]) -> Q:
        ids = [m.user_id for m in mine] if self.owner_is_user else [m.pk for m in mine]
        owned = Q(pk__in=[])
        for path in self.owners:
            owned |= Q(**{f"{path}_id__in": ids})
        return owned
