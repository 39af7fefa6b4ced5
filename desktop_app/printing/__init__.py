"""PDF documents (ReportLab) made from plain data: no Qt, no database sessions.

Two steps, the same for the windows, the CLI and the tests:

1. gather the data with ``desktop_app.services.printing_data`` (or build the frozen
   dataclasses of ``printing.data`` yourself);
2. render it with a function below, which returns a ``PdfResult`` (``pdf`` bytes,
   ``pages``, ``warnings``: one sentence per person or line that could not be printed
   as typed) or, for letters, ``LetterDocuments``. ``PdfResult.write(path)`` saves it
   whole or not at all.

- ``flyer.render_flyer(FlyerData, PageSize)``: one page (``flyer.qr_payload`` checks a
  QR target, ``flyer.check_image`` a picture);
- ``signin_sheet.render_signin_sheet(SigninSheetData, PageSize)``, or
  ``signin_sheet_steps`` (progress per page);
- ``ua_letters.render_letters(LetterBatch, PageSize)``, or ``letters_steps`` (progress
  per letter); ``ua_letters.check_batch`` checks a batch before anything is drawn;
- ``labels.render_labels(labels, layout, offset_x_mm=, offset_y_mm=, first_position=)``,
  or ``labels_steps`` (progress per sheet); ``labels.render_calibration(layout, ...)``;
- ``lists.render_contact_list(ContactListData, PageSize)``, or ``contact_list_steps``;
  ``lists.render_attendance(AttendanceData, ...)``; ``lists.render_agenda(AgendaData, ...)``.

The ``*_steps`` generators are what ``tasks.runner.run_task`` runs off the GUI thread:
they yield ``PrintProgress(done, total, label)`` and return the result; closing one
early (Cancel) leaves nothing behind. Every renderer raises ``PrintError`` (a
ValueError whose text names the field) on data it cannot print, and
``templates.TemplateError`` (a PrintError) names a bad placeholder and its line.

Importing this package, ``data``, ``templates`` or ``words`` does not load ReportLab;
the renderer modules and ``fonts`` do, so views import them only when printing.
"""
