"""Qt item models for the views: big tables hold row keys and load their rows a page at a time.

They live beside the views (not in ``desktop_app.models``, which is the ORM) and read
through the services only; no model here runs SQL itself.
"""
