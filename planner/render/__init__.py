"""Turning analyses into text, Markdown and JSON for the command line and exports."""
