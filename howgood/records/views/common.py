"""What the record-reading pages share."""

SENSITIVE = "Pages about children's records hold personal data."
