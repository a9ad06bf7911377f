"""What helps a dispatcher triage a case: where it should go and which earlier cases it repeats.

Reads only; the case services make the changes.
"""
