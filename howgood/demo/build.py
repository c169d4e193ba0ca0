"""Build the demo: each installed app's ``demo.py`` adds its part (see ``howgood.core.demobuild``).

Apps are visited in the order they are installed, which is the order of the layers
(partnerships before the questionnaires they use, records and surveys before the
self-evaluation that cites them); clearing an earlier demo goes in the reverse order, so
what points at something is removed before what it points at.
"""

from __future__ import annotations

import random
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from howgood.accounts.models import User
from howgood.core.demobuild import DOMAIN, DemoBuild
from howgood.partnerships.demo import SLUGS
from howgood.partnerships.models import Partnership

DEMO_PASSWORD = "demo-howgood-2026"  # noqa: S105 - invented accounts, printed on purpose


def demo_parts() -> list[ModuleType]:
    """Every installed app's ``demo`` module, in the order the apps are installed."""
    return [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if config.name.startswith("howgood.")
        and config.name != "howgood.demo"
        and module_has_submodule(config.module, "demo")
    ]


@transaction.atomic
def demo_build(*, seed: int = 2021) -> DemoBuild:
    """Replace any earlier demo with a fresh one and give every invented account the demo
    password. Touches only the demo partnerships (by slug) and the invented accounts."""
    # Hash the shared password once: hashing it per account would take most of a minute.
    demo_hash = make_password(DEMO_PASSWORD)
    parts = demo_parts()
    earlier = Partnership.objects.filter(is_demo=True, slug__in=SLUGS)
    for part in reversed(parts):
        if hasattr(part, "clear"):
            part.clear(earlier)
    build = DemoBuild(rng=random.Random(seed))
    for part in parts:
        part.load(build)
    User.objects.filter(is_demo=True, email__endswith=f"@{DOMAIN}").update(password=demo_hash)
    return build
