"""Whole conversations: the customer's trajectory, the agents' language, the post-interaction report.

Pure like ``analysis``: no files, no network. Readers and writers live in ``ressenti.batch``.
"""
