"""Issue 15, the report pack: the demo's pack for the next meeting, built as the background
task builds it (the dashboard frozen into a pack, then its Word and its PDF made by their
builders), cold (nothing kept: every chart drawn) and warm.

Baseline, measured in the same run: the improvement plan's own report to the strategic group
(Word and PDF), the document a strategic group was sent before the pack existed.

Aim (issue 15): the demo's report pack built in under 10 s.
"""

from __future__ import annotations

import io
import os
import time
from types import SimpleNamespace

os.environ.setdefault("HOWGOOD_DEMO", "1")

from _setup import django_ready, goal

AIM_S = 10.0


def seconds(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    django_ready()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", verbosity=0, stdout=io.StringIO())
    from howgood.governance import services
    from howgood.governance.models import Group
    from howgood.improvement.models import Plan
    from howgood.partnerships.models import Partnership
    from howgood.reports.registry import builder

    partnership = Partnership.objects.get(slug="forthvale-demo")
    group = Group.objects.get(partnership=partnership, kind="child_protection_committee")
    coordinator = partnership.memberships.get(role="coordinator").user
    plan = Plan.objects.filter(partnership=partnership).order_by("pk").first()

    def pack() -> None:
        made = services.pack_create(partnership=partnership, group=group, actor=coordinator)
        for fmt in ("docx", "pdf"):
            report = SimpleNamespace(target_id=made.pk, partnership_id=partnership.pk, params={})
            builder(f"governance.pack.{fmt}").build(report)

    def plan_report() -> None:
        for fmt in ("docx", "pdf"):
            report = SimpleNamespace(target_id=plan.pk, partnership_id=partnership.pk, params={})
            builder(f"improvement.plan.{fmt}").build(report)

    cache.clear()
    cold = seconds(pack)
    warm = min(seconds(pack) for _ in range(3))
    cache.clear()
    baseline_cold = seconds(plan_report)
    baseline_warm = min(seconds(plan_report) for _ in range(3))
    print(f"Report pack (dashboard frozen, Word and PDF): cold {cold:.2f} s, warm {warm:.2f} s")
    print(
        f"Baseline, the plan's report to the strategic group (Word and PDF): cold "
        f"{baseline_cold:.2f} s, warm {baseline_warm:.2f} s"
    )
    goal(
        "Report pack for the demo, built in the background",
        f"{cold:.2f} s cold, {warm:.2f} s warm",
        f"{baseline_cold:.2f} s cold, {baseline_warm:.2f} s warm (plan report)",
        f"under {AIM_S:.0f} s",
        cold < AIM_S,
    )


if __name__ == "__main__":
    main()
