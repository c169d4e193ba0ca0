"""The demo's own questionnaire: a short staff pulse survey imported from XLSForm and published,
as a coordinator would add one of their own."""

from __future__ import annotations

from django.db.models import QuerySet

from howgood.core.demobuild import DemoBuild
from howgood.partnerships.models import Partnership
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import Submission
from howgood.questionnaires.services import questionnaire_import, version_publish


def load(build: DemoBuild) -> None:
    actor = build.people["coordinator"].user
    version = questionnaire_import(
        partnership=build.partnership,
        files={"staff-pulse-example.xlsx": pulse_survey()},
        actor=actor,
        kind="staff_survey",
    )
    version_publish(version=version, actor=actor)


def clear(partnerships: QuerySet[Partnership]) -> None:
    """Answers still held on the demo partnerships' own questionnaires."""
    Submission.objects.filter(version__questionnaire__partnership__in=partnerships).delete()
