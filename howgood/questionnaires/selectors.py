"""Reads for questionnaire pages."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from howgood.partnerships.models import Membership
from howgood.questionnaires import access
from howgood.questionnaires.models import Item, Questionnaire, QuestionnaireVersion


def questionnaire_list(membership: Membership) -> QuerySet[Questionnaire]:
    return (
        access.questionnaires.instances_user_has_permission_for(
            membership.user, "questionnaires.view", partnership=membership.partnership
        )
        .annotate(
            version_count=Count("versions"),
            latest_number=Max("versions__number"),
            published_count=Count("versions", filter=Q(versions__status="published")),
        )
        .order_by("partnership_id", "title")
    )


def versions_of(questionnaire: Questionnaire) -> QuerySet[QuestionnaireVersion]:
    return questionnaire.versions.annotate(item_count=Count("items")).select_related(
        "created_by", "published_by"
    )


def version_items(version: QuestionnaireVersion) -> QuerySet[Item]:
    return (
        version.items.select_related("section", "choice_list")
        .prefetch_related("quality_indicators", "statements", Prefetch("choice_list__choices"))
        .order_by("order")
    )
