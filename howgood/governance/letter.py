"""The text of documents drafted from HowGood's figures. The programme letter's, drafted from the programme's figures in the shape of the
letter the scrutiny bodies wrote to a partnership in 2021: background, what we did, key
observations under the letter's headings, impact, capacity for change, next steps.

Each section is plain text (paragraphs separated by a blank line, a line starting "- " a
bullet), written in the partnership's voice ("we"), to be changed by people before it goes
anywhere: HowGood drafts what the data says and leaves the judgement to the partnership.
"""

from __future__ import annotations

from howgood.governance.figures import AnnualFigures, ProgrammeFigures

MOST = 6  # at most this many strengths, areas or actions listed in the letter's text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _listed(items: list[str], none: str) -> str:
    if not items:
        return none
    shown = [f"- {item}" for item in items[:MOST]]
    if len(items) > MOST:
        shown.append(f"- and {len(items) - MOST} more (see the self-evaluation pages)")
    return "\n".join(shown)


def _what_we_did(f: ProgrammeFigures, partnership: str) -> str:
    staff, children, carers = f["staff_responses"], f["children_responses"], f["carers_responses"]
    parts = [
        f"{partnership} undertook a focused programme of joint self-evaluation and improvement "
        "of its services for children and young people at risk of harm."
    ]
    if staff:
        agencies = ", ".join(f"{name} {n}" for name, n in f.staff_by_agency)
        parts.append(
            f"We surveyed staff across the partnership's services and received "
            f"{_count(staff, 'completed response')}"
            + (f" (by agency: {agencies})." if agencies else ".")
        )
    if children or carers:
        parts.append(
            "We asked children, young people and their carers for their views: "
            f"{_count(children, 'child or young person', 'children and young people')} and "
            f"{_count(carers, 'parent or carer', 'parents and carers')} completed the surveys."
        )
    if f["records_read"]:
        parts.append(
            f"Working in pairs, {_count(f['local_readers'], 'local practitioner')} from partner "
            f"agencies read {_count(f['records_read'], 'record')} of children and young people "
            "at risk of harm, using the Care Inspectorate's approach to reviewing children's "
            "records"
            + (
                f", with {_count(f['moderators'], 'moderator')} checking their readings."
                if f["moderators"]
                else "."
            )
        )
    if f["workshops"]:
        people = f["workshop_people"]
        counted = f["workshop_counted"]
        sentence = f"We held {_count(f['workshops'], 'workshop')}"
        if people:
            sentence += f", in which {_count(people, 'member of staff', 'staff')} took part"
            if counted:
                sentence += f" (and a further {counted:,} attendances counted by agency)"
        elif counted:
            sentence += f", with {counted:,} attendances counted by agency"
        parts.append(
            sentence + ", working with the quality framework for children and young people in "
            "need of care and protection and with improvement science."
        )
    return "\n\n".join(parts)


def programme_letter(f: ProgrammeFigures, partnership: str) -> list[dict[str, str]]:
    """The letter's sections, in order, as {key, heading, text}."""
    qis = f.quality_indicators
    trained = f["trained"]
    sections = [
        (
            "background",
            "Background",
            f"This letter sets out the programme of self-evaluation and improvement that "
            f"{partnership} carried out, what we found and what we will do next. The figures in "
            f"it were read from HowGood on {f.on:%-d %B %Y}; the appendix lists each one and "
            "where it came from.",
        ),
        ("what_we_did", "What we did", _what_we_did(f, partnership)),
        (
            "self_evaluation",
            "Self-evaluation and quality assurance",
            (
                f"In the workshops we self-evaluated {_count(len(qis), 'quality indicator')} of "
                f"the framework ({'; '.join(qis)}) and identified "
                f"{_count(f['strengths'], 'strength')} and "
                f"{_count(f['areas'], 'area')} for improvement."
                if qis
                else f"We identified {_count(f['strengths'], 'strength')} and "
                f"{_count(f['areas'], 'area')} for improvement."
            )
            + "\n\nStrengths we identified include:\n"
            + _listed(f.strengths, "- none recorded yet")
            + "\n\nAreas for improvement we identified include:\n"
            + _listed(f.areas, "- none recorded yet"),
        ),
        (
            "leadership",
            "Strategic collaborative leadership and governance",
            "[Say how the strategic group oversees the programme: its terms of reference, "
            "membership and how it receives reports.]",
        ),
        (
            "engagement",
            "Engagement with stakeholders",
            "The surveys gave us the views of "
            + (
                f"{_count(f['staff_responses'], 'member of staff', 'staff')}, "
                f"{_count(f['children_responses'], 'child or young person', 'children and young people')} "
                f"and {_count(f['carers_responses'], 'parent or carer', 'parents and carers')}."
            )
            + " [Say what they told us and how we will use it.]",
        ),
        (
            "improving_practice",
            "Improving practice",
            (
                f"Our reading of {_count(f['records_read'], 'record')} showed us where practice "
                "is strong and where it must improve. [Say what the record reading found.]"
            )
            if f["records_read"]
            else "[Say what the review of practice found.]",
        ),
        (
            "impact",
            "Impact of supported self-evaluation and improvement",
            (
                "Across the partnership, "
                f"{_count(f['workshop_people'], 'member of staff', 'staff')} took part in the "
                "workshops. "
                if f["workshop_people"]
                else ""
            )
            + f"In all, {_count(trained, 'member of staff is', 'staff are')} now trained in the "
            "Care Inspectorate's approach to reviewing children's records"
            + (
                f" (and {_count(f['trained_moderation'], 'person', 'people')} to moderate)"
                if f["trained_moderation"]
                else ""
            )
            + ", which gives us the capacity to carry out our own audits.",
        ),
        (
            "capacity",
            "Capacity for change and improvement",
            "[Say what helps and what limits our capacity to sustain the improvement.]",
        ),
        (
            "next_steps",
            "Next steps",
            (
                f"Our improvement plan has {_count(f['actions'], 'action')}, each with an owner "
                "and a date, including:\n"
                + _listed(
                    [f"{a['title']} ({a['owner']}; {a['due']})" for a in f.actions],
                    "",
                )
            )
            if f.actions
            else "We will agree an improvement plan with owners and dates for each action.",
        ),
    ]
    return [{"key": k, "heading": h, "text": t} for k, h, t in sections]


