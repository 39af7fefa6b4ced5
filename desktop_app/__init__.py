"""Group Desk: the roster, sign-in, printing and spreadsheets of one volunteer-run local group."""

__version__ = "0.1.0"
