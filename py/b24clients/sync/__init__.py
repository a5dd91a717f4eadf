"""The sync engine (spec/sync.md): read the CRM month by month, keep aggregates
and progress in a store, classify from the aggregates, write back what changed.

`plan.py` what is read and how; `aggregates.py` what is kept per record;
`store.py` the progress store seam; `engine.py` the runs; `writeback.py` the
user fields.
"""