def annual_report(a: AnnualFigures, partnership: str) -> list[dict[str, str]]:
    """The child protection committee's annual report, in the committee's four functions
    (continuous improvement; public information, engagement and participation; strategic
    planning and connections; annual reporting), as {key, heading, text}."""
    f, t = a.programme, a.threshold
    name = a.committee.name if a.committee else "The child protection committee"
    members = "; ".join(f"{agency} {n}" for agency, n in a.members_by_agency)
    committee = (
        f"{name} has {_count(sum(n for _, n in a.members_by_agency), 'member')} "
        f"({members or 'none recorded'}) and met {_count(a.meetings, 'time')} in the year."
        + (f" Its subgroups are: {', '.join(a.subgroups)}." if a.subgroups else "")
        if a.committee
        else "[Say who sits on the committee and how often it met.]"
    )
    figures = (
        f"From {t.period}, there were {t.concerns} child protection concerns, of which "
        f"{t.wellbeing_share} were re-classified to wellbeing. Of the initial child protection "
        f"planning meetings, {t.in_time_share} were held within {t.cppm_days} days. There were "
        f"{t.registrations} registrations ({t.reregistrations} re-registrations within "
        f"{t.reregistration_months} months) and {t.deregistrations} de-registrations; "
        f"{t.on_register} children were on the register at the end of the year."
        + (
            f"\n\nThe rate of children on the register was {t.rate}, against "
            f"{t.scotland_rate} for Scotland."
            if t.rate and t.scotland_rate
            else ""
        )
        + "\n\n[Say what the figures tell the committee, and what it asked about them.]"
        if t is not None
        else "[There is no child protection data in HowGood yet: add it in the Data section.]"
    )
    improvement = (
        f"We read {_count(f['records_read'], 'record')} with "
        f"{_count(f['local_readers'], 'local practitioner')} and self-evaluated "
        f"{_count(f['quality_indicators'], 'quality indicator')} in "
        f"{_count(f['workshops'], 'workshop')}. We identified "
        f"{_count(f['strengths'], 'strength')} and {_count(f['areas'], 'area')} for improvement."
        + (
            "\n\nThe improvement plan's actions stand at "
            + ", ".join(f"{label} {n}" for label, n in a.rag)
            + "."
            if a.rag
            else ""
        )
    )
    return [
        {
            "key": "introduction",
            "heading": "Introduction from the chair",
            "text": f"This is the annual report of {name} for {partnership}. The figures in it "
            f"were read from HowGood on {f.on:%-d %B %Y}; counts under the partnership's "
            "threshold are withheld, as the report is published. [Add the chair's "
            "introduction.]",
        },
        {"key": "committee", "heading": "The committee and how it works", "text": committee},
        {"key": "figures", "heading": "Child protection in figures", "text": figures},
        {"key": "improvement", "heading": "Continuous improvement", "text": improvement},
        {
            "key": "learning",
            "heading": "Learning and development",
            "text": f"In all, {_count(f['trained'], 'member of staff is', 'staff are')} trained "
            "in the Care Inspectorate's approach to reviewing children's records"
            + (
                f", and {_count(f['workshop_people'], 'member of staff', 'staff')} took part in "
                "self-evaluation workshops."
                if f["workshop_people"]
                else "."
            ),
        },
        {
            "key": "engagement",
            "heading": "Public information, engagement and participation",
            "text": "In our surveys, "
            f"{_count(f['children_responses'], 'child or young person', 'children and young people')}, "
            f"{_count(f['carers_responses'], 'parent or carer', 'parents and carers')} and "
            f"{_count(f['staff_responses'], 'member of staff', 'staff')} "
            "told us their views. [Say what they told us and what changed as a result.]",
        },
        {
            "key": "planning",
            "heading": "Strategic planning and connections",
            "text": "[Say how the committee's work connects with the children's services plan, "
            "the chief officers group and the other public protection committees.]",
        },
        {
            "key": "priorities",
            "heading": "Priorities for the year ahead",
            "text": (
                "Our improvement plan's priorities are:\n" + _listed(a.priorities, "")
                if a.priorities
                else "[Say what the committee will focus on next year.]"
            ),
        },
    ]
