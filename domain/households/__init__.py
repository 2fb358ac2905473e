"""Households and members; importing the package installs the version hook (versions.py)."""

from domain.households import versions as versions
