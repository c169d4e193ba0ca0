"""Reusable report building: charts, Word, PDF and Excel from plain data.

Nothing here imports a domain app: callers pass plain values (strings, numbers, dates,
lists) and get bytes back. See README.md.
"""
