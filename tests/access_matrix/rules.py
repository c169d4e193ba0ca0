"""Shared vocabulary for the access matrix: who is asking, and what each kind of URL expects."""

from __future__ import annotations

MEMBER_ROLES = [
    "lead",
    "coordinator",
    "reader",
    "moderator",
    "contributor",
    "action_owner",
    "viewer",
    "scrutiny",
]
# A second record reader of partnership A, in a pair of their own: another pair's records
# and readings are not theirs. By role they are a reader: `expect` gives them what the role
# "reader" gets, and expectations about one pair's records say otherwise.
OTHER_READER = "other_reader"
WHO = ["anonymous", *MEMBER_ROLES, OTHER_READER, "outsider"]
MANAGERS = {"lead", "coordinator"}

SIGN_IN = 302  # anonymous people are sent to sign in


def expect(
    allowed: set[str] | str,
    *,
    ok: int = 200,
    denied: int = 403,
    outsider: int = 404,
    anonymous: int = SIGN_IN,
) -> dict[str, int]:
    """Expected status per person: members with an allowed role get ``ok``; other members
    ``denied``; the outsider from partnership B ``outsider``; anonymous people ``anonymous``.
    ``allowed="all"`` means every member role.
    """
    roles = set(MEMBER_ROLES) if allowed == "all" else set(allowed)
    result = {"anonymous": anonymous, "outsider": outsider}
    for role in MEMBER_ROLES:
        result[role] = ok if role in roles else denied
    result[OTHER_READER] = result["reader"]
    return result


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(WHO, status)


def signed_in(status: int = 200, anonymous: int = SIGN_IN) -> dict[str, int]:
    result = dict.fromkeys(WHO, status)
    result["anonymous"] = anonymous
    return result
