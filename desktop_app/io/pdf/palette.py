"""The colours of every Paddock PDF (one ink, one accent: tickets, badges and documents
look like one family)."""

from __future__ import annotations

from reportlab.lib import colors

INK = colors.HexColor("#1d2430")  # text
MUTED = colors.HexColor("#69707d")  # secondary text, footers
ACCENT = colors.HexColor("#123c6e")  # dealer band and name, rules under title blocks
HEADER_MUTED = colors.HexColor("#c8d7eb")  # small text on the accent band
GRID = colors.HexColor("#dee2e6")  # table rules, chart grid, tile borders
RULE = colors.HexColor("#dce0e6")  # the line under a card's short code
CUT = colors.HexColor("#808080")  # cut marks
HEAD_FILL = colors.HexColor("#dde6f0")  # table header rows
ZEBRA = colors.HexColor("#f6f8fa")  # every other table row
TILE_FILL = colors.HexColor("#f5f7fa")  # key-figure tiles
# chart series, in order
SERIES = [
    colors.HexColor(c)
    for c in [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    ]
]
