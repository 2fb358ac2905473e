"""Shared goals: what the household saves towards, and who is carrying it."""
