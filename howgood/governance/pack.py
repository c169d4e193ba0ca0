"""The report pack's contents: the strategic dashboard as at a date, frozen as plain data.

A pack is circulated to a meeting, so it is shared outside the people who may see every
number: counts below the partnership's threshold are withheld ("fewer than 5"), in the
threshold figures and the matters of concern alike. Each measure keeps the data its chart
is drawn from (``improvement.charts.drawing``) and the table under it, so the documents can
be made again, the same, from the snapshot alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from howgood.governance.dashboard import dashboard
from howgood.governance.models import Group
from howgood.improvement.charts import drawing
from howgood.improvement.models import Measure
from howgood.improvement.selectors import measure_charts
from howgood.improvement.templatetags.improvement_tags import assurance_label, variation_label
from howgood.partnerships.models import Partnership

VIEWER = "viewer"  # the pack is read as the strategic group reads the dashboard


def _count(n: int, threshold: int) -> str:
    return f"fewer than {threshold}" if 0 < n < threshold else f"{n:,}"


def _date(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def snapshot(
    partnership: Partnership, *, on: date, group: Group | None, meeting_on: date | None
) -> dict[str, Any]:
    d = dashboard(partnership, VIEWER, on=on, group=group, outside=True)
    limit = partnership.suppression_threshold
    measures = []
    for row in measure_charts(Measure.objects.filter(partnership=partnership).order_by("title")):
        chart = row.chart
        measures.append(
            {
                "title": row.measure.title,
                "summary": chart.error or chart.summary,
                "variation": variation_label(chart.variation) if chart.variation else "",
                "assurance": assurance_label(chart.assurance) if chart.assurance else "",
                "signals": list(chart.signals),
                "drawing": drawing(row.measure, chart)
                if chart.points and not chart.error
                else None,
            }
        )
    return {
        "partnership": partnership.name,
        "as_at": _date(on),
        "group": group.name if group else "",
        "meeting_on": _date(meeting_on),
        "threshold": limit,
        "plan": {
            "title": d.plan.title,
            "rag": [[label, n] for _, label, n in d.rag],
            "not_agreed": d.not_agreed,
            "agreed_this_quarter": d.agreed_this_quarter,
            "overdue": [
                [
                    r.action.title,
                    r.action.owner.user.full_name if r.action.owner else "Not yet named",
                    _date(r.action.due_on),
                    r.rag.reason,
                ]
                for r in d.overdue
            ],
        }
        if d.plan
        else None,
        "measures": measures,
        "concerns": _count(d.concerns, limit),
        "threshold_figures": (
            [
                ["Period", d.threshold.period],
                ["Concerns", d.threshold.concerns],
                ["Re-classified to wellbeing", d.threshold.wellbeing_share],
                [
                    f"Initial planning meetings within {d.threshold.cppm_days} days",
                    d.threshold.in_time_share,
                ],
                ["Registrations", d.threshold.registrations],
                ["Children on the register at the end", d.threshold.on_register],
            ]
            if d.threshold
            else []
        ),
        "surveys": [
            [
                r["survey"].title,
                r["responses_words"],
                f"closed {_date(r['survey'].closed_early_on or r['survey'].closes_on)}"
                if r["closed"]
                else f"open until {_date(r['survey'].closes_on)}",
            ]
            for r in d.surveys
        ],
        "readings": [
            [
                r["exercise"].title,
                r["records_read"],
                _date(r["last_read"]),
                r["strengths"],
                r["areas"],
            ]
            for r in d.readings
        ],
        "programme": {
            "activities": d.activities,
            "done": d.done,
            "in_progress": d.in_progress,
            "late": [[a.title, _date(a.ends_on)] for a in d.late],
        },
        "terms_due": [[g.name, _date(g.terms_review_on)] for g in d.terms_due],
        "since": {
            "group": d.since.group.name,
            "held_on": _date(d.since.held_on),
            "changes": [[words, n] for words, n in d.changes],
        }
        if d.since
        else None,
    }
