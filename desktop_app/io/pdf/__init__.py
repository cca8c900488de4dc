"""Paddock's one PDF layer (reportlab, no Qt): tickets, badges, receipts and reports.

- fonts.py: the shipped Noto Sans SC (TrueType outlines), embedded as subsets with
  Unicode maps, so text is selectable and `pdftotext` reads it (docs/pdf.md: why).
- qr.py: QR matrices (zxing-cpp's writer) drawn as filled rectangles.
- cards.py: ticket cards, 1-up on A6 / A5, 4-up and 8-up on A4 with cut marks.
- badges.py: name badges, one label per page at the label printer's size.
- document.py: flowing A4 documents: title block with the dealer, tables that repeat
  their header on every page, vector charts, "page n of m" footers.
- receipt.py: a payment receipt on document.py (dealer, number, items, totals).
- reports.py: the event and community reports as documents.

Every writer writes atomically (temp name + rename), takes `progress(done, total)` and
`is_cancelled()` callables, and raises domain Cancelled (leaving no file) when cancelled.
"""
