"""Spreadsheet, CSV and calendar writers and readers: no Qt, no database sessions."""
