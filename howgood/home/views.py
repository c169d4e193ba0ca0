"""Home is the person's own work, by role: what is waiting for them first. Each domain app adds
its panel here."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from howgood.governance.dashboard import dashboard
from howgood.improvement import selectors as improvement
from howgood.partnerships import access, selectors
from howgood.partnerships.roles import can
from howgood.records.selectors import my_assignments, open_concerns


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        return render(request, "home/no_partnership.html")
    access.current(request, "partnership.view")
    partnership = membership.partnership
    today = timezone.localdate()
    activities = list(selectors.activities_for(partnership))
    context = {
        "membership": membership,
        "in_progress": [a for a in activities if a.status == "in_progress" and not a.is_late],
        "late": [a for a in activities if a.is_late],
        "upcoming": [
            a
            for a in activities
            if a.status == "planned" and today <= a.starts_on <= today + timedelta(days=42)
        ],
        "is_manager": can(membership.role, "programme.manage"),
        "trained": membership.training_records.order_by("-trained_on").first(),
    }
    if can(membership.role, "concerns.manage"):
        context["open_concerns"] = list(open_concerns(partnership))
    if can(membership.role, "records.read"):
        rows = my_assignments(membership)
        context["readings_todo"] = [
            r for r in rows if not r["reading"] or r["reading"].status != "submitted"
        ]
        context["moderations_todo"] = [r for r in rows if r["moderation_ready"]]
        context["has_assignments"] = bool(rows)
    if can(membership.role, "improvement.view"):
        context["my_actions"] = improvement.actions_owned_by(membership)
        if can(membership.role, "improvement.oversee") and not can(
            membership.role, "home.dashboard"
        ):  # the dashboard shows these to those whose home it is
            plan = improvement.current_plan(partnership)
            if plan is not None:
                context["plan"] = plan
                context["plan_overdue"] = [
                    r for r in improvement.plan_rows(plan, today) if r.rag.colour == "red"
                ]
            # Any chart that lists a signal, said in its own headline (not only charts
            # whose latest point is special cause: that would hide earlier signals).
            context["signalling"] = [
                row
                for row in improvement.measure_rows(partnership)
                if row.chart.signal_count and not row.chart.error
            ]
    if can(membership.role, "home.dashboard"):
        context["d"] = dashboard(partnership, membership.role, on=today)
    if context["is_manager"]:
        context["invitations"] = selectors.open_invitations(partnership).count()
        context["agencies_without_headcount"] = [
            a.name for a in selectors.agencies_of(partnership) if a.headcount is None
        ]
    return render(request, "home/home.html", context)
