"""Charts drawn on the server with matplotlib, one module per kind of chart.

``base`` (the ``Chart`` every function returns, colours, fonts, layout, rendering),
``bars`` (``bar_chart``), ``distribution`` (``stacked_distribution``,
``suppressed_block``) and ``spc`` (``spc_chart``). Import from the module itself; this
package imports nothing, so importing it does not load matplotlib.
"""
