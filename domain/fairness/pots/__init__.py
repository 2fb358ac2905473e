"""Pots as fairness sees them: the monthly contribution plan and its proposals."""
