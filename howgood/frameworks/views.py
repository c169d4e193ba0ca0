"""Framework pages: read-only reference data for anyone signed in, and the form where the
partnership lead (or an administrator) fills in an indicator's themes and illustrations
from their own copy (see access.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from howgood.core.pages import form_page, save_form
from howgood.frameworks import access, selectors, services
from howgood.frameworks.forms import IndicatorFillInForm
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
    content = selectors.indicator_content(qi, getattr(request, "partnership", None))
    return render(
        request,
        "frameworks/indicator.html",
        {
            "framework": qi.framework,
            "qi": qi,
            "content": content,
            "verification": selectors.indicator_verification(qi, content),
            "may_fill_in": access.may_fill_in(request, qi),
            "previous": previous,
            "next": following,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def fill_in(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    qi, partnership = access.get_indicator_to_fill_in(request, slug, number)
    back = reverse("frameworks:indicator", args=[qi.framework.slug, qi.number])
    form = IndicatorFillInForm(
        request.POST or None,
        initial=IndicatorFillInForm.initial_from(selectors.indicator_copy(qi, partnership)),
    )

    def save(data: dict[str, Any]) -> str:
        services.indicator_fill_in(
            quality_indicator=qi,
            partnership=partnership,
            themes=data["themes"],
            illustration_very_good=data["illustration_very_good"],
            illustration_weak=data["illustration_weak"],
            copied_from=data["copied_from"],
            actor=request.user,  # type: ignore[arg-type]
        )
        return back

    if partnership is not None:
        who = (
            f"Everyone in {partnership.name} will see them on the indicator's page, with your "
            "name and the copy you name below. Other partnerships will not."
        )
    else:
        who = (
            "Every partnership that has not filled in its own will see them on the "
            "indicator's page, with your name and the copy you name below."
        )
    return save_form(request, form, save, create=True) or form_page(
        request,
        form,
        title=f"Fill in QI {qi.number} from your copy of the framework",
        label=f"Quality indicator {qi.number}: {qi.title}",
        back=back,
        create=True,
        intro=(
            "Copy this indicator's themes and illustrations word for word from your own copy "
            f"of the published framework. {who} HowGood does not check them, so they are not "
            "marked as verified."
        ),
    )
