"""Document builders with no knowledge of any domain: charts, Word, PDF and Excel.

Callers pass plain values (strings, numbers, dates, lists) and get bytes back. Nothing
here imports a HowGood app other than ``core``. See README.md.
"""
