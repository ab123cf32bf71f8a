"""Org Planner: plan who reports to whom, who does what, and whether it can work."""

__version__ = "0.1.0"
