"""Framework pages: read-only reference data for anyone signed in (see access.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from howgood.frameworks import access, selectors
from howgood.stats.proportions import phrase


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "frameworks/index.html", {"frameworks": list(selectors.frameworks_list())}
    )


@login_required
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = access.get_framework_for(request.user, slug)
    contents = selectors.framework_contents(framework)
    try:
        example = (
            phrase(18, 31, "records", [b.as_band() for b in contents.bands])
            if contents.bands
            else ""
        )
    except ValueError:  # a band table edited by hand so it leaves a gap: show no example
        example = ""
    return render(
        request,
        "frameworks/detail.html",
        {"framework": framework, "contents": contents, "example": example},
    )


@login_required
@require_safe
def indicator(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    qi = access.get_indicator_for(request.user, slug, number)
    previous, following = selectors.neighbours(qi)
    return render(
        request,
        "frameworks/indicator.html",
        {
            "framework": qi.framework,
            "qi": qi,
            "verification": selectors.indicator_verification(qi),
            "previous": previous,
            "next": following,
        },
    )
