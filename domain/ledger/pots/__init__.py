"""Pots: a joint account or shared wallet inside the ledger (tables, replay, service)."""
