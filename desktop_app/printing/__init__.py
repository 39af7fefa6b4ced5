"""PDF documents (ReportLab) made from plain data: no Qt, no database sessions."""
