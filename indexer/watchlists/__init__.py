"""Watchlists and their alerts: models, stores, matching, webhook delivery, SEC's ticker map.

What only the API uses (``WatchService``, the Atom feed) lives in ``api/``.
"""
