"""Workflows join the domains (analysis, privacy, alerting, conversation) to storage and live events.

Each function takes a SQLAlchemy session inside the caller's transaction and the ``Principal`` acting;
it checks what that principal may do, changes rows, and returns what to broadcast once committed.
"""
