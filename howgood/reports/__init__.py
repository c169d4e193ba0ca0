"""Generated documents: the background jobs that build, keep, serve and delete them.

The builders themselves (charts, Word, PDF, Excel) are in ``howgood.toolkit``. See README.md.
"""
