"""One create per form submission, however many times the button is pressed.

Usage in a view that creates something::

    form = ActivityForm(request.POST or None, initial={...})
    if form.is_valid():
        with once(request) as done:
            if done.already:
                return redirect(done.result_url)
            activity = activity_create(...)
            done.result_url = activity_url
        return redirect(done.result_url)

and ``{% submission_key %}`` inside the <form>. The key lives in the form as a hidden
field, not in the session, so two tabs each get their own.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from howgood.core.models import SubmissionKey

FIELD = "submission_key"


def new_key() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Outcome:
    already: bool
    result_url: str = ""


@contextmanager
def once(request: HttpRequest) -> Iterator[Outcome]:
    key = (request.POST.get(FIELD) or "")[:64]
    if not key:
        # No key (e.g. an old cached form): behave normally rather than refuse.
        outcome = Outcome(already=False)
        with transaction.atomic():
            yield outcome
        return
    outcome = Outcome(already=False)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint, so a duplicate key leaves us usable
                record = SubmissionKey.objects.create(
                    key=key, user=request.user if request.user.is_authenticated else None
                )
        except IntegrityError:
            # Submitted before (or a concurrent twin has just committed): go where it went.
            existing = SubmissionKey.objects.get(key=key)
            yield Outcome(already=True, result_url=existing.result_url)
            return
        yield outcome
        record.result_url = outcome.result_url
        record.save(update_fields=["result_url"])
