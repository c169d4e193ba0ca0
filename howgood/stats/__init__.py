"""Pure computation for HowGood: no Django imports, unit-tested with hypothesis."""
