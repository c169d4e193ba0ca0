"""Audit action names for frameworks (autodiscovered by howgood.core at start-up)."""

from howgood.core.audit import register

register("frameworks.framework.loaded", "Framework loaded or updated")
register(
    "frameworks.indicator.filled_in",
    "Quality indicator's themes and illustrations filled in from someone's own copy",
)
