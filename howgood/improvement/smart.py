"""The SMART check and the RAG status of an action: rules people can read on the page.

Both work on plain values so the plan page, the reminders and the governance report
judge every action the same way, and both explain themselves in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: Words that say a direction of travel, not what will be done. An action that leans on
#: one of them needs a number or a clear deliverable to be specific.
VAGUE_WORDS = (
    "improve",
    "improving",
    "enhance",
    "strengthen",
    "better",
    "raise awareness",
    "consider",
    "explore",
    "look at",
    "look into",
    "review",
    "continue to",
    "develop",
    "promote",
    "support",
    "ensure",
    "work towards",
)
MIN_WORDS = 6  # title and description together

#: An action with no progress recorded for this long is stale.
STALE_AFTER = timedelta(days=42)
#: Amber when due within this time and less than AMBER_PROGRESS per cent done.
DUE_SOON = timedelta(days=28)
AMBER_PROGRESS = 75
#: Amber when progress lags the time elapsed by more than this many percentage points.
BEHIND_BY = 25

RAG_RULE = (
    "Red: past its due date and not complete. "
    f"Amber: due within {DUE_SOON.days} days and less than {AMBER_PROGRESS}% done, "
    f"or its progress is more than {BEHIND_BY} points behind the share of its time used, "
    f"or nothing has been recorded for {STALE_AFTER.days // 7} weeks. "
    "Green: on track, or complete. Not yet agreed actions have no RAG status."
)


@dataclass(frozen=True)
class Gap:
    letter: str  # S, M, A, R or T
    text: str


def vague_words(text: str) -> list[str]:
    lowered = f" {text.lower()} "
    return [w for w in VAGUE_WORDS if re.search(rf"\b{re.escape(w)}\b", lowered)]


def smart_gaps(
    *,
    title: str,
    description: str,
    has_owner: bool,
    due_on: date | None,
    has_measure: bool,
    relevant_to: int,
) -> list[Gap]:
    """What an action lacks before it can be agreed, in SMART order; [] when nothing.

    - Specific: at least six words, and a vague word ("improve", "review", …) only with a
      number or a deliverable that says what will be done (a number, a date or "by").
    - Measurable: a linked measure that will show whether it worked.
    - Achievable: an owner who will make it happen.
    - Relevant: at least one quality indicator or area for improvement it addresses.
    - Time-bound: a due date.
    """
    gaps: list[Gap] = []
    text = f"{title} {description}".strip()
    words = len(text.split())
    vague = vague_words(text)
    concrete = bool(re.search(r"\d", text)) or bool(re.search(r"\bby\b", text.lower()))
    if vague and not concrete:
        gaps.append(
            Gap(
                "S",
                f"Wording too vague to be specific: “{vague[0]}” gives a direction, not what "
                "will be done. Name the change, how many or how much, and for whom.",
            )
        )
    elif words < MIN_WORDS:
        gaps.append(
            Gap("S", "Not specific: say what will be done, by whom and for whom, in a sentence.")
        )
    if not has_measure:
        gaps.append(Gap("M", "Not measurable: link the measure that will show whether it worked."))
    if not has_owner:
        gaps.append(Gap("A", "No owner: name the person who will make it happen."))
    if relevant_to == 0:
        gaps.append(
            Gap(
                "R",
                "Not linked to anything it is relevant to: choose the quality indicators or "
                "areas for improvement it addresses.",
            )
        )
    if due_on is None:
        gaps.append(Gap("T", "No due date: say when it will be done."))
    return gaps


@dataclass(frozen=True)
class Rag:
    colour: str  # "red", "amber", "green", "complete" or "" (not agreed)
    label: str
    reason: str


def rag_status(
    *,
    agreed: bool,
    complete: bool,
    starts_on: date | None,
    due_on: date | None,
    progress: int,
    last_progress_on: date | None,
    today: date,
) -> Rag:
    """The action's RAG status by :data:`RAG_RULE`, with the reason in words."""
    if not agreed:
        return Rag("", "Not agreed", "The action is not agreed yet.")
    if complete:
        return Rag("complete", "Complete", "The action is complete.")
    if due_on is not None and today > due_on:
        days = (today - due_on).days
        return Rag("red", "Red", f"Overdue by {days} day{'s' if days != 1 else ''}.")
    if due_on is not None and due_on - today <= DUE_SOON and progress < AMBER_PROGRESS:
        return Rag(
            "amber",
            "Amber",
            f"Due on {due_on:%-d %B %Y} and {progress}% done.",
        )
    if due_on is not None and starts_on is not None and due_on > starts_on:
        used = 100 * (today - starts_on).days / (due_on - starts_on).days
        if used - progress > BEHIND_BY:
            return Rag(
                "amber",
                "Amber",
                f"{progress}% done with {min(100, round(used))}% of its time used.",
            )
    if is_stale(last_progress_on, starts_on, today):
        return Rag("amber", "Amber", f"Nothing recorded for over {STALE_AFTER.days // 7} weeks.")
    return Rag("green", "Green", "On track.")


def is_stale(last_progress_on: date | None, starts_on: date | None, today: date) -> bool:
    since = last_progress_on or starts_on
    return since is not None and today - since > STALE_AFTER
