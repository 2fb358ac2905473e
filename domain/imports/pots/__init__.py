"""Imported joint-account rows: the pot rules that read them and the booking into pots."""
