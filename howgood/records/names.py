"""A cautious check for names in free text. Readers must not record children's, family
members' or staff names; this catches the common slips so the page can warn (not block).

It flags honorifics followed by a capitalised word ("Mrs Smith"), and two or more
capitalised words in a row that are not at the start of a sentence and not known terms
of the field ("Police Scotland", "Children's Reporter", month and day names).
"""

from __future__ import annotations

import re

KNOWN = {
    "police",
    "scotland",
    "children's",
    "childrens",
    "reporter",
    "care",
    "inspectorate",
    "social",
    "work",
    "nhs",
    "health",
    "visitor",
    "education",
    "scottish",
    "government",
    "national",
    "guidance",
    "child",
    "protection",
    "committee",
    "register",
    "ird",
    "cppm",
    "jii",
    "scra",
    "girfec",
    "shanarri",
    "my",
    "world",
    "triangle",
    "risk",
    "framework",
    "resilience",
    "matrix",
    "council",
    "services",
    "service",
    "team",
    "unit",
    "school",
    "primary",
    "secondary",
    "academy",
    "high",
    "hospital",
    "board",
    "partnership",
    "lead",
    "professional",
    "core",
    "group",
    "plan",
    "planning",
    "meeting",
    "review",
    "named",
    "person",
    "officer",
    "worker",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "the",
    "a",
    "an",
    "i",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "from",
    "by",
    "no",
    "yes",
    "mash",
    "camhs",
    "vyp",
    "carm",
    "cso",
    "cpo",
    "hmics",
    "his",
    "qi",
    "ae",
    "a&e",
    "gp",
    "sw",
    "pc",
    "ds",
    "di",
}
HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'-]+")
CAPITALISED = re.compile(r"\b[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)+")


def possible_names(text: str) -> list[str]:
    """Phrases in ``text`` that look like a person's name (may be wrong; used to warn)."""
    found: list[str] = [m.group(0) for m in HONORIFIC.finditer(text)]
    for match in CAPITALISED.finditer(text):
        words = match.group(0).split()
        start = match.start()
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?:\n":
            words = words[1:]  # the first word starts a sentence
        run: list[str] = []
        for word in [*words, ""]:
            if word and word.lower() not in KNOWN:
                run.append(word)
                continue
            if len(run) >= 2:
                found.append(" ".join(run))
            run = []
    unique: list[str] = []
    for phrase in found:
        if phrase not in unique:
            unique.append(phrase)
    return unique
