"""Use cases in plain Python: no Qt, no printing. Each call is one unit of work."""
