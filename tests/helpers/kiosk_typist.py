"""The child of the kiosk kill harness: the real kiosk window, and a script typing into it.

Run as ``python -m tests.helpers.kiosk_typist DB EVENT_ID CONFIRMED_FILE RUN SEED``
(offscreen Qt). It opens the database as Group Desk does, starts the kiosk for the
event, and types sign-ups into the form for ever: key presses into each field, Enter
from field to field, Space on the tick boxes, and Enter on the last one, which saves.
Each time the thank-you is on the screen it appends that sign-up's unique email to
CONFIRMED_FILE and flushes it to the disk (fsync) - only then, so every line there is
a sign-up a person at the table was told was saved. The parent kills this process
with SIGKILL at a random moment, whatever it is doing.

It prints "typing" on stdout once the first sign-up is being typed.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.db import open_database
from desktop_app.views.kiosk import KioskWindow
from tests.helpers.keys import type_text

THANK_YOU_MS = 20  # the real two seconds would only slow the harness down

GIVEN = ("Amara", "Zoë", "مريم", "Владимир", "Siobhán", "<b>Kenji</b>", "Noor 🙂", "שרה")
FAMILY = ("Okafor", "Ní Bhriain", "Nguyễn", "O'Brien", "Müller & Co", "🏳️‍🌈", "Haddad")
HEARD = ("", "a friend", "Instagram", "the fair", "<script>x</script>")


class Typist:
    """Types one sign-up after another into the kiosk, and writes down the confirmed ones."""

    def __init__(self, kiosk: KioskWindow, confirmed: Path, run: int, seed: int) -> None:
        self.kiosk = kiosk
        self.confirmed = confirmed.open("a", encoding="utf-8")
        self.run = run
        self.rng = random.Random(seed)
        self.number = 0
        self.email = ""
        self.announced = False
        kiosk.thank_you_shown.connect(self.on_thank_you)
        kiosk.form_ready.connect(lambda: QTimer.singleShot(0, self.type_one))

    def type_one(self) -> None:
        kiosk, rng = self.kiosk, self.rng
        self.number += 1
        self.email = f"k{self.run}-{self.number}-{rng.getrandbits(32):08x}@example.org"
        values = {
            kiosk.given_edit: rng.choice(GIVEN),
            kiosk.family_edit: rng.choice(FAMILY),
            kiosk.email_edit: self.email,
            # Unique too: a phone someone else gave links the sign-up to them (as it
            # should), and the harness looks each sign-up up by its own email.
            kiosk.phone_edit: rng.choice(("", f"617{200 + self.run % 800}{self.number:04d}")),
            kiosk.postal_edit: rng.choice(("", "02139", "D02 X285")),
            kiosk.how_heard_edit: rng.choice(HEARD),
        }
        if not self.announced:
            self.announced = True
            print("typing", flush=True)
        last = kiosk.fields()[-1]
        kiosk.given_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        for field in kiosk.fields():  # Enter in each moves the focus on to the next
            if isinstance(field, QLineEdit):
                type_text(field, values.get(field, ""))
            elif rng.random() < 0.5 or field is kiosk.consent_box:
                QTest.keyClick(field, Qt.Key.Key_Space)
            if field is not last:
                QTest.keyClick(field, Qt.Key.Key_Return)
        # Enter on the last field saves; the thank-you follows only once it is committed.
        QTest.keyClick(last, Qt.Key.Key_Return)
        if not kiosk.showing_thanks():
            # Refused (it never is with these values): say why and stop, loudly.
            print(f"not saved: {kiosk.problem_label.text()}", file=sys.stderr, flush=True)
            QApplication.exit(3)

    def on_thank_you(self) -> None:
        self.confirmed.write(self.email + "\n")
        self.confirmed.flush()
        os.fsync(self.confirmed.fileno())


def main(argv: list[str]) -> int:
    db_path, event_id, confirmed, run, seed = argv
    app = QApplication(sys.argv[:1])
    db = open_database(db_path)
    kiosk = KioskWindow.start(db, int(event_id), thank_you_ms=THANK_YOU_MS, idle_ms=600_000)
    kiosk.resize(1280, 800)
    kiosk.show()
    typist = Typist(kiosk, Path(confirmed), int(run), int(seed))
    QTimer.singleShot(0, typist.type_one)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
