"""Reminders: what the worker tells people, once each, and where it tells them."""
