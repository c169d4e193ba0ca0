"""Self-evaluation through HTTP: the evidence library, the audit register, workshops,
live evidence and the position statement from draft to signed-off documents."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from howgood.frameworks.models import QualityIndicator
from howgood.improvement import services as improvement
from howgood.improvement.models import Action
from howgood.questionnaires.models import Item
from howgood.selfevaluation import selectors, services
from howgood.selfevaluation.models import Contribution, Document, EvidenceLink
from tests.core.hostile import plain_pdf
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db
PDF = plain_pdf()  # a PDF the upload check can read through


def test_documents_are_checked_stored_privately_and_served_only_to_members(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("contributor")
    qi = QualityIndicator.objects.get(number="5.2")
    form = {
        "title": "Child protection procedures",
        "type": "policy",
        "dated": "2025-09-01",
        "summary": "The partnership's procedures.",
        "quality_indicators": [qi.pk],
        "submission_key": "d1",
    }
    refused = client.post(
        reverse("selfevaluation:document_add"),
        {**form, "file": SimpleUploadedFile("macro.docm", b"PK\x03\x04")},
    )
    assert refused.status_code == 400 and b"can hold macros" in refused.content
    assert b'value="Child protection procedures"' in refused.content  # what was typed is kept
    assert not Document.objects.exists()
    saved = client.post(
        reverse("selfevaluation:document_add"),
        {**form, "file": SimpleUploadedFile("procedures.pdf", PDF)},
    )
    assert saved.status_code == 302
    document = Document.objects.get()
    assert "procedures" not in document.file.name  # stored under a random name
    download = client_for("viewer").get(reverse("selfevaluation:document", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for("outsider")
        .get(reverse("selfevaluation:document", args=[document.pk]))
        .status_code
        == 404
    )


def test_audit_register_shows_how_long_findings_stay_open_and_recurring_ones(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    old = services.service_audit_create(
        partnership=cast.a,
        title="Social work case file audit 2024",
        kind="audit",
        agency=cast.social_work,
        dated=date.today() - timedelta(days=400),
        summary="Chronologies were missing in half of files.",
        findings=["Chronologies are not up to date"],
        actor=cast.coordinator,
    )
    new = services.service_audit_create(
        partnership=cast.a,
        title="Social work case file audit 2025",
        kind="audit",
        dated=date.today() - timedelta(days=30),
        summary="Chronologies still missing.",
        actor=cast.coordinator,
    )
    client = client_for("contributor")
    client.post(
        reverse("selfevaluation:audit", args=[new.pk]),
        {"text": "Chronologies are still not up to date", "repeat_of": old.findings.get().pk},
    )
    register = client_for("viewer").get(reverse("selfevaluation:audits")).content.decode()
    assert "Recurring" in register and "Long-standing" in register
    assert "400 days" in register
    finding = old.findings.get()
    early = client.post(
        reverse("selfevaluation:finding_close", args=[finding.pk]),
        {"closed_on": "2000-01-01", "action_status": "New template in use"},
    )
    assert early.status_code == 400 and b"cannot close before it was raised" in early.content
    assert b'value="New template in use"' in early.content  # what was typed is kept
    client.post(
        reverse("selfevaluation:finding_close", args=[finding.pk]),
        {"closed_on": date.today().isoformat(), "action_status": "New template in use"},
    )
    finding.refresh_from_db()
    assert finding.status == "closed"


def test_workshop_contributions_merge_evaluation_and_into_the_plan(
    cast, framework, plan, client_for
) -> None:  # type: ignore[no-untyped-def]
    qi = QualityIndicator.objects.get(number="5.2")
    workshop = services.workshop_create(
        partnership=cast.a, title="Workshop 2", quality_indicators=[qi], actor=cast.coordinator
    )
    focus = workshop.foci.get()
    url = reverse("selfevaluation:focus", args=[focus.pk])
    page = client_for("contributor").get(url).content.decode()
    assert 'data-testid="prompts"' in page  # the framework beside the work
    assert "IRDs" in page
    for who, kind, text in (
        ("contributor", "strength", "IRDs are held quickly"),
        ("reader", "area", "Health are not always in IRDs"),
        ("action_owner", "area", "Health not always invited to IRDs"),
        ("contributor", "action", "Invite the named nurse to every IRD"),
    ):
        assert client_for(who).post(url, {"kind": kind, "text": text}).status_code == 302
    assert client_for("viewer").post(url, {"kind": "strength", "text": "x"}).status_code == 403
    areas = list(Contribution.objects.filter(kind="area"))
    client_for("coordinator").post(
        reverse("selfevaluation:focus_merge", args=[focus.pk]),
        {"merge": [a.pk for a in areas], "keep": areas[0].pk},
    )
    assert Contribution.objects.filter(kind="area", merged_into__isnull=True).count() == 1
    bad = client_for("coordinator").post(
        reverse("selfevaluation:focus_evaluate", args=[focus.pk]), {"level": "4"}
    )
    assert bad.status_code == 400 and b"Give the group" in bad.content
    client_for("coordinator").post(
        reverse("selfevaluation:focus_evaluate", args=[focus.pk]),
        {"level": "4", "reasons": "Strengths outweigh the areas for improvement."},
    )
    focus.refresh_from_db()
    assert focus.evaluation == 4
    proposal = Contribution.objects.get(kind="action")
    made = client_for("coordinator").post(
        reverse("selfevaluation:contribution_to_plan", args=[proposal.pk])
    )
    action = Action.objects.get()
    assert made["Location"] == reverse("improvement:action", args=[action.pk])
    assert list(action.quality_indicators.all()) == [qi]
    assert "Health are not always in IRDs" in action.areas
    page = client_for("coordinator").get(made["Location"]).content.decode()
    assert "a self-evaluation workshop" in page


def test_live_evidence_shows_current_numbers_and_is_frozen_at_sign_off(
    cast, survey, measure, statement, plan, client_for
) -> None:  # type: ignore[no-untyped-def]
    section = statement.sections.first()
    item = Item.objects.get(version=survey.version, name="confident_risk")
    client = client_for("contributor")
    added = client.post(
        reverse("selfevaluation:section_evidence", args=[section.pk]),
        {"target": f"survey_question:{survey.pk}:{item.pk}"},
    )
    assert added.status_code == 302
    client.post(
        reverse("selfevaluation:section_evidence", args=[section.pk]),
        {"target": f"measure:{measure.pk}"},
    )
    link, measure_link = EvidenceLink.objects.order_by("pk")
    wrong = client.post(
        reverse("selfevaluation:section", args=[section.pk]),
        {"now": "Good.", "how_know": "Staff say so [evidence 99999].", "next": ""},
    )
    assert wrong.status_code == 400 and b"is not evidence of this statement" in wrong.content
    saved = client.post(
        reverse("selfevaluation:section", args=[section.pk]),
        {
            "now": "Staff are confident in recognising risk.",
            "how_know": f"Our staff survey {link.token} and IRD timeliness {measure_link.token}.",
            "next": "Extend the daily huddle.",
        },
    )
    assert saved.status_code == 302
    page = (
        client_for("viewer")
        .get(reverse("selfevaluation:statement", args=[statement.pk]))
        .content.decode()
    )
    assert "75% (9 of 12) agree or strongly agree" in page
    assert "Figures as at" in page and "of 5000 words" in page
    # A version, signed off by the lead: then the numbers move on, but the version does not.
    client.post(
        reverse("selfevaluation:version_save", args=[statement.pk]), {"submission_key": "v1"}
    )
    version = statement.versions.get()
    assert (
        client.post(reverse("selfevaluation:version_sign_off", args=[version.pk])).status_code
        == 403
    )
    client_for("lead").post(reverse("selfevaluation:version_sign_off", args=[version.pk]))
    version.refresh_from_db()
    assert version.signed_off_at is not None
    # The survey has closed, so its numbers stay put (ADR 0008); the measure's move on.
    improvement.point_save(
        measure=measure,
        period=date(2026, 6, 1),
        numerator=Decimal(99),
        actor=cast.coordinator,
    )
    live = (
        client_for("viewer")
        .get(reverse("selfevaluation:statement", args=[statement.pk]))
        .content.decode()
    )
    frozen = (
        client_for("viewer")
        .get(reverse("selfevaluation:version", args=[version.pk]))
        .content.decode()
    )
    assert "99.0" in live and "99.0" not in frozen
    assert "75% (9 of 12)" in live
    # Frozen for sharing: 3 who did not agree is a small number, so a range is given.
    assert "more than 7 of 12 agree or strongly agree" in frozen and "9 of 16" not in frozen
    # Word and PDF of the signed-off version carry the evidence and its numbers.
    import docx
    from pypdf import PdfReader

    files = {}
    for fmt in ("docx", "pdf"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            made = client_for("viewer").post(
                reverse("selfevaluation:statement_export", args=[statement.pk, fmt]),
                {"version": version.pk},
            )
        report = made["Location"].rstrip("/").split("/")[-1]
        files[fmt] = client_for("viewer").get(reverse("reports:download", args=[report])).content
    word = docx.Document(io.BytesIO(files["docx"]))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Our staff survey [E1] and IRD timeliness [E2]." in text
    assert "more than 7 of 12 agree or strongly agree" in text and "signed off by" in text
    assert len(word.inline_shapes) == 1  # the measure's chart
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(files["pdf"])).pages
    )
    assert "more than 7 of 12" in pdf and "Evidence" in pdf


def test_versions_compare_word_count_and_the_limit(cast, statement, client_for) -> None:  # type: ignore[no-untyped-def]
    section = statement.sections.first()
    client = client_for("coordinator")
    services.section_save(
        section=section, now="We respond quickly.", how_know="", next="", actor=cast.coordinator
    )
    services.version_save(statement=statement, actor=cast.coordinator)
    services.section_save(
        section=section,
        now="We respond quickly and jointly.",
        how_know="",
        next="",
        actor=cast.coordinator,
    )
    services.version_save(statement=statement, actor=cast.coordinator)
    compared = client.get(
        reverse("selfevaluation:compare", args=[statement.pk]), {"a": 1, "b": 2}
    ).content.decode()
    assert compared.count('<p data-testid="diff">') == 1
    assert (
        '<p data-testid="diff">We respond <del class="hg-removed">quickly.</del>'
        '<ins class="hg-added">quickly and jointly.</ins></p>'
    ) in compared
    assert selectors.word_count("Staff feel safe [evidence 12] here.") == 4
    services.section_save(
        section=section, now="word " * 5001, how_know="", next="", actor=cast.coordinator
    )
    long = services.version_save(statement=statement, actor=cast.coordinator)
    page = client.get(reverse("selfevaluation:statement", args=[statement.pk])).content.decode()
    assert "over the limit" in page
    refused = client_for("lead").post(
        reverse("selfevaluation:version_sign_off", args=[long.pk]), follow=True
    )
    assert "bring it within 5,000" in refused.content.decode()


def test_next_step_becomes_a_draft_plan_action(cast, statement, plan, client_for) -> None:  # type: ignore[no-untyped-def]
    section = statement.sections.first()
    made = client_for("coordinator").post(
        reverse("selfevaluation:section_to_plan", args=[section.pk]),
        {"text": "Hold a multi-agency review of neglect cases by June"},
    )
    action = Action.objects.get()
    assert made["Location"] == reverse("improvement:action", args=[action.pk])
    assert action.title == "Hold a multi-agency review of neglect cases by June"
    assert f"Statement {section.inspection_statement.number}" in action.areas
    assert action.self_evaluation_sources.get().section == section


def test_statement_page_queries_do_not_grow_with_evidence(
    cast, survey, measure, statement, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # The page shows the evidence its text cites: 4 pieces, then 44, in the same queries.
    section = statement.sections.first()
    item = Item.objects.get(version=survey.version, name="confident_risk")

    def add(n: int) -> None:
        for _ in range(n):
            services.evidence_add(
                partnership=cast.a,
                kind="survey_question",
                section=section,
                actor=cast.coordinator,
                targets={"survey": survey, "item": item},
            )
            services.evidence_add(
                partnership=cast.a,
                kind="measure",
                section=section,
                actor=cast.coordinator,
                targets={"measure": measure},
            )
        cited = " ".join(link.token for link in section.evidence.order_by("pk"))
        services.section_save(
            section=section, now=f"We know {cited}.", how_know="", next="", actor=cast.coordinator
        )

    def shown(response: Any) -> tuple[int, int, int]:
        """How many survey and measure evidence entries the page lists, and how many
        different evidence markers it shows."""
        text = page_text(response)
        survey_entry = (
            "| Staff survey | I am confident in recognising when a child may be at risk of harm "
            "| 75% (9 of 12) agree or strongly agree | Staff survey, 12 responses."
        )
        measure_entry = (
            "| Process measure | IRDs within 24 hours | Latest Feb 2026: 21.0. Common cause "
            "variation: no sign that the process has changed. | 14 monthly points."
        )
        markers = set(re.findall(r"\[evidence \d+\]", text))
        return text.count(survey_entry), text.count(measure_entry), len(markers)

    client = client_for("viewer")
    add(2)
    url = reverse("selfevaluation:statement", args=[statement.pk])
    # The first look counts the survey's answers and keeps the counts (surveys.analysis).
    client.get(url)
    with django_assert_num_queries(22):
        few = client.get(url)
    assert few.status_code == 200
    assert shown(few) == (2, 2, 4)
    add(20)
    with django_assert_num_queries(22):
        many = client.get(url)
    assert many.status_code == 200
    assert shown(many) == (22, 22, 44)


def test_roles_that_cannot_open_the_survey_see_its_evidence_as_shared(
    cast, survey, statement, client_for
) -> None:  # type: ignore[no-untyped-def]
    section = statement.sections.first()
    item = Item.objects.get(version=survey.version, name="confident_risk")
    link = services.evidence_add(
        partnership=cast.a,
        kind="survey_question",
        section=section,
        actor=cast.coordinator,
        targets={"survey": survey, "item": item},
    )
    services.section_save(
        section=section,
        now="",
        how_know=f"Staff say so {link.token}.",
        next="",
        actor=cast.coordinator,
    )
    url = reverse("selfevaluation:statement", args=[statement.pk])
    assert "75% (9 of 12)" in client_for("coordinator").get(url).content.decode()
    contributor = client_for("contributor").get(url).content.decode()
    assert "more than 7 of 12" in contributor and "9 of 12" not in contributor


def test_a_programme_workshop_has_one_page(cast, framework) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from howgood.partnerships.models import Activity

    activity = Activity.objects.create(
        partnership=cast.a,
        title="Workshop 1",
        type="workshop",
        starts_on=date.today(),
        ends_on=date.today(),
    )
    qi = QualityIndicator.objects.get(number="2.1")
    services.workshop_create(
        partnership=cast.a,
        title="W",
        activity=activity,
        quality_indicators=[qi],
        actor=cast.coordinator,
    )
    with pytest.raises(ValidationError):
        services.workshop_create(
            partnership=cast.a,
            title="W2",
            activity=activity,
            quality_indicators=[qi],
            actor=cast.coordinator,
        )


@pytest.fixture
def contributions(cast, framework):  # type: ignore[no-untyped-def]
    """A workshop on 5.2 with one contribution of each kind, by kind."""
    qi = QualityIndicator.objects.get(number="5.2")
    workshop = services.workshop_create(
        partnership=cast.a, title="Workshop 3", quality_indicators=[qi], actor=cast.coordinator
    )
    focus = workshop.foci.get()
    return {
        kind: Contribution.objects.create(focus=focus, kind=kind, text=text, author=cast.reader)
        for kind, text in (
            ("strength", "IRDs are held quickly"),
            ("evidence", "The IRD log"),
            ("area", "Health are not always in IRDs"),
            ("action", "Invite the named nurse to every IRD"),
        )
    }


def test_the_service_makes_one_action_per_contribution(cast, plan, contributions) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    proposal = contributions["action"]
    first = services.action_from_contribution(
        contribution=proposal, plan=plan, actor=cast.coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.action_from_contribution(contribution=proposal, plan=plan, actor=cast.coordinator)
    assert refused.value.messages == [
        "“Invite the named nurse to every IRD” is already in the plan as a draft action."
    ]
    assert list(Action.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("strength", "a strength"),
        ("evidence", "a source of evidence"),
    ],
)
def test_the_service_refuses_to_turn_a_strength_or_evidence_into_an_action(
    cast, plan, contributions, kind, words
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.action_from_contribution(
            contribution=contributions[kind], plan=plan, actor=cast.coordinator
        )
    assert refused.value.messages == [
        f"Only areas for improvement and potential actions become plan actions, not {words}."
    ]
    assert Action.objects.count() == 0


def test_two_posts_of_add_to_the_plan_make_one_action(
    cast, plan, contributions, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    area = contributions["area"]
    url = reverse("selfevaluation:contribution_to_plan", args=[area.pk])
    first = client.post(url)
    action = Action.objects.get()
    assert first["Location"] == reverse("improvement:action", args=[action.pk])
    second = client.post(url, follow=True)
    assert second.redirect_chain[0][0] == reverse("selfevaluation:focus", args=[area.focus_id])
    assert (
        "“Health are not always in IRDs” is already in the plan as a draft action."
        in second.content.decode()
    )
    assert Action.objects.count() == 1


def test_a_strength_posted_to_the_plan_makes_no_action(
    cast, plan, contributions, client_for
) -> None:  # type: ignore[no-untyped-def]
    strength = contributions["strength"]
    response = client_for("coordinator").post(
        reverse("selfevaluation:contribution_to_plan", args=[strength.pk]), follow=True
    )
    assert response.redirect_chain[0][0] == reverse(
        "selfevaluation:focus", args=[strength.focus_id]
    )
    assert (
        "Only areas for improvement and potential actions become plan actions, not a strength."
        in response.content.decode()
    )
    assert Action.objects.count() == 0


def test_the_service_refuses_a_contribution_merged_into_another(cast, plan, contributions) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    kept, merged = contributions["area"], contributions["action"]
    merged.merged_into = kept
    merged.save()
    with pytest.raises(ValidationError) as refused:
        services.action_from_contribution(contribution=merged, plan=plan, actor=cast.coordinator)
    assert refused.value.messages == [
        "“Invite the named nurse to every IRD” was merged into “Health are not always in IRDs”: "
        "add that one to the plan instead."
    ]
    assert Action.objects.count() == 0
