"""The self-evaluation services' own refusals, with the words people see: workshops,
contributions, evaluations, live evidence, statements, comments, service audits and plan
actions each keep to their partnership and refuse what is empty."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from howgood.core.models import AuditEvent
from howgood.core.updates import NotAllowed
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.improvement import services as improvement
from howgood.improvement.models import Action
from howgood.partnerships.services import activity_create
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import Item
from howgood.records import services as records
from howgood.selfevaluation import services
from howgood.selfevaluation.models import Contribution, EvidenceLink
from howgood.surveys import services as surveys

pytestmark = pytest.mark.django_db


def refused(call: Any, **kwargs: Any) -> Any:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict if hasattr(error.value, "error_dict") else error.value.messages


def workshop(cast: Any) -> Any:
    return services.workshop_create(
        partnership=cast.a,
        title="QI 2.1 workshop",
        actor=cast.coordinator,
        quality_indicators=[QualityIndicator.objects.get(number="2.1")],
    )


def test_a_workshop_keeps_to_its_partnership_and_needs_something_to_evaluate(
    cast: Any, framework: Any
) -> None:
    theirs = activity_create(
        partnership=cast.b,
        actor=cast.outsider,
        data={
            "title": "Their workshop",
            "type": "workshop",
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 3, 1),
            "status": "planned",
            "description": "",
        },
    )
    assert refused(
        services.workshop_create,
        partnership=cast.a,
        title="Ours",
        actor=cast.coordinator,
        activity=theirs,
        quality_indicators=[QualityIndicator.objects.get(number="2.1")],
    ) == ["Choose something from this partnership."]
    assert refused(
        services.workshop_create, partnership=cast.a, title="Nothing", actor=cast.coordinator
    ) == {"quality_indicators": ["Choose at least one quality indicator or inspection statement."]}
    by_statement = services.workshop_create(
        partnership=cast.a,
        title="Statement 1",
        actor=cast.coordinator,
        statements=[InspectionStatement.objects.get(number=1)],
    )
    assert by_statement.foci.get().statement.number == 1


def test_contributions_need_words_and_a_kind_and_merge_only_within_their_focus(
    cast: Any, framework: Any
) -> None:
    focus = workshop(cast).foci.get()
    other_focus = workshop(cast).foci.get()
    add = services.contribution_add
    assert refused(add, focus=focus, kind="strength", text="  ", actor=cast.contributor) == {
        "text": ["Write your contribution."]
    }
    assert refused(add, focus=focus, kind="wish", text="More", actor=cast.contributor) == {
        "kind": ["Choose what kind of contribution it is."]
    }
    keep = add(focus=focus, kind="strength", text="Joint visits", actor=cast.contributor)
    elsewhere = add(focus=other_focus, kind="strength", text="Joint visits", actor=cast.lead)
    merged = services.contributions_merge(keep=keep, others=[keep, elsewhere], actor=cast.lead)
    assert merged == 0
    assert Contribution.objects.get(pk=elsewhere.pk).merged_into is None
    assert not AuditEvent.objects.filter(action="selfevaluation.contribution.merged").exists()


def test_an_evaluation_needs_a_level_from_one_to_six_and_reasons(cast: Any, framework: Any) -> None:
    focus = workshop(cast).foci.get()
    evaluate = services.focus_evaluate
    assert refused(evaluate, focus=focus, level=7, reasons="Good", actor=cast.lead) == {
        "level": ["Choose a level from 1 to 6."]
    }
    assert refused(evaluate, focus=focus, level=4, reasons="  ", actor=cast.lead) == {
        "reasons": ["Give the group's reasons for the evaluation."]
    }


def test_live_evidence_points_at_something_of_this_partnership(cast: Any, framework: Any) -> None:
    focus = workshop(cast).foci.get()
    add = services.evidence_add
    base = {"partnership": cast.a, "actor": cast.lead, "focus": focus}
    assert refused(add, kind="rumour", targets={}, **base) == {
        "kind": ["Choose what kind of evidence it is."]
    }
    assert refused(add, kind="action", targets={}, **base) == {
        "action": ["Choose what the evidence points at."]
    }
    plan_b = improvement.plan_create(
        partnership=cast.b,
        title="Their plan",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=cast.outsider,
    )
    their_action = improvement.action_create(
        plan=plan_b, actor=cast.outsider, data={"title": "Theirs"}
    )
    assert refused(add, kind="action", targets={"action": their_action}, **base) == {
        "action": ["Choose something from this partnership."]
    }
    with pytest.raises(NotAllowed, match="measure"):  # only what an action link points at
        add(kind="action", targets={"action": their_action, "measure": their_action}, **base)
    assert not EvidenceLink.objects.exists()


def test_statements_comments_and_steps_refuse_what_is_empty_or_foreign(
    cast: Any, framework: Any
) -> None:
    statement = services.statement_create(partnership=cast.a, title="2026", actor=cast.lead)
    section = statement.sections.first()
    assert refused(services.comment_add, section=section, text=" ", actor=cast.lead) == {
        "text": ["Write your comment."]
    }
    comment = services.comment_add(section=section, text="  Cite the audit.  ", actor=cast.lead)
    assert list(section.comments.values_list("pk", "text", "author")) == [
        (comment.pk, "Cite the audit.", cast.lead.pk)
    ]
    assert AuditEvent.objects.filter(action="selfevaluation.comment.added").count() == 1
    plan_b = improvement.plan_create(
        partnership=cast.b,
        title="Their plan",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=cast.outsider,
    )
    step = services.action_from_section
    assert refused(step, section=section, text="", plan=plan_b, actor=cast.lead) == {
        "text": ["Write the step to turn into an action."]
    }
    assert refused(step, section=section, text="Do it", plan=plan_b, actor=cast.lead) == [
        "Choose a plan of this partnership."
    ]
    version = services.version_save(statement=statement, actor=cast.lead)
    services.version_sign_off(version=version, actor=cast.lead)
    assert refused(services.version_sign_off, version=version, actor=cast.lead) == [
        "This version is already signed off."
    ]


@pytest.mark.django_db
def test_a_statement_needs_the_framework_loaded(cast: Any) -> None:
    assert refused(
        services.statement_create, partnership=cast.a, title="2026", actor=cast.lead
    ) == ["Load the quality framework first (manage.py load_framework)."]


def service_audit(partnership: Any, actor: Any, findings: list[str]) -> Any:
    return services.service_audit_create(
        partnership=partnership,
        title="Case file audit 2025",
        kind="audit",
        dated=date(2025, 6, 1),
        summary="Chronologies were missing.",
        findings=findings,
        actor=actor,
    )


def test_a_service_audit_keeps_its_findings_with_words_and_drops_blank_lines(
    cast: Any, framework: Any
) -> None:
    record = service_audit(
        cast.a, cast.coordinator, ["  Chronologies are not up to date  ", "   ", ""]
    )
    assert list(record.findings.values_list("text", "raised_on")) == [
        ("Chronologies are not up to date", date(2025, 6, 1))
    ]
    assert AuditEvent.objects.filter(action="selfevaluation.audit.logged").count() == 1


def test_a_repeat_finding_must_repeat_one_of_this_partnership(cast: Any, framework: Any) -> None:
    theirs = service_audit(cast.b, cast.outsider, ["Chronologies are not up to date"])
    ours = service_audit(cast.a, cast.coordinator, [])
    assert refused(
        services.finding_add,
        service_audit=ours,
        text="Chronologies are still not up to date",
        actor=cast.coordinator,
        repeat_of=theirs.findings.get(),
    ) == {"repeat_of": ["Choose a finding of this partnership."]}
    assert not ours.findings.exists()
    assert not AuditEvent.objects.filter(action="selfevaluation.finding.added").exists()


def test_a_contribution_goes_only_into_a_plan_of_its_own_partnership(
    cast: Any, framework: Any
) -> None:
    focus = workshop(cast).foci.get()
    area = services.contribution_add(
        focus=focus, kind="area", text="Health are not always in IRDs", actor=cast.contributor
    )
    plan_b = improvement.plan_create(
        partnership=cast.b,
        title="Their plan",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=cast.outsider,
    )
    assert refused(
        services.action_from_contribution, contribution=area, plan=plan_b, actor=cast.lead
    ) == ["Choose a plan of this partnership."]
    assert not Action.objects.exists()


def test_a_reading_indicator_links_the_exercise_and_its_quality_indicator(
    cast: Any, framework: Any
) -> None:
    focus = workshop(cast).foci.get()
    template = published_survey(cast, "Used as a template").version
    exercise = records.exercise_create(
        partnership=cast.a, title="IRD audit", template=template, activity=None, actor=cast.lead
    )
    indicator = QualityIndicator.objects.get(number="5.2")
    link = services.evidence_add(
        partnership=cast.a,
        kind="reading_indicator",
        focus=focus,
        actor=cast.lead,
        targets={"exercise": exercise, "quality_indicator": indicator},
    )
    assert list(EvidenceLink.objects.values_list("pk", "exercise_id", "quality_indicator_id")) == [
        (link.pk, exercise.pk, indicator.pk)
    ]


def published_survey(cast: Any, title: str) -> Any:
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    return surveys.survey_create(
        partnership=cast.a,
        title=title,
        version=version,
        audience=[cast.social_work],
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )


def test_survey_evidence_needs_a_question_of_that_survey(cast: Any, framework: Any) -> None:
    focus = workshop(cast).foci.get()
    spring = published_survey(cast, "Spring staff survey")
    autumn = published_survey(cast, "Autumn staff survey")
    assert spring.version_id != autumn.version_id
    spring_question = Item.objects.get(version=spring.version, name="confident_risk")
    assert refused(
        services.evidence_add,
        partnership=cast.a,
        kind="survey_question",
        targets={"survey": autumn, "item": spring_question},
        focus=focus,
        actor=cast.lead,
    ) == {"item": ["Choose a question of that survey or exercise."]}
    assert not EvidenceLink.objects.exists()
    link = services.evidence_add(
        partnership=cast.a,
        kind="survey_question",
        focus=focus,
        actor=cast.lead,
        targets={"survey": spring, "item": spring_question},
    )
    assert list(EvidenceLink.objects.values_list("pk", "survey_id", "item_id")) == [
        (link.pk, spring.pk, spring_question.pk)
    ]
