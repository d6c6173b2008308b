"""Pure as-of computations over valid records: status, roll-up counts, history from git."""
