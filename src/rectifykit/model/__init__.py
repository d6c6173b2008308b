"""What a record is and how it counts, no I/O: records, items and tallies, ordering, numbering, typography."""
