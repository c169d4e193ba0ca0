"""Access chokepoint for questionnaires.

Shared defaults (no partnership) can be read by anyone whose current role may view
questionnaires, and copied into their partnership by someone who may manage them; they
are never changed in place. A partnership's own questionnaires follow its memberships.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.questionnaires.models import Questionnaire, QuestionnaireVersion


def questionnaires_visible_to(membership: Membership) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(
        Q(partnership=membership.partnership) | Q(partnership__isnull=True)
    )


def _membership_for(
    request: HttpRequest, questionnaire: Questionnaire, capability: str
) -> Membership:
    if questionnaire.partnership_id is None:
        return partnership_access.current(request, capability)
    return partnership_access.require(request.user, questionnaire.partnership_id, capability)


def get_questionnaire_for(
    request: HttpRequest, pk: Any, capability: str, *, change: bool = False
) -> tuple[Questionnaire, Membership]:
    """``change=True`` for actions that alter the questionnaire (refused for shared defaults)."""
    questionnaire = (
        Questionnaire.objects.filter(pk=pk).select_related("partnership").first()
        if str(pk).isdigit()
        else None
    )
    if questionnaire is None:
        raise Http404("Not found")
    if (
        questionnaire.partnership_id is not None
        and partnership_access.membership_in(request.user, questionnaire.partnership_id) is None
    ):
        raise Http404("Not found")
    membership = _membership_for(request, questionnaire, capability)
    if change and questionnaire.partnership_id is None:
        raise PermissionDenied(
            "Shared questionnaires cannot be changed. Make a copy for your partnership."
        )
    return questionnaire, membership


def get_version_for(
    request: HttpRequest, pk: Any, capability: str, *, change: bool = False
) -> tuple[QuestionnaireVersion, Membership]:
    version = (
        QuestionnaireVersion.objects.filter(pk=pk)
        .select_related("questionnaire__partnership")
        .first()
        if str(pk).isdigit()
        else None
    )
    if version is None:
        raise Http404("Not found")
    _, membership = get_questionnaire_for(
        request, version.questionnaire_id, capability, change=change
    )
    return version, membership
