"""Questionnaire pages through HTTP: upload, refusal with rows, publish, preview with skip logic."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from howgood.questionnaires import services
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import Questionnaire, QuestionnaireVersion
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


def upload(client, name: str, data: bytes, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("questionnaires:upload"),
        {
            "title": extra.get("title", ""),
            "kind": extra.get("kind", "staff_survey"),
            "files": SimpleUploadedFile(name, data),
            "submission_key": extra.get("key", "u1"),
        },
    )


def test_upload_preview_publish(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    response = upload(client, "pulse.xlsx", pulse_survey())
    version = QuestionnaireVersion.objects.get()
    assert response["Location"] == reverse("questionnaires:version", args=[version.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Staff pulse check (example)" in page and "QI 5.2" in page and "Draft" in page
    client.post(reverse("questionnaires:version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "published"
    assert (
        b"Publish</a>"
        not in client.get(reverse("questionnaires:version", args=[version.pk])).content
    )


def test_refused_file_lists_sheet_row_reason_and_saves_nothing(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    data = (REFERENCE / "xlsform" / "ona_tutorial.xlsx").read_bytes()
    response = upload(client, "ona_tutorial.xlsx", data, title="Kept title")
    body = response.content.decode()
    assert response.status_code == 400
    assert "The file could not be imported" in body and "geopoint" in body
    assert 'value="Kept title"' in body  # what the person typed is kept
    assert not Questionnaire.objects.exists()


def test_corrupt_workbook_gets_a_clear_message(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    data = (REFERENCE / "xlsform" / "wellbeing_biweekly_survey_CORRUPT_zip.xlsx").read_bytes()
    response = upload(client_for("coordinator"), "broken.xlsx", data)
    assert response.status_code == 400 and b"not a readable Excel workbook" in response.content


def test_wrong_file_type_is_refused_at_the_field(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for("coordinator"), "notes.docx", b"hello")
    assert response.status_code == 200 and b"must be an Excel workbook" in response.content


def test_double_upload_creates_one_questionnaire(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    upload(client, "p.xlsx", pulse_survey(), key="same")
    upload(client, "p.xlsx", pulse_survey(), key="same")
    assert Questionnaire.objects.count() == 1


def test_shared_questionnaire_cannot_be_changed_in_place(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = services.questionnaire_import(
        partnership=None, files={"p.xlsx": pulse_survey()}, actor=None
    )
    client = client_for("coordinator")
    assert (
        client.post(reverse("questionnaires:version_publish", args=[shared.pk])).status_code == 403
    )
    copy = client.post(
        reverse("questionnaires:version_derive", args=[shared.pk]), {"submission_key": "c"}
    )
    new = QuestionnaireVersion.objects.exclude(pk=shared.pk).get()
    assert copy["Location"] == reverse("questionnaires:version", args=[new.pk])
    assert new.questionnaire.partnership == cast.a


def _section_url(version: QuestionnaireVersion, index: int) -> str:
    return reverse("questionnaires:preview", args=[version.pk, index])


def test_preview_applies_skip_logic_and_validation_on_the_server(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    version = services.questionnaire_import(
        partnership=cast.a, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
    )
    client = client_for("coordinator")
    first = client.get(_section_url(version, 0) + "?restart=1").content.decode()
    assert 'data-hg-item="role_other"' in first and "Section 1 of 3" in first
    # Without JavaScript: choosing "Other" reveals the follow-up on the same page, with no error yet.
    reveal = client.post(
        _section_url(version, 0), {"role": "other", "years": "5", "_shown": "role years"}
    )
    body = reveal.content.decode()
    assert reveal.status_code == 400 and "We have added a question" in body and 'value="5"' in body
    missing = client.post(
        _section_url(version, 0), {"role": "other", "years": "5", "_shown": "role role_other years"}
    )
    assert b"Answer: What is your role" in missing.content
    too_big = client.post(
        _section_url(version, 0), {"role": "teacher", "years": "80", "_shown": "role years"}
    )
    assert too_big.status_code == 400
    # The form's own constraint message, as its author wrote it.
    assert b'<li><a href="#id_years">Enter a number from 0 to 50</a></li>' in too_big.content
    assert (
        b'<p class="ds_question__error-message" id="id_years-error">Enter a number from 0 to 50</p>'
    ) in too_big.content
    ok = client.post(
        _section_url(version, 0),
        {
            "role": "teacher",
            "years": "12",
            "role_other": "ignored",
            "_shown": "role role_other years",
        },
    )
    assert ok["Location"] == _section_url(version, 1)
    second = client.post(
        _section_url(version, 1),
        {
            "confident_risk": "agree",
            "ird_involved": "no",
            "_shown": "confident_risk ird_involved worked_with risk_comment",
        },
    )
    assert second["Location"] == _section_url(version, 2)
    # "Select all that apply" is a set of checkboxes (several answers), never radios.
    page = client.get(_section_url(version, 1)).content.decode()
    assert 'type="checkbox" name="worked_with"' in page
    assert 'type="radio" name="worked_with"' not in page
    several = client.post(
        _section_url(version, 1),
        {
            "confident_risk": "agree",
            "ird_involved": "no",
            "worked_with": ["sw", "health"],
            "_shown": "confident_risk ird_involved worked_with risk_comment",
        },
    )
    assert several["Location"] == _section_url(version, 2)
    client.post(
        _section_url(version, 2),
        {
            "supervision": "agree",
            "last_training": "2025-01-10",
            "_shown": "supervision last_training",
        },
    )
    check = client.get(reverse("questionnaires:preview_check", args=[version.pk])).content.decode()
    assert "Teacher or education staff" in check and "10 January 2025" in check
    assert "What is your role?" not in check  # skipped question is not listed
    assert "The IRDs I took part in" not in check
    done = client.post(reverse("questionnaires:preview_done", args=[version.pk]))
    assert b"Preview complete" in done.content


def test_preview_section_query_count_does_not_grow(
    cast, framework, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from howgood.questionnaires.examples import large_form

    small = services.questionnaire_import(
        partnership=cast.a, files={"s.xlsx": large_form(10, per_section=10)}, actor=cast.coordinator
    )
    big = services.questionnaire_import(
        partnership=cast.a,
        files={"b.xlsx": large_form(200, per_section=100)},
        actor=cast.coordinator,
    )
    client = client_for("coordinator")
    client.get(_section_url(small, 0))
    with django_assert_num_queries(14):
        small_page = client.get(_section_url(small, 0))
    assert small_page.status_code == 200
    text = page_text(small_page)
    assert "| Section 1 of 1 |" in text
    assert text.endswith("| Question 10 | Continue")
    with django_assert_num_queries(14):
        big_page = client.get(_section_url(big, 0))
    assert big_page.status_code == 200
    text = page_text(big_page)
    assert "| Section 1 of 2 |" in text
    assert "| Question 99 (optional) |" in text
    assert text.endswith("| Question 100 | Continue")


def test_questionnaire_pages_query_count_does_not_grow(
    cast, framework, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from howgood.questionnaires.examples import large_form

    def shown(url: str, queries: int) -> str:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        return page_text(response)

    small = services.questionnaire_import(
        partnership=cast.a, files={"s.xlsx": large_form(10)}, actor=cast.coordinator
    )
    client = client_for("coordinator")
    index = reverse("questionnaires:index")
    client.get(index)
    assert "| Generated form with 10 items | Other questionnaire | 1 | Draft |" in shown(index, 8)
    version = shown(reverse("questionnaires:version", args=[small.pk]), 12)
    assert "| Questions | 10 in 1 section |" in version
    assert version.endswith("| q9 | Question 10 | (required) | Date | ${q8} != ''")
    versions = shown(reverse("questionnaires:questionnaire", args=[small.questionnaire_id]), 9)
    assert versions.endswith("| Version 1 | Draft | 10 | s.xlsx | –")
    big = services.questionnaire_import(
        partnership=cast.a, files={"b.xlsx": large_form(300)}, actor=cast.coordinator
    )
    for _ in range(5):
        services.version_derive(version=big, actor=cast.coordinator)
    assert "| Generated form with 300 items | Other questionnaire | 6 | Draft |" in shown(index, 8)
    version = shown(reverse("questionnaires:version", args=[big.pk]), 12)
    assert "| Questions | 300 in 6 sections |" in version
    assert version.endswith("| q299 | Question 300 | Date | ${q298} != ''")
    versions = shown(reverse("questionnaires:questionnaire", args=[big.questionnaire_id]), 9)
    assert versions.count("| Draft | 300 | b.xlsx | –") == 6
    assert versions.endswith("| Version 6 | Draft | 300 | b.xlsx | –")
