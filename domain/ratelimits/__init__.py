"""Counting requests and failed logins per window, in a store every instance shares."""
