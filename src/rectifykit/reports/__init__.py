"""Emitters: data in, text or bytes out (diagnostic formats, status, roll-up, history, charts, the ledger workbook)."""
