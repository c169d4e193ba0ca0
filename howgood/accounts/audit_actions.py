from howgood.core.audit import register

register("accounts.user.signed_in", "Signed in")
register("accounts.user.signed_out", "Signed out")
register("accounts.user.timed_out", "Signed out after doing nothing for a while")
register("accounts.user.sign_in_failed", "Failed sign-in")
register("accounts.user.locked_out", "Locked out after repeated failed sign-ins")
register("accounts.user.created", "Account created")
register("accounts.two_factor.enrolled", "Set up two-factor sign-in")
register("accounts.two_factor.verified", "Passed two-factor check")
register("accounts.two_factor.recovery_used", "Used a recovery code")
register("accounts.two_factor.recovery_regenerated", "Made new recovery codes")
register("accounts.password.changed", "Changed password")
