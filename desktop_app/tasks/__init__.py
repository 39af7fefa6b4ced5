"""Long work (a generator that yields progress) run off the GUI thread, with cancel."""
