"""Calendar feeds: what a household (or one member) has on its calendar, as plain entries."""
