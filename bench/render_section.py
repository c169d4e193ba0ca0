"""Issue 2: render a 100-item section with skip logic: time per request and query count.

Baseline in the same run: the person's account page, a small page through the same
middleware, sign-in and templates, so the ratio is what the questionnaire adds.
"""

from __future__ import annotations

from _setup import django_ready, timed


def main() -> None:
    django_ready()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.accounts.models import User
    from howgood.partnerships.models import Membership, Partnership
    from howgood.questionnaires.examples import large_form
    from howgood.questionnaires.services import questionnaire_import

    setup_test_environment()
    partnership, _ = Partnership.objects.get_or_create(name="Bench partnership", slug="bench")
    user = User.objects.filter(email="bench@example.invalid").first() or User.objects.create_user(
        email="bench@example.invalid", password="bench-password-long", full_name="Bench"
    )
    Membership.objects.get_or_create(
        user=user, partnership=partnership, defaults={"role": "scrutiny"}
    )
    version = questionnaire_import(
        partnership=partnership,
        files={"s.xlsx": large_form(100, per_section=100, skip_every=3)},
        actor=None,
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    section = reverse("questionnaires:preview", args=[version.pk, 0])
    account = reverse("accounts:account")
    relevant = version.items.exclude(relevant="").count()

    def get_section() -> None:
        assert client.get(section).status_code == 200

    def get_account() -> None:
        assert client.get(account).status_code == 200

    ours, runs = timed(get_section, repeat=20)
    base, _ = timed(get_account, repeat=20)
    with CaptureQueriesContext(connection) as queries:
        get_section()
    print(f"Render a 100-item section ({relevant} items with skip logic), median of 20 requests")
    print(f"  section page      : {ours * 1000:.1f} ms per request, {len(queries)} queries")
    print(f"  baseline (account): {base * 1000:.1f} ms per request")
    print(f"  ratio             : {ours / base:.1f}x the baseline")


if __name__ == "__main__":
    main()
