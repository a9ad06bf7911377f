"""Intake channels: each turns what arrives into one `open_case` call."""
