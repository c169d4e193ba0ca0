"""What the demo's builders share: the build in progress and the invented accounts' domain.

The demo app (``howgood.demo``, installed only in demo mode and in the tests) finds a
``demo.py`` in each installed app and calls its ``load(build)`` in the order the apps are
installed (partnerships first, self-evaluation last), then, when the demo is loaded again,
each ``clear(partnerships)`` in the reverse order. Each app builds its own part of the demo
through its own services; the :class:`DemoBuild` carries what a later part needs from an
earlier one (the partnership, its people, its programme's activities, what each part made).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

DOMAIN = "demo.howgood.invalid"  # every invented account's address ends with this


@dataclass
class DemoBuild:
    rng: random.Random
    partnership: Any = None  # the demo partnership (Forthvale)
    other: Any = None  # a second demo partnership (Lochside), to show the switcher
    people: dict[str, Any] = field(default_factory=dict)  # role -> the demo account's Membership
    readers: list[Any] = field(default_factory=list)  # every local record reader's Membership
    activities: dict[str, Any] = field(default_factory=dict)  # programme activities by title
    made: dict[str, Any] = field(default_factory=dict)  # what each app's part made, by name

    def email(self, local: str) -> str:
        return f"{local}@{DOMAIN}"
