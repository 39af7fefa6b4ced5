"""Demo data: a realistic, diverse local group, for the first run and for every benchmark.

``generate_demo`` fills a database that has no people yet: people from many cultures
and scripts, their tags and roles, events with sign-ins and follow-ups, campaigns,
Urgent Actions with letters written, the charter checklist, trainings, the
treasurer's ledger with dues, donations and remittances, outreach contacts, and one
sample each of an import, a merged kiosk bundle and a duplicate to review. It is a
plain generator that yields DemoProgress and returns a DemoSummary; ``create_demo``
runs it to the end. Nothing here knows Qt.

Everything is decided by ``random.Random`` seeded from ``seed`` (one generator per
stage) and the reference day (today unless given), except the uids: those must stay
unique across databases, so that two demo databases made with the same seed can
still be merged, and come from an unseeded generator.

Speed matters (the demo at 100,000 people is what every benchmark starts from):

- rows are tuples in the form SQLite stores them (ISO date text, 0/1, enum values),
  written with one executemany per table (per chunk for people), all in ONE
  transaction; another database gets the same rows through SQLAlchemy Core;
- on SQLite the people triggers and secondary indexes are dropped for the load and
  made again inside that transaction, and the search index is built with
  INSERT ... SELECT (search_index); the load runs with a rollback journal when no
  one else has the file open, so that the new pages are written once (db.bulk_write_settings);
- a helper thread makes the next rows while SQLite runs its long statements, which
  release the GIL (_Builder.write_all);
- per-person work is kept small: names are folded once per pool entry (_Identity),
  everything else about a person comes from precomputed pools (_lives).

Cancelling: close the generator (or drop it) between steps. The transaction is
rolled back and no demo rows remain; only the group profile and the laptop id, saved
first through services.group, may stay.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
import unicodedata
from bisect import bisect, bisect_right
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from types import MappingProxyType
from typing import Any, ClassVar

from sqlalchemy import Table, bindparam, insert, text
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection

from desktop_app import search_index
from desktop_app.db import Database, bulk_write_settings
from desktop_app.models import BUILTIN_ROLES, Base
from desktop_app.services import group as group_service
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import email_key, fold, search_text, sort_key

Row = tuple[Any, ...]

# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProgress:
    """Where the demo is: ``done`` of ``total`` units of ``stage`` (a short English key)."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote.

    counts: rows added per table (the group profile and laptop id included when the
    demo made them); updated: rows changed afterwards (charter items ticked off, role
    holders' ladder stage, the import's people). seconds: where the time went:
    "total", "profile", "people_generate", "people_insert", "search_index",
    "people_indexes", "other_generate", "other_insert", "helper_wait", "commit".
    Generation runs mostly on a helper thread alongside SQLite, so the parts add up
    to more than the total; "helper_wait" is how long SQLite had to wait for it.
    """

    people: int
    seed: int
    reference_day: date
    counts: Mapping[str, int] = field(default_factory=dict)
    updated: Mapping[str, int] = field(default_factory=dict)
    seconds: Mapping[str, float] = field(default_factory=dict)


# Stage keys of DemoProgress, in the order they come.
STAGES: tuple[str, ...] = (
    "profile",
    "people",
    "search index",
    "tags and roles",
    "events",
    "urgent actions",
    "trainings",
    "money",
    "outreach",
    "done",
)

# Tables the demo writes nothing to; everything else in Base.metadata gets rows.
# (role_types and charter_steps are seeded by the migration; the demo reads them and
# updates charter_items.)
LEFT_EMPTY: Mapping[str, str] = MappingProxyType({})

# People per chunk: big enough that a search-index statement is worth running, small
# enough that a chunk's rows and index data stay in the CPU caches (measured: 10,000
# was slower, 2,500 no quicker).
PEOPLE_CHUNK = 5_000
KIOSK_PIN = "2468"
# The demo treasurer's accounts: opening balances, and the share of each quarter's dues
# sent on to the national office.
OPENING_BANK_CENTS = 150_000
OPENING_CASH_CENTS = 10_000
NATIONAL_SHARE_PERCENT = 50
GROUP_NAME = "Cambridge Local Group 133"


class DemoError(ValueError):
    """The demo cannot run on this database; str() says why."""


def generate_demo(
    db: Database, people: int, seed: int = 1, *, today: date | None = None
) -> Generator[DemoProgress, None, DemoSummary]:
    """Fill a database that has no people yet; the generator yields progress and
    returns a DemoSummary (StopIteration.value; create_demo does that for you).

    ``today`` is the reference day relative dates are counted from (default: today),
    so that tests can pin it. Raises DemoError (a ValueError) at once, before any
    step, when ``people`` is not a positive whole number or the database already has
    people (checked again inside the transaction).
    """
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise DemoError(f"people: a whole number of at least 1 is needed, not {people!r}")
    _refuse_if_populated(db)
    return _run(db, people, seed, today or date.today())


def _run(
    db: Database, people: int, seed: int, day0: date
) -> Generator[DemoProgress, None, DemoSummary]:
    began = time.perf_counter()
    yield DemoProgress("profile", 0, 1)
    created: dict[str, int] = {}
    if not _has_laptop_id(db):
        created["app_settings"] = 1
    laptop = group_service.laptop_id(db)
    builder = _Builder(people=people, seed=seed, today=day0, laptop=laptop)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-demo") as helper:
        # Hashing the kiosk PIN (PBKDF2, which releases the GIL) overlaps with making the
        # first people; both are done before the demo's transaction begins.
        profile_saved = helper.submit(_ensure_profile, db)
        builder.start_people()
        if profile_saved.result():
            created["group_profile"] = 1
            builder.opening_balances = (OPENING_BANK_CENTS, OPENING_CASH_CENTS)
    yield DemoProgress("profile", 1, 1)
    profile_seconds = time.perf_counter() - began

    with db.engine.connect() as conn:
        loader = _Loader(conn)
        with bulk_write_settings(conn), conn.begin():
            _refuse_if_populated_in(conn)
            yield from builder.write_all(loader)
            committing = time.perf_counter()
        # Leaving the block commits: the one transaction ends here.
    seconds = {
        "profile": profile_seconds,
        **builder.timings,
        "commit": time.perf_counter() - committing,
        "total": time.perf_counter() - began,
    }
    counts = {**created, **{table: n for table, n in loader.counts.items() if n}}
    yield DemoProgress("done", 1, 1)
    return DemoSummary(
        people=people,
        seed=seed,
        reference_day=day0,
        counts=counts,
        updated=dict(loader.updated),
        seconds=seconds,
    )


def create_demo(
    db: Database, people: int, seed: int = 1, *, today: date | None = None
) -> DemoSummary:
    """Run generate_demo to the end and return what it wrote."""
    return run_to_end(generate_demo(db, people, seed, today=today))


def count_people(db: Database) -> int:
    """People rows in the database, removed and erased ones included."""
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT COUNT(*) FROM people").scalar_one())


def _ensure_profile(db: Database) -> bool:
    """Save the demo group's profile unless the database has one; True if saved."""
    if group_service.get_profile(db) is not None:
        return False
    group_service.save_profile(db, _PROFILE, kiosk_pin=KIOSK_PIN)
    return True


def _has_laptop_id(db: Database) -> bool:
    with db.engine.connect() as conn:
        found = conn.execute(
            text("SELECT COUNT(*) FROM app_settings WHERE key = :key"),
            {"key": group_service.LAPTOP_ID_KEY},
        ).scalar_one()
    return bool(found)


def _refuse_if_populated(db: Database) -> None:
    existing = count_people(db)
    if existing:
        raise DemoError(_populated_message(db.display_name, existing))


def _refuse_if_populated_in(conn: Connection) -> None:
    # Checked again inside the transaction: another window may have added someone since.
    existing = int(conn.exec_driver_sql("SELECT COUNT(*) FROM people").scalar_one())
    if existing:
        raise DemoError(_populated_message("this database", existing))


def _populated_message(where: str, existing: int) -> str:
    noun = "person" if existing == 1 else "people"
    return (
        f"{where}: already has {existing} {noun}; demo data goes into a new database "
        "(create an empty one first)"
    )


# --------------------------------------------------------------------------------------
# Reference data: names, places, causes
# --------------------------------------------------------------------------------------

_PROFILE = group_service.GroupProfileData(
    name=GROUP_NAME,
    number="133",
    city="Cambridge",
    region="MA",
    country="US",
    meeting_place="Cambridge Public Library, 449 Broadway, Cambridge",
    contact_email="group133@example.org",
    kiosk_interests=(
        "Urgent Action letter writing",
        "Refugee rights",
        "Death penalty",
        "Women's rights",
        "Climate justice",
        "LGBTI rights",
        "Tabling and events",
    ),
)


@dataclass(frozen=True)
class _Culture:
    """Names of one culture. Non-Latin entries are "native=Romanised"."""

    key: str
    weight: int
    given_f: tuple[str, ...]
    given_m: tuple[str, ...]
    family_f: tuple[str, ...]
    family_m: tuple[str, ...] = ()  # empty: same as family_f
    native_share: float = 1.0  # share of people of this culture written in their script
    preferred_share: float = 0.0  # English preferred names, as many Chinese Americans use
    preferred_f: tuple[str, ...] = ()
    preferred_m: tuple[str, ...] = ()


_CULTURES: tuple[_Culture, ...] = (
    _Culture(
        "english",
        30,
        (
            "Mary", "Emily", "Sarah", "Jessica", "Ashley", "Olivia", "Madison", "Hannah",
            "Brianna", "Keisha", "Aaliyah", "Jennifer", "Megan", "Rachel", "Lauren",
            "Abigail", "Grace", "Chloe", "Taylor", "Jordan", "Elizabeth", "Tanisha",
        ),
        (
            "James", "Michael", "David", "Daniel", "Christopher", "Ethan", "Tyler",
            "Marcus", "DeShawn", "Jamal", "Robert", "William", "Matthew", "Andrew",
            "Joshua", "Ryan", "Kevin", "Brian", "Jordan", "Taylor", "Terrence", "Caleb",
        ),
        (
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson",
            "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
            "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
            "Mitchell", "Roberts", "O'Brien", "Sullivan", "Murphy", "McCarthy", "Fitzgerald",
            "Washington", "Freeman", "Brooks", "St. John",
        ),
    ),
    _Culture(
        "irish",
        6,
        (
            "Aoife", "Siobhán", "Niamh", "Caoimhe", "Síle", "Róisín", "Orla", "Clíodhna",
            "Éabha", "Saoirse", "Gráinne", "Méabh",
        ),
        (
            "Seán", "Pádraig", "Eoin", "Ciarán", "Dónal", "Tadhg", "Cathal", "Oisín",
            "Darragh", "Colm", "Fiachra", "Ruairí",
        ),
        (
            "Ní Bhriain", "Ní Shúilleabháin", "Nic Cárthaigh", "Ní Cheallaigh",
            "Ní Dhomhnaill", "Ní Néill", "Ní Mhurchú", "Breathnach", "Kavanagh",
            "Ní Loingsigh",
        ),
        (
            "Ó Briain", "Ó Súilleabháin", "Mac Cárthaigh", "Ó Ceallaigh", "Ó Domhnaill",
            "Ó Néill", "Ó Murchú", "Breathnach", "Kavanagh", "Ó Loingsigh",
        ),
    ),
    _Culture(
        "portuguese",
        6,
        (
            "Conceição", "Inês", "Leonor", "Margarida", "Bárbara", "Luísa", "Graça",
            "Fátima", "Mariana", "Beatriz", "Joana", "Adélia",
        ),
        (
            "João", "Sebastião", "Gonçalo", "Tomás", "Joaquim", "Luís", "Antônio", "Rogério",
            "Simão", "André", "Vinícius", "Caio",
        ),
        (
            "Gonçalves", "Magalhães", "Simões", "Araújo", "Conceição", "Brandão",
            "Guimarães", "Assunção", "Carvalho", "Fernandes", "Loureiro", "Pereira",
            "Sousa", "Gaspar", "Monteiro", "Damião",
        ),
    ),
    _Culture(
        "spanish",
        10,
        (
            "María José", "Lucía", "Ximena", "Begoña", "Inés", "Nuria", "Guadalupe",
            "Itziar", "Sofía", "Mónica", "Almudena", "Rocío", "Araceli", "Maribel",
        ),
        (
            "José Ángel", "Íñigo", "Joaquín", "Martín", "Andrés", "Nicolás", "Rubén",
            "Álvaro", "Sebastián", "Jesús", "Hernán", "Agustín",
        ),
        (
            "Núñez", "Muñoz", "Peña", "Ibáñez", "Gómez", "Rodríguez", "Hernández",
            "Martínez", "López", "Pérez", "Sánchez", "Ramírez", "Jiménez", "Gutiérrez",
            "Álvarez", "Castañeda", "Ordóñez", "Fernández de Córdoba", "Quiñones",
        ),
    ),
    _Culture(
        "vietnamese",
        4,
        (
            "Thanh Hương", "Thu Trang", "Quỳnh Anh", "Bảo Ngọc", "Phương Thảo", "Ngọc Ánh",
            "Thị Hồng", "Mai Linh", "Diễm Phúc", "Khánh Linh",
        ),
        (
            "Minh Tuấn", "Văn Đức", "Hải Đăng", "Quốc Bảo", "Đức Thắng", "Hoàng Long",
            "Thành Công", "Trọng Nghĩa", "Gia Huy", "Việt Anh",
        ),
        (
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
        ),
    ),
    _Culture(
        "polish",
        3,
        (
            "Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Łucja", "Jadwiga", "Bożena",
            "Grażyna", "Żaneta", "Urszula",
        ),
        (
            "Łukasz", "Paweł", "Wojciech", "Grzegorz", "Michał", "Jędrzej", "Przemysław",
            "Stanisław", "Bartłomiej", "Maciej",
        ),
        (
            "Wójcik", "Kowalczyk", "Szymańska", "Woźniak", "Kamińska", "Lewandowska",
            "Zielińska", "Dąbrowska", "Krawczyk", "Grabowska", "Jabłońska", "Wróbel",
        ),
        (
            "Wójcik", "Kowalczyk", "Szymański", "Woźniak", "Kamiński", "Lewandowski",
            "Zieliński", "Dąbrowski", "Krawczyk", "Grabowski", "Jabłoński", "Wróbel",
        ),
    ),
    _Culture(
        "turkish",
        2,
        ("Ayşe", "Gülşen", "Şebnem", "Özlem", "Çiğdem", "Yağmur", "Elif", "Büşra", "İpek", "Nazlı"),
        ("Barış", "Oğuz", "Çağlar", "Gökhan", "Ümit", "Şükrü", "İsmail", "Tolga", "Doğan", "Işık"),
        (
            "Yılmaz", "Öztürk", "Çelik", "Şahin", "Aydın", "Özdemir", "Arslan", "Doğan",
            "Kılıç", "Çetin", "Koç", "Kurt", "Özkan", "Şimşek",
        ),
    ),
    _Culture(
        "french_haitian",
        5,
        (
            "Élodie", "Anaïs", "Chloé", "Françoise", "Geneviève", "Mirlande", "Nadège",
            "Roseline", "Béatrice", "Marie-Claude",
        ),
        (
            "François", "Jérôme", "Stéphane", "Frédéric", "Noël", "Benoît", "Wilner",
            "Fritz-Gérald", "Rénald", "Jean-Baptiste",
        ),
        (
            "Lefèvre", "Jean-Baptiste", "Pierre-Louis", "Désir", "Théodore", "Célestin",
            "Saint-Fleur", "Beauséjour", "Lévêque", "Dorélien", "Joseph", "Étienne",
        ),
    ),
    _Culture(
        "greek",
        3,
        (
            "Ελένη=Eleni", "Αικατερίνη=Aikaterini", "Μαρία=Maria", "Σοφία=Sofia",
            "Δέσποινα=Despoina", "Χρυσούλα=Chrysoula", "Αναστασία=Anastasia",
            "Βασιλική=Vasiliki",
        ),
        (
            "Γιώργος=Giorgos", "Δημήτρης=Dimitris", "Αλέξανδρος=Alexandros", "Νίκος=Nikos",
            "Κωνσταντίνος=Konstantinos", "Σπύρος=Spyros", "Παναγιώτης=Panagiotis",
            "Θανάσης=Thanasis",
        ),
        (
            "Παπαδοπούλου=Papadopoulou", "Οικονόμου=Oikonomou", "Γεωργίου=Georgiou",
            "Βασιλείου=Vasileiou", "Καραγιάννη=Karagianni", "Νικολάου=Nikolaou",
            "Παππά=Pappa", "Αλεξίου=Alexiou",
        ),
        (
            "Παπαδόπουλος=Papadopoulos", "Οικονόμου=Oikonomou", "Γεωργίου=Georgiou",
            "Βασιλείου=Vasileiou", "Καραγιάννης=Karagiannis", "Νικολάου=Nikolaou",
            "Παππάς=Pappas", "Αλεξίου=Alexiou",
        ),
        native_share=0.5,
    ),
    _Culture(
        "cyrillic",
        4,
        (
            "Анна=Anna", "Екатерина=Ekaterina", "Ольга=Olga", "Наталья=Natalya", "Юлия=Yulia",
            "Оксана=Oksana", "Ирина=Irina", "Евгения=Yevgeniya", "Людмила=Lyudmila",
            "Тетяна=Tetiana",
        ),
        (
            "Дмитрий=Dmitry", "Алексей=Alexey", "Сергей=Sergey", "Андрій=Andrii",
            "Михаил=Mikhail", "Олександр=Oleksandr", "Богдан=Bohdan", "Юрій=Yurii",
            "Евгений=Yevgeny", "Тарас=Taras",
        ),
        (
            "Иванова=Ivanova", "Смирнова=Smirnova", "Кузнецова=Kuznetsova", "Попова=Popova",
            "Шевченко=Shevchenko", "Коваленко=Kovalenko", "Бондаренко=Bondarenko",
            "Ткаченко=Tkachenko", "Соколова=Sokolova", "Мельник=Melnyk",
        ),
        (
            "Иванов=Ivanov", "Смирнов=Smirnov", "Кузнецов=Kuznetsov", "Попов=Popov",
            "Шевченко=Shevchenko", "Коваленко=Kovalenko", "Бондаренко=Bondarenko",
            "Ткаченко=Tkachenko", "Соколов=Sokolov", "Мельник=Melnyk",
        ),
        native_share=0.5,
    ),
    _Culture(
        "arabic",
        4,
        (
            "فاطمة=Fatima", "مريم=Maryam", "ليلى=Layla", "نور=Nour", "ياسمين=Yasmin",
            "آمنة=Amina", "رنا=Rana", "هبة=Heba",
        ),
        (
            "محمد=Mohammed", "أحمد=Ahmed", "يوسف=Youssef", "عمر=Omar", "خالد=Khaled",
            "كريم=Karim", "حسن=Hassan", "طارق=Tarek",
        ),
        (
            "الحسيني=Al-Husseini", "حداد=Haddad", "خوري=Khoury", "المصري=Al-Masri",
            "منصور=Mansour", "عبد الله=Abdullah", "الشامي=Al-Shami", "نصر=Nasr",
            "سليمان=Suleiman", "عيسى=Issa",
        ),
        native_share=0.4,
    ),
    _Culture(
        "hebrew",
        2,
        ("נועה=Noa", "תמר=Tamar", "מיכל=Michal", "שירה=Shira", "יעל=Yael", "אביגיל=Avigail"),
        ("דוד=David", "יוסף=Yosef", "אורי=Uri", "איתן=Eitan", "נועם=Noam", "עומר=Omer"),
        (
            "כהן=Cohen", "לוי=Levi", "מזרחי=Mizrahi", "פרץ=Peretz", "ביטון=Biton",
            "אברהם=Avraham", "פרידמן=Friedman", "שפירא=Shapira",
        ),
        native_share=0.4,
    ),
    _Culture(
        "chinese",
        6,
        (
            "秀英=Xiuying", "丽华=Lihua", "静=Jing", "敏=Min", "雪梅=Xuemei", "婷婷=Tingting",
            "欣怡=Xinyi", "梓涵=Zihan",
        ),
        (
            "伟=Wei", "强=Qiang", "磊=Lei", "洋=Yang", "俊杰=Junjie", "浩然=Haoran",
            "子轩=Zixuan", "建国=Jianguo",
        ),
        (
            "王=Wang", "李=Li", "张=Zhang", "刘=Liu", "陈=Chen", "杨=Yang", "黄=Huang",
            "赵=Zhao", "周=Zhou", "吴=Wu", "欧阳=Ouyang",
        ),
        native_share=0.5,
        preferred_share=0.25,
        preferred_f=("Grace", "Vivian", "Annie", "Jenny", "Amy"),
        preferred_m=("David", "Kevin", "Michael", "Eric", "Tony"),
    ),
    _Culture(
        "japanese",
        2,
        ("陽菜=Hina", "結衣=Yui", "さくら=Sakura", "美咲=Misaki", "葵=Aoi", "由美子=Yumiko"),
        ("翔太=Shōta", "健二=Kenji", "大輔=Daisuke", "拓海=Takumi", "悠人=Yūto", "誠=Makoto"),
        (
            "佐藤=Satō", "鈴木=Suzuki", "高橋=Takahashi", "田中=Tanaka", "渡辺=Watanabe",
            "伊藤=Itō", "山本=Yamamoto", "中村=Nakamura", "小林=Kobayashi",
        ),
        native_share=0.5,
    ),
    _Culture(
        "korean",
        3,
        (
            "지우=Ji-woo", "서연=Seo-yeon", "민지=Min-ji", "하은=Ha-eun", "수빈=Su-bin",
            "예은=Ye-eun",
        ),
        (
            "민준=Min-jun", "서준=Seo-jun", "도윤=Do-yoon", "현우=Hyun-woo", "지호=Ji-ho",
            "준혁=Jun-hyuk",
        ),
        (
            "김=Kim", "이=Lee", "박=Park", "최=Choi", "정=Jung", "강=Kang", "조=Cho",
            "윤=Yoon", "장=Jang",
        ),
        native_share=0.5,
        preferred_share=0.2,
        preferred_f=("Julie", "Grace", "Esther", "Christine"),
        preferred_m=("Daniel", "Paul", "John", "Sam"),
    ),
    _Culture(
        "south_asian",
        5,
        (
            "Priya", "Ananya", "Deepika", "Lakshmi", "Kavya", "Aishwarya", "Meera",
            "Nandini", "Sunita", "Ishita",
        ),
        (
            "Aarav", "Rohan", "Sanjay", "Vikram", "Arjun", "Rahul", "Karthik", "Imran",
            "Siddharth", "Anil",
        ),
        (
            "Patel", "Sharma", "Iyer", "Reddy", "Chatterjee", "Venkataraman", "Gupta",
            "Singh", "Banerjee", "Krishnan", "Desai", "Chowdhury", "Rahman",
        ),
    ),
    _Culture(
        "west_african",
        3,
        (
            "Chiamaka", "Adaeze", "Ngozi", "Oluwaseun", "Folake", "Abímbọ́lá", "Yétúndé",
            "Ifeoma", "Ama", "Akosua",
        ),
        (
            "Chinedu", "Oluwaseun", "Babátúndé", "Emeka", "Kwame", "Kofi", "Tunde",
            "Obinna", "Ìbùkún", "Yaw",
        ),
        (
            "Okonkwo", "Adébáyọ̀", "Okafor", "Nwosu", "Ọlábísí", "Adéyẹmí", "Mensah",
            "Asante", "Eze", "Ìdòwú", "Àjàyí", "Boateng",
        ),
    ),
    _Culture(
        "nordic_german",
        2,
        ("Åsa", "Zoë", "Sigríður", "Ingrid", "Mette", "Annika", "Käthe", "Liv"),
        ("Søren", "Björn", "Jürgen", "Þórður", "Matthias", "Lars", "Jörg", "Håkon"),
        (
            "Müller", "Østergaard", "Schröder", "Lindqvist", "Þórsdóttir", "Weiß", "Bräuer",
            "Sjöberg", "Jensen", "Nørgaard",
        ),
        (
            "Müller", "Østergaard", "Schröder", "Lindqvist", "Þórsson", "Weiß", "Bräuer",
            "Sjöberg", "Jensen", "Nørgaard",
        ),
    ),
)  # fmt: skip

# Cultures that every demo shows at least once, written in their own script or with
# their diacritics (see _NameBook.showcase).
_SHOWCASE = frozenset(
    {
        "irish", "portuguese", "spanish", "vietnamese", "polish", "turkish", "greek",
        "cyrillic", "arabic", "hebrew", "chinese", "japanese", "korean", "west_african",
        "nordic_german",
    }
)  # fmt: skip

# Nicknames people give as their preferred name; keyed by the name as written.
_NICKNAMES: Mapping[str, str] = {
    "Alexandros": "Alex",
    "Αλέξανδρος": "Αλέκος",
    "Konstantinos": "Kostas",
    "Κωνσταντίνος": "Κώστας",
    "Yevgeniya": "Zhenya",
    "Евгения": "Женя",
    "Евгений": "Женя",
    "Mohammed": "Mo",
    "Margarida": "Guida",
    "Christopher": "Chris",
    "Matthew": "Matt",
    "Jennifer": "Jen",
    "Abigail": "Abby",
    "Elizabeth": "Liz",
    "Małgorzata": "Gosia",
    "Przemysław": "Przemek",
    "Bartłomiej": "Bartek",
    "Siddharth": "Sid",
    "Babátúndé": "Túndé",
    "Oluwaseun": "Seun",
    "Guadalupe": "Lupe",
    "Pádraig": "Paddy",
    "Jean-Baptiste": "J-B",
    "Aikaterini": "Katerina",
}
_NICKNAME_SHARE = 0.35

# ASCII for email addresses: what fold() leaves that is still not a-z.
_ASCII_EXTRA = str.maketrans(
    {"ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d"}
)
_NOT_ASCII_LETTER = re.compile(r"[^a-z0-9]")


def _ascii_name(text: str) -> str:
    return _NOT_ASCII_LETTER.sub("", fold(text).translate(_ASCII_EXTRA))


# (city, postal codes, area codes); weights follow where a Cambridge group's people live.
_PLACES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], int], ...] = (
    ("Cambridge", ("02138", "02139", "02140", "02141", "02142"), ("617", "857"), 30),
    ("Somerville", ("02143", "02144", "02145"), ("617", "857"), 14),
    ("Boston", ("02108", "02114", "02115", "02116", "02118", "02119", "02130"), ("617", "857"), 16),
    ("Brookline", ("02445", "02446"), ("617",), 4),
    ("Newton", ("02458", "02459", "02460", "02465"), ("617",), 4),
    ("Watertown", ("02472",), ("617",), 3),
    ("Arlington", ("02474", "02476"), ("781",), 5),
    ("Medford", ("02155",), ("781",), 4),
    ("Malden", ("02148",), ("781",), 3),
    ("Waltham", ("02451", "02453"), ("781",), 3),
    ("Lexington", ("02420", "02421"), ("781",), 2),
    ("Quincy", ("02169", "02170", "02171"), ("617",), 3),
    ("Brockton", ("02301", "02302"), ("508",), 2),
    ("New Bedford", ("02740", "02744"), ("508",), 1),
    ("Fall River", ("02720", "02723"), ("508",), 1),
    ("Plymouth", ("02360",), ("508",), 1),
)
_AREA_CODES = ("617", "857", "781", "508")
_STREETS = (
    "Massachusetts Ave", "Broadway", "Hampshire St", "Prospect St", "Cambridge St",
    "Elm St", "Beacon St", "Washington St", "Highland Ave", "Summer St", "Harvard St",
    "Centre St", "Dorchester Ave", "Commonwealth Ave", "Tremont St", "Boylston St",
    "Salem St", "Main St", "Pleasant St", "Medford St", "Lexington St", "Oak St",
    "Chestnut St", "Walnut St", "School St", "Union Sq", "Inman St", "Putnam Ave",
)  # fmt: skip
_SCHOOLS = (
    "Harvard University", "MIT", "Tufts University", "Boston University",
    "Northeastern University", "Lesley University", "Bunker Hill Community College",
    "Cambridge Rindge and Latin School", "Somerville High School", "UMass Boston",
)  # fmt: skip
_EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
_NOTES = (
    "Speaks Portuguese and Spanish; happy to translate flyers.",
    "Prefers text messages to calls.",
    "Met at the Harvard Square tabling; asked about refugee support.",
    "Has a car; can drive people to the lobby day.",
    "Would like to host a letter-writing night at home.",
    "Uses a wheelchair: check venue access before inviting.",
    "Retired teacher; good at facilitating meetings.",
    "Works nights; weekend events only.",
    "Interested in joining the death penalty team.",
    "Graphic designer; offered to make posters.",
    "Asked for information in Arabic.",
    "Came with a friend from the mosque's social justice committee.",
)
_REVIEW_REASONS = (
    "Handwriting unclear on the paper sign-in sheet: check the spelling of the name.",
    "Two family names given; ask which one the person uses.",
    "Signed the paper sheet twice with different emails; check which is current.",
)

_TAGS = (
    "refugee rights", "death penalty", "women's rights", "write-for-rights",
    "climate justice", "LGBTI rights", "indigenous rights", "freedom of expression",
    "torture", "individuals at risk", "racial justice", "police accountability",
    "children's rights", "gun violence", "volunteer: translation", "volunteer: design",
    "speaker", "newsletter",
)  # fmt: skip
_TAG_WEIGHTS = (12, 9, 8, 10, 9, 7, 4, 5, 3, 6, 6, 4, 3, 3, 2, 1, 1, 5)

_TIMES = tuple(f"{h:02d}:{m:02d}:00.000000" for h in range(12, 24) for m in range(0, 60, 5))

# Enum values as stored (the str_enum columns keep .value).
_STATUSES = ("member", "activist", "supporter", "prospect")
_LADDER = ("signed_up", "first_event", "regular", "takes_role", "leads")
_VIAS = ("personal_invitation", "tabling", "online_to_offline", "member_to_activist", "other")
_VIA_WEIGHTS = (25, 35, 20, 8, 12)
# Ladder weights per status, in _LADDER order.
_LADDER_WEIGHTS = {
    "prospect": (80, 20, 0, 0, 0),
    "supporter": (40, 45, 15, 0, 0),
    "member": (20, 35, 37, 6, 2),
    "activist": (0, 25, 55, 14, 6),
}
_STATUS_WEIGHTS_RECENT = (14, 10, 32, 44)  # joined within the last year
_STATUS_WEIGHTS_OLDER = (30, 18, 36, 16)
_SHARE_ADDRESS = {"member": 0.92, "activist": 0.8, "supporter": 0.6, "prospect": 0.3}
_SHARE_PHONE = {"member": 0.85, "activist": 0.85, "supporter": 0.6, "prospect": 0.55}

WINDOW_DAYS = 730  # events, sign-ins and the ledger cover the last two years
# Start hours in UTC: evening events at 7 pm in Boston (23:00 UTC, close enough all
# year); tabling and the lobby day in the daytime.
_START_HOUR = {"tabling": 15, "lobby_day": 14}
_OLDEST_JOIN_DAYS = 5500


# --------------------------------------------------------------------------------------
# Small fast helpers
# --------------------------------------------------------------------------------------


class _UidSource:
    """Random version-4 UUID strings, several times quicker than str(uuid.uuid4()).

    Deliberately unseeded (random.Random() seeds itself from the OS): uids must be
    unique across databases, even two demo databases made with the same seed.

    Big tables get their uids in ascending order (``ascending``): each value is
    still random, but the unique index on uid then grows by appending rather than
    by inserting all over the tree, which makes the people insert ~15% quicker.
    """

    _VARIANT: ClassVar[dict[str, str]] = {
        digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"
    }

    def __init__(self) -> None:
        self._random = random.Random()

    @classmethod
    def _format(cls, raw: str) -> list[str]:
        """32 hex digits per uid -> "8-4-4-4-12", with the version and variant set.

        Only digits 12 and 16 change, so the order of distinct 48-bit prefixes holds.
        """
        variant = cls._VARIANT
        return [
            f"{raw[i : i + 8]}-{raw[i + 8 : i + 12]}-4{raw[i + 13 : i + 16]}-"
            f"{variant[raw[i + 16]]}{raw[i + 17 : i + 20]}-{raw[i + 20 : i + 32]}"
            for i in range(0, len(raw), 32)
        ]

    def take(self, count: int) -> list[str]:
        return self._format(self._random.randbytes(16 * count).hex())

    def one(self) -> str:
        return self.take(1)[0]

    def ascending(self, count: int, part: int = 0, parts: int = 1) -> list[str]:
        """``count`` uids in ascending order, from the part-th of ``parts`` equal slices
        of the uuid space: calls for parts 0, 1, 2... continue the same ascending run."""
        width = (1 << 128) // parts
        low = part * width
        draw = self._random.getrandbits
        values = sorted(low + draw(128) % width for _ in range(count))
        return self._format("".join(f"{value:032x}" for value in values))


class _Days:
    """ISO strings of days relative to the reference day, precomputed once."""

    def __init__(self, today: date, earliest: int, latest: int) -> None:
        self.today = today
        self.earliest = earliest
        self._iso = [(today + timedelta(days=k)).isoformat() for k in range(earliest, latest + 1)]
        # For hot loops: by_offset[zero + offset] is iso(offset) without a call.
        self.by_offset = self._iso
        self.zero = -earliest

    def iso(self, offset: int) -> str:
        return self._iso[offset - self.earliest]

    def date(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def stamp(self, offset: int, time_of_day: str) -> str:
        """A UTC timestamp as SQLAlchemy stores DateTime on SQLite."""
        return f"{self._iso[offset - self.earliest]} {time_of_day}"


@dataclass(frozen=True)
class _Name:
    display: str
    ascii: str
    folded: str


@dataclass(frozen=True)
class _CulturePools:
    culture: _Culture
    # [script][gender] -> names; script 0 = as the culture writes them, 1 = romanised.
    given: tuple[tuple[tuple[_Name, ...], tuple[_Name, ...]], ...]
    family: tuple[tuple[tuple[_Name, ...], tuple[_Name, ...]], ...]
    preferred: tuple[tuple[_Name, ...], tuple[_Name, ...]]


def _name(display: str, roman: str | None = None) -> _Name:
    ascii_form = _ascii_name(roman if roman is not None else display)
    return _Name(display=display, ascii=ascii_form, folded=fold(display))


def _split(entry: str) -> tuple[str, str | None]:
    if "=" in entry:
        native, roman = entry.split("=", 1)
        return native, roman
    return entry, None


def _pools_for(culture: _Culture) -> _CulturePools:
    def both(entries: tuple[str, ...]) -> tuple[tuple[_Name, ...], tuple[_Name, ...]]:
        pairs = [_split(entry) for entry in entries]
        native = tuple(_name(n, r) for n, r in pairs)
        roman = tuple(_name(r if r is not None else n) for n, r in pairs)
        return native, roman

    given_f, given_m = both(culture.given_f), both(culture.given_m)
    family_f = both(culture.family_f)
    family_m = both(culture.family_m) if culture.family_m else family_f
    return _CulturePools(
        culture=culture,
        given=((given_f[0], given_m[0]), (given_f[1], given_m[1])),
        family=((family_f[0], family_m[0]), (family_f[1], family_m[1])),
        preferred=(
            tuple(_name(p) for p in culture.preferred_f),
            tuple(_name(p) for p in culture.preferred_m),
        ),
    )


class _Identity:
    """A name as one person writes it, with everything derived from it worked out once.

    Names come from pools, so a 100,000-person demo has only a few thousand distinct
    identities; folding and sort keys are computed per identity, not per person.

    ``names_folded`` is the names part of text.search_text, already folded with
    text.fold; a person's search_text is it plus their folded email, phone digits and
    postal code, joined with " | ". Folding each part on its own gives the same text
    as folding the whole: the parts are trimmed and nothing composes across " | ".
    ``_check_search_text`` recomputes a sample with text.search_text itself and stops
    the demo if the two ever disagree (if text.py changes and this is not changed).
    """

    __slots__ = (
        "email_locals", "family", "family_ascii", "given", "given_ascii", "names_folded",
        "nickname", "nickname_share", "preferred", "sort_key",
    )  # fmt: skip

    def __init__(self, given: _Name, family: _Name, preferred: _Name | None = None) -> None:
        self.given = given.display
        self.family = family.display
        self.preferred = preferred.display if preferred else ""
        g, f = given.folded, family.folded
        if preferred is None:
            self.names_folded = f"{g} {f}"
        else:
            self.names_folded = f"{g} {f} {preferred.folded}"
        self.sort_key = sort_key(given.display, family.display)
        self.given_ascii = given.ascii or "friend"
        self.family_ascii = family.ascii or "member"
        ga, fa = self.given_ascii, self.family_ascii
        self.email_locals = (f"{ga}.{fa}", f"{ga[0]}{fa}", f"{ga}{fa}", f"{fa}.{ga}")
        self.nickname: _Identity | None = None
        self.nickname_share = 0.0


class _NameBook:
    """Every culture's name combinations, made into identities on first use.

    Slots hold (script, gender, given index, family index); a culture written in its
    own script part of the time lists its native and romanised slots in that ratio,
    so one random number picks the script, the gender and both names.
    """

    def __init__(self) -> None:
        self.pools = [_pools_for(c) for c in _CULTURES]
        self.cumulative: list[float] = []
        total = 0.0
        for culture in _CULTURES:
            total += culture.weight
            self.cumulative.append(total)
        self.total = total
        self.specs: list[list[tuple[int, int, int, int]]] = []
        self.identities: list[list[_Identity | None]] = []
        for pools in self.pools:
            native = round(pools.culture.native_share * 10)
            repeats = [(0, native), (1, 10 - native)]
            divisor = math.gcd(native, 10 - native) or 1
            spec: list[tuple[int, int, int, int]] = []
            for script, times in repeats:
                for gender in (0, 1):
                    given = pools.given[script][gender]
                    family = pools.family[script][gender]
                    combos = [
                        (script, gender, gi, fi)
                        for gi in range(len(given))
                        for fi in range(len(family))
                    ]
                    spec.extend(combos * (times // divisor))
            self.specs.append(spec)
            self.identities.append([None] * len(spec))

    def make(self, culture: int, slot: int) -> _Identity:
        pools = self.pools[culture]
        script, gender, gi, fi = self.specs[culture][slot]
        given = pools.given[script][gender][gi]
        family = pools.family[script][gender][fi]
        identity = _Identity(given, family)
        nickname = _NICKNAMES.get(given.display)
        if nickname is not None:
            identity.nickname = _Identity(given, family, _name(nickname))
            identity.nickname_share = _NICKNAME_SHARE
        elif pools.culture.preferred_share:
            options = pools.preferred[gender]
            preferred = options[(gi * 7 + fi) % len(options)]
            identity.nickname = _Identity(given, family, preferred)
            identity.nickname_share = pools.culture.preferred_share
        self.identities[culture][slot] = identity
        return identity

    def showcase(self, rng: random.Random, people: int) -> dict[int, _Identity]:
        """A few people whose names every demo shows, however small: one per culture
        whose names have diacritics or another script, written that way. By index."""
        chosen: list[_Identity] = []
        for culture, pools in enumerate(self.pools):
            if pools.culture.key not in _SHOWCASE:
                continue
            native = [slot for slot, spec in enumerate(self.specs[culture]) if spec[0] == 0]
            slot = native[int(rng.random() * len(native))]
            chosen.append(self.identities[culture][slot] or self.make(culture, slot))
        if people <= len(chosen):
            return dict(enumerate(chosen[:people]))
        return {people * (k + 1) // (len(chosen) + 1): who for k, who in enumerate(chosen)}


def _check_search_text(row: Sequence[Any]) -> None:
    """Compare a composed search_text with text.search_text's own (see _Identity)."""
    values = dict(zip(PEOPLE_COLUMNS, row, strict=True))
    exact = search_text(
        given_name=values["given_name"],
        family_name=values["family_name"],
        preferred_name=values["preferred_name"],
        email=values["email"],
        phone=values["phone"],
        postal_code=values["postal_code"],
    )
    if exact != values["search_text"]:
        raise RuntimeError(
            "demo: search_text built from folded parts differs from text.search_text "
            f"({values['search_text']!r} != {exact!r}); update services/demo.py with text.py"
        )


# --------------------------------------------------------------------------------------
# Writing rows
# --------------------------------------------------------------------------------------


def _use_fast_path(conn: Connection) -> bool:
    """SQLite gets raw executemany and the trigger/index juggling; others plain Core.

    A function so that a test can send SQLite down the other path and compare.
    """
    return conn.dialect.name == "sqlite"


class _Loader:
    """Writes prepared row tuples: executemany on SQLite, Core statements elsewhere.

    Tuples are in SQLite's stored form (ISO date text, 0/1, enum values), ready for
    exec_driver_sql. Another database gets them converted back to Python values and
    sent through the table's Core insert or update, so its own types apply.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.fast = _use_fast_path(conn)
        self.counts: dict[str, int] = {}  # rows inserted per table
        self.updated: dict[str, int] = {}  # rows updated per table

    def read_existing(self) -> _Existing:
        """Next free ids and the reference rows the migration seeded."""
        conn = self.conn
        next_id = {
            table: int(
                conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").scalar_one()
            )
            for table in _ID_TABLES
        }
        tags = {
            str(name): int(tag_id)
            for tag_id, name in conn.exec_driver_sql("SELECT id, name FROM tags")
        }
        roles = {
            str(name): int(role_id)
            for role_id, name in conn.exec_driver_sql("SELECT id, name FROM role_types")
        }
        items = [
            (int(item_id), int(step), int(order))
            for item_id, step, order in conn.exec_driver_sql(
                "SELECT i.id, s.number, i.sort_order FROM charter_items i "
                "JOIN charter_steps s ON s.id = i.step_id ORDER BY s.number, i.sort_order"
            )
        ]
        return _Existing(next_id=next_id, tags=tags, role_types=roles, charter_items=items)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self.fast:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            self.conn.exec_driver_sql(sql, list(rows))
        else:
            target = Base.metadata.tables[table]
            self.conn.execute(insert(target), self._records(target, columns, rows))
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def update(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Set columns[:-1] on the row whose id is the last value of each tuple."""
        if not rows:
            return
        *changed, key = columns
        if self.fast:
            assignments = ", ".join(f"{name} = ?" for name in changed)
            sql = f"UPDATE {table} SET {assignments} WHERE {key} = ?"
            self.conn.exec_driver_sql(sql, list(rows))
        else:
            target = Base.metadata.tables[table]
            values: dict[str, Any] = {name: bindparam(name) for name in changed}
            if "updated_at" in target.c and "updated_at" not in values:
                # These touch-ups are part of making the row, not a later edit: keep
                # updated_at as inserted (Core would stamp "now"), as the SQLite path does.
                values["updated_at"] = target.c.updated_at
            statement = target.update().where(target.c[key] == bindparam("key_")).values(values)
            records = self._records(target, columns, rows)
            for record in records:
                record["key_"] = record.pop(key)
            self.conn.execute(statement, records)
        self.updated[table] = self.updated.get(table, 0) + len(rows)

    @staticmethod
    def _records(
        target: Table, columns: Sequence[str], rows: Sequence[Row]
    ) -> list[dict[str, Any]]:
        converters = [_from_sqlite_form(target.c[name].type) for name in columns]
        return [
            {
                name: convert(value)
                for name, convert, value in zip(columns, converters, row, strict=True)
            }
            for row in rows
        ]

    def sync_sequences(self) -> None:
        """PostgreSQL: explicit ids leave SERIAL sequences behind; move them on."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in self.counts:
            if table in Base.metadata.tables and "id" in Base.metadata.tables[table].c:
                self.conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )


def _from_sqlite_form(column_type: sqltypes.TypeEngine[Any]) -> Callable[[Any], Any]:
    def keep(value: Any) -> Any:
        return value

    if isinstance(column_type, sqltypes.TypeDecorator):
        impl = column_type.impl_instance
        if isinstance(impl, sqltypes.DateTime):
            return lambda v: None if v is None else datetime.fromisoformat(v).replace(tzinfo=UTC)
        column_type = impl
    if isinstance(column_type, sqltypes.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column_type, sqltypes.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(column_type, sqltypes.Boolean):
        return lambda v: None if v is None else bool(v)
    return keep


# --------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------

PEOPLE_COLUMNS: tuple[str, ...] = (
    "id", "given_name", "family_name", "preferred_name", "email", "email_key", "phone",
    "address_line1", "address_line2", "city", "region", "postal_code", "country", "status",
    "dues_paid_through", "dues_waived", "school", "graduation_year", "joined_via",
    "joined_on", "invited_by_id", "ladder_stage", "email_ok", "phone_ok", "mail_ok",
    "do_not_contact", "notes", "needs_review", "review_reason", "search_text", "sort_key",
    "removed_at", "erased_at", "origin_laptop", "source", "import_batch_id", "uid",
    "created_at", "updated_at",
)  # fmt: skip
_P = {name: index for index, name in enumerate(PEOPLE_COLUMNS)}

# Tables whose next free id is read before planning, so rows can point at each other.
_ID_TABLES = (
    "import_batches", "people", "tags", "role_assignments", "campaigns", "events",
    "sign_ins", "follow_ups", "urgent_actions", "ua_addressees", "ua_updates",
    "letters_written", "trainers", "trainings", "training_signups", "ledger_entries",
    "dues_payments", "donations", "remittances", "event_budget_lines", "organisations",
    "outreach_contacts", "import_changes", "merged_bundles", "review_items",
)  # fmt: skip


@dataclass(frozen=True)
class _Existing:
    """What the database holds before the demo: next ids and reference rows."""

    next_id: Mapping[str, int]
    tags: Mapping[str, int]
    role_types: Mapping[str, int]
    charter_items: Sequence[tuple[int, int, int]]  # (id, step number, sort order)


@dataclass(frozen=True)
class _Batch:
    """Rows for one table; with ``update``, values to set by id (the last column)."""

    stage: str
    table: str
    columns: tuple[str, ...]
    rows: list[Row]
    update: bool = False


@dataclass
class _EventPlan:
    offset: int  # day relative to the reference day
    kind: str
    id: int = 0
    title: str = ""
    starts_at: str = ""
    cancelled: bool = False


@dataclass
class _People:
    """What later stages need to know about the people, by index (id = first_id + index)."""

    first_id: int = 1
    rows: list[Row] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)  # day offset, ascending with id
    lives: list[Row] = field(default_factory=list)  # see _lives
    usable: list[bool] = field(default_factory=list)  # not erased, not in the trash
    # From lives, once all people are made (see finish):
    status: list[str] = field(default_factory=list)
    ladder: list[str] = field(default_factory=list)
    student: list[bool] = field(default_factory=list)

    def finish(self) -> None:
        status, ladder, student = _LIFE["status"], _LIFE["ladder"], _LIFE["student"]
        self.status = [life[status] for life in self.lives]
        self.ladder = [life[ladder] for life in self.lives]
        self.student = [life[student] for life in self.lives]


class _Builder:
    """Plans and writes the whole demo; one instance per run.

    The people are produced in chunks by ``people_chunks``; everything else by
    ``plan_rest``, from the people already made. Neither touches the database, so
    either can run on a helper thread while SQLite works (see ``write_all``).
    """

    def __init__(self, *, people: int, seed: int, today: date, laptop: str) -> None:
        self.n = people
        self.seed = seed
        self.today = today
        self.laptop = laptop
        self.uids = _UidSource()
        self.other_laptop = self.uids.one()  # a second kiosk laptop, for the bundle
        self.days = _Days(today, -_OLDEST_JOIN_DAYS - 400, WINDOW_DAYS + 800)
        self.people = _People()
        self.events: list[_EventPlan] = []
        self.bundle_event: _EventPlan | None = None
        self.bundle_file = ""
        self.import_file = f"tabling-sheet-{today.year - 1}-09.csv"
        self.import_batch_id = 1
        # Set when the demo made the group's profile: what the treasurer found in the
        # accounts when the demo's ledger begins (a profile made before is left alone).
        self.opening_balances: tuple[int, int] | None = None
        self.duplicate_pair: tuple[int, int] | None = None
        self.role_holders: dict[str, int] = {}
        self.past_holders: list[tuple[str, int]] = []
        self.timings: dict[str, float] = {}
        self._plan_events()

    def start_people(self) -> None:
        """Make the first chunk of people, before the transaction (see generate_demo).

        People are numbered from 1: the demo only runs on a database without people,
        and write_all checks inside the transaction that the table is still empty.
        """
        self._chunks = self.people_chunks()
        self._first_chunk = next(self._chunks)

    def rng(self, stage: str) -> random.Random:
        """One generator per stage, so changing one stage leaves the others' data alone."""
        return random.Random(f"{self.seed}:{stage}")

    def person_id(self, index: int) -> int:
        return self.people.first_id + index

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    # -- writing: the pipeline -----------------------------------------------------------

    def write_all(self, loader: _Loader) -> Iterator[DemoProgress]:
        """Write everything in the caller's transaction, using two cores where it pays.

        Python makes rows and SQLite stores them, and both are busy for seconds at
        100,000 people. SQLite's long single statements (indexing a chunk of people for
        search, rebuilding an index) run without the GIL, so while the main thread runs
        one, a helper thread makes the next chunk of people, and at the end all the
        other tables' rows. Rows are only ever inserted while the helper is idle: two
        threads wanting the GIL at once would slow the inserts badly. Progress is only
        yielded while the helper is idle, so closing the generator never leaves it behind.
        """
        existing = loader.read_existing()
        if existing.next_id["people"] != self.people.first_id:
            raise RuntimeError("demo: people were numbered for an empty table")
        self.import_batch_id = existing.next_id["import_batches"]
        if self.opening_balances is not None:
            bank, cash = self.opening_balances
            loader.conn.execute(
                text("UPDATE group_profile SET opening_balance_cents = :bank, "
                     "opening_cash_cents = :cash"),
                {"bank": bank, "cash": cash},
            )  # fmt: skip
        loader.insert(
            "import_batches",
            ("id", "uid", "file_name", "file_sha256", "imported_at", "rows", "added",
             "matched", "updated", "rejected", "undone_at"),
            [(self.import_batch_id, self.uids.one(), self.import_file,
              f"{self.rng('sha256').getrandbits(256):064x}",
              self.days.stamp(-400, "20:15:00.000000"), 0, 0, 0, 0, 0, None)],
        )  # fmt: skip
        load = _PeopleLoad(loader)
        load.begin()
        chunks, chunk = self._chunks, self._first_chunk
        chunk_count = -(-self.n // PEOPLE_CHUNK)
        yield DemoProgress("people", 0, self.n)
        done = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-demo") as helper:
            for number in range(chunk_count):
                started = time.perf_counter()
                loader.insert("people", PEOPLE_COLUMNS, chunk)
                self._timed("people_insert", started)
                first_id, last_id = chunk[0][0], chunk[-1][0]
                done += len(chunk)
                yield DemoProgress("people", done, self.n)
                upcoming: Future[Any]
                if number + 1 < chunk_count:
                    upcoming = helper.submit(next, chunks)
                else:
                    upcoming = helper.submit(self.plan_rest, existing)
                started = time.perf_counter()
                load.index(first_id, last_id)
                self._timed("search_index", started)
                if number + 1 < chunk_count:
                    started = time.perf_counter()
                    chunk = upcoming.result()
                    self._timed("helper_wait", started)
            started = time.perf_counter()
            load.finish()
            self._timed("people_indexes", started)
            started = time.perf_counter()
            batches: list[_Batch] = upcoming.result()
            self._timed("helper_wait", started)
        yield DemoProgress("search index", 1, 1)
        stages = list(dict.fromkeys(batch.stage for batch in batches))
        started = time.perf_counter()
        for position, stage in enumerate(stages):
            for batch in batches:
                if batch.stage != stage:
                    continue
                if batch.update:
                    loader.update(batch.table, batch.columns, batch.rows)
                else:
                    loader.insert(batch.table, batch.columns, batch.rows)
            yield DemoProgress(stage, position + 1, len(stages))
        loader.sync_sequences()
        self._timed("other_insert", started)

    # -- events plan (before people: tabling days decide when tabling joiners joined) --

    def _plan_events(self) -> None:
        rng = self.rng("events")
        rand = rng.random
        count = min(400, max(20, self.n // 500))
        kinds = (
            "meeting", "tabling", "letter_writing", "vigil", "training", "social",
            "lobby_day", "other",
        )  # fmt: skip
        kind_cum = list(accumulate((30, 22, 16, 8, 6, 8, 4, 6)))
        plans: list[_EventPlan] = []
        for index in range(count):
            # Every kind at least once in the past and once ahead; then by frequency.
            if index < 2 * len(kinds):
                kind = kinds[index % len(kinds)]
            else:
                kind = kinds[bisect(kind_cum, rand() * kind_cum[-1])]
            if index < len(kinds):
                offset = -int(rand() * (WINDOW_DAYS - 30)) - 7
            elif index < 2 * len(kinds):
                offset = int(rand() * 90) + 3
            else:
                offset = -int(rand() * WINDOW_DAYS) if rand() < 0.86 else int(rand() * 90) + 1
            plans.append(_EventPlan(offset=offset, kind=kind))
        # In the order they happen, so that first_time goes to a person's first event.
        plans.sort(key=lambda e: (e.offset, _START_HOUR.get(e.kind, 23), e.kind))
        self.events = plans
        past_tabling = [e for e in plans if e.kind == "tabling" and e.offset < -3]
        if past_tabling:
            self.bundle_event = past_tabling[-1]
            self.bundle_file = f"kiosk-signups-{self.days.iso(self.bundle_event.offset)}.gdbundle"

    # -- people ---------------------------------------------------------------------------

    def people_chunks(self) -> Iterator[list[Row]]:
        """The people, PEOPLE_CHUNK rows at a time, in id order.

        The demo's hottest Python, so each person costs as few steps as possible:
        names come from cached identities, street addresses and phone numbers from
        lists made once, and everything about a person's life that does not depend on
        who they are (status, ladder, consent, which contact details they gave, a note)
        from a pool of "lives" drawn with the same probabilities (_lives). At 100,000
        people each life is shared by a dozen people whose names, contact details
        and dates all differ.
        """
        started = time.perf_counter()
        rng = self.rng("people")
        rand = rng.random
        n = self.n

        # Join days: a two-year surge of recruiting plus fifteen years of history;
        # tabling joiners in the window joined on the day of a tabling event. Day and
        # way of joining are packed into one int (day * 8 + way) so a plain int sort
        # orders people by the day they joined.
        tabling_days = sorted(
            e.offset for e in self.events if e.kind == "tabling" and e.offset <= 0
        )
        window_start = -WINDOW_DAYS
        history = _OLDEST_JOIN_DAYS - WINDOW_DAYS
        tabling = _VIAS.index("tabling")
        ways = rng.choices(range(len(_VIAS)), weights=_VIA_WEIGHTS, k=n)
        keys = [
            (
                -int(rand() * WINDOW_DAYS)
                if rand() < 0.55
                else -WINDOW_DAYS - 1 - int(rand() * history)
            )
            * 8
            + way
            for way in ways
        ]
        if tabling_days:
            for i, key in enumerate(keys):
                if key & 7 == tabling and key >> 3 >= window_start:
                    at = bisect_right(tabling_days, key >> 3)
                    keys[i] = (tabling_days[at - 1] if at else tabling_days[0]) * 8 + tabling
        keys.sort()

        book = _NameBook()
        culture_cum, culture_total = book.cumulative, book.total
        identities, make_identity = book.identities, book.make
        place_cum = list(accumulate(place[3] for place in _PLACES))
        place_total = place_cum[-1]
        pool_size = min(n, 4096)
        lives_recent = _lives(rng, pool_size, recent=True)
        lives_older = _lives(rng, pool_size, recent=False)
        lives_activist = _lives(rng, min(pool_size, 512), recent=False, activist=True)
        activist_count = len(lives_activist)
        # However few the people, a few rarer lives are always there to see.
        forced = _rare_lives(lives_older[0], n)
        showcase = book.showcase(rng, n)
        vias = _VIAS
        member_to_activist = _VIAS.index("member_to_activist")
        personal_invitation = _VIAS.index("personal_invitation")
        domains = _EMAIL_DOMAINS
        times = _TIMES
        time_count = len(times)
        iso, zero = self.days.by_offset, self.days.zero
        # Every street address a person can get, made once.
        street_addresses = [f"{number} {street}" for number in range(1, 481) for street in _STREETS]
        address_count = len(street_addresses)
        taken_emails: set[str] = set()
        last_suffix: dict[str, int] = {}
        inviters: list[int] = []
        laptop, other_laptop = self.laptop, self.other_laptop
        bundle_day = self.bundle_event.offset if self.bundle_event else None
        bundle_source = f"bundle: {self.bundle_file}" if self.bundle_file else ""
        # A person or so in 20,000 asked for their data to be erased (none in tiny demos).
        erase_every = n // max(1, n // 20_000) if n >= 50 else 0
        erase_at = erase_every // 2
        # The duplicate to review: an older member with accents in their name, and
        # a kiosk newcomer from the other laptop typed without them (_lookalike_of).
        lookalike: int | None = None
        lookalike_row: Row = ()
        lookalike_before = bundle_day - 365 if bundle_day is not None else None
        check_every = 257  # compare ~0.4% of search_text values with text.search_text
        chunk_count = -(-n // PEOPLE_CHUNK)

        p = self.people
        first_id = p.first_id
        life_of, usable_of = p.lives, p.usable
        p.joined = [key >> 3 for key in keys]
        self._timed("people_generate", started)

        for chunk_start in range(0, n, PEOPLE_CHUNK):
            started = time.perf_counter()
            chunk: list[Row] = []
            uids = self.uids.ascending(
                min(PEOPLE_CHUNK, n - chunk_start), chunk_start // PEOPLE_CHUNK, chunk_count
            )
            for index in range(chunk_start, min(n, chunk_start + PEOPLE_CHUNK)):
                person_id = first_id + index
                key = keys[index]
                offset, way = key >> 3, key & 7
                culture = bisect(culture_cum, rand() * culture_total)
                slots = identities[culture]
                slot = int(rand() * len(slots))
                who = slots[slot] or make_identity(culture, slot)
                if who.nickname is not None and rand() < who.nickname_share:
                    who = who.nickname
                if index in showcase:
                    who = showcase[index]
                if index in forced:
                    life = forced[index]
                elif way == member_to_activist:
                    life = lives_activist[int(rand() * activist_count)]
                elif offset > -365:
                    life = lives_recent[int(rand() * pool_size)]
                else:
                    life = lives_older[int(rand() * pool_size)]
                (
                    status, ladder, has_email, email_shape, capital, address, line2,
                    has_phone, local_phone, pays, dues_current, waived, _student, school,
                    graduation, do_not_contact, email_ok, phone_ok, mail_ok, notes,
                    needs_review, review_reason, removed, may_invite,
                ) = life  # fmt: skip

                email = email_key_ = ""
                if has_email:
                    if email_shape < 4:
                        local = who.email_locals[email_shape]
                    elif email_shape == 4:
                        local = f"{who.given_ascii}_{who.family_ascii}{int(rand() * 90) + 10}"
                    else:
                        local = f"{who.given_ascii}{int(rand() * 60) + 40}"
                    domain = domains[int(rand() * 3)]
                    email = f"{local}@{domain}"
                    if email in taken_emails:
                        # Common names: the next free number for this address, counted
                        # per address rather than probed one by one (James Smith is
                        # common enough to make probing the slowest step here).
                        base = email
                        suffix = last_suffix.get(base, 1)
                        while email in taken_emails:
                            suffix += 1 + int(rand() * 3)
                            email = f"{local}{suffix}@{domain}"
                        last_suffix[base] = suffix
                    taken_emails.add(email)
                    email_key_ = email_key(email)
                    if capital:  # typed with a capital; email_key is what compares
                        email = email.capitalize()

                place = _PLACES[bisect(place_cum, rand() * place_total)]
                line1 = city = region = postal = country = ""
                if address:  # 1: a full address; 2: just the ZIP code, as kiosks ask
                    city, region, country = place[0], "MA", "US"
                    postal = place[1][int(rand() * len(place[1]))]
                    if address == 1:
                        line1 = street_addresses[int(rand() * address_count)]

                phone = ""
                if has_phone:
                    areas = place[2] if local_phone else _AREA_CODES
                    phone = f"+1{areas[int(rand() * len(areas))]}555{int(rand() * 10_000):04d}"

                dues_through: str | None = None
                if pays:
                    if dues_current or offset > -366:
                        start = offset if offset > -364 else -364  # paid within the year
                        dues_through = iso[zero + start + int(rand() * (1 - start)) + 365]
                    else:
                        earliest = offset if offset > -1265 else -1265  # lapsed
                        dues_through = iso[zero - 1 - int(rand() * (-365 - earliest))]

                invited_by: int | None = None
                if way == personal_invitation and inviters:
                    invited_by = inviters[int(rand() * len(inviters))]
                if may_invite:
                    inviters.append(person_id)

                removed_at: str | None = None
                if removed:
                    removed_at = (
                        f"{iso[zero - int(rand() * 200)]} {times[int(rand() * time_count)]}"
                    )

                origin, source = laptop, ""
                if way == tabling and offset >= window_start:
                    if offset == bundle_day and index % 2:
                        origin, source = other_laptop, bundle_source
                    else:
                        source = "kiosk"

                text = who.names_folded
                if email:
                    text = f"{text} | {email_key_}"  # demo emails are ASCII: fold() is casefold()
                if phone:
                    text = f"{text} | {phone[1:]}"  # E.164 "+1617..." -> its digits
                if postal:
                    text = f"{text} | {postal}"
                joined_on = iso[zero + offset]
                if graduation is not None:
                    graduation += int(joined_on[:4])
                created = f"{joined_on} {times[int(rand() * time_count)]}"
                row = (
                    person_id, who.given, who.family, who.preferred, email, email_key_, phone,
                    line1, line2, city, region, postal, country, status, dues_through, waived,
                    school, graduation, vias[way], joined_on, invited_by, ladder, email_ok,
                    phone_ok, mail_ok, do_not_contact, notes, needs_review, review_reason,
                    text, who.sort_key, removed_at, None, origin, source, None,
                    uids[index - chunk_start], created, created,
                )  # fmt: skip

                # The few special people are rewritten here, before they are stored.
                usable = removed_at is None
                if erase_every and index % erase_every == erase_at and offset < window_start:
                    row = _erased(row, f"{iso[zero - int(rand() * 300)]} 12:00:00.000000")
                    usable = False
                elif lookalike is not None:
                    if self.duplicate_pair is None and origin == other_laptop:
                        row = self._lookalike_of(lookalike_row, row, taken_emails)
                        self.duplicate_pair = (index, lookalike)
                elif (
                    lookalike_before is not None
                    and offset < lookalike_before
                    and phone
                    and usable
                    and not who.given.isascii()
                    and _plain(f"{who.given} {who.family}").isascii()
                ):
                    lookalike, lookalike_row = index, row
                if index % check_every == 0:
                    _check_search_text(row)
                chunk.append(row)
                life_of.append(life)
                usable_of.append(usable)
            p.rows.extend(chunk)
            self._timed("people_generate", started)
            yield chunk

    def _lookalike_of(self, older: Row, newcomer: Row, taken: set[str]) -> Row:
        """A kiosk newcomer typed without accents, with the older member's phone."""
        given, family = _plain(older[_P["given_name"]]), _plain(older[_P["family_name"]])
        local = f"{_ascii_name(given)}.{_ascii_name(family)}.work"
        email = f"{local}@example.net"
        suffix = 2
        while email in taken:
            email, suffix = f"{local}{suffix}@example.net", suffix + 1
        taken.add(email)
        values = dict(zip(PEOPLE_COLUMNS, newcomer, strict=True))
        values.update(
            given_name=given, family_name=family, preferred_name="", email=email,
            phone=older[_P["phone"]],
        )  # fmt: skip
        return _with_derived(values)

    # -- everything else ----------------------------------------------------------------

    def plan_rest(self, existing: _Existing) -> list[_Batch]:
        """Rows for every other table, in an order that satisfies the foreign keys."""
        started = time.perf_counter()
        self.people.finish()
        ids = dict(existing.next_id)
        out: list[_Batch] = []
        self._plan_roles(ids, existing, out)
        self._plan_import(ids, out)
        self._plan_tags(ids, existing, out)
        self._plan_campaigns(ids, out)
        self._plan_events_rows(ids, out)
        self._plan_sign_ins(ids, out)
        self._plan_urgent_actions(ids, out)
        self._plan_charter(existing, out)
        self._plan_trainings(ids, out)
        self._plan_money(ids, out)
        self._plan_outreach(ids, out)
        self._plan_samples(ids, out)
        self._timed("other_generate", started)
        return out

    def _plan_roles(self, ids: dict[str, int], existing: _Existing, out: list[_Batch]) -> None:
        """Current holders of every built-in role, and some who held one before."""
        rng = self.rng("roles")
        p = self.people
        seasoned = [
            i
            for i in range(self.n)
            if p.usable[i]
            and p.joined[i] < -365
            and (p.status[i] == "activist" or p.status[i] == "member")
            and p.rows[i][_P["email"]]
        ]
        if len(seasoned) < len(BUILTIN_ROLES) + 7:
            seasoned = [i for i in range(self.n) if p.usable[i]] or list(range(self.n))
        rng.shuffle(seasoned)
        needed = len(BUILTIN_ROLES) + len(BUILTIN_ROLES[::2])
        take = iter(seasoned * (1 + needed // len(seasoned)))
        for role in BUILTIN_ROLES:
            self.role_holders[role] = next(take)
        for role in BUILTIN_ROLES[::2]:  # some roles changed hands: ended terms
            self.past_holders.append((role, next(take)))
        coordinator = self.role_holders["Group Coordinator"]
        changes: dict[int, str] = {}
        for _, index in self.past_holders:
            changes[index] = "regular" if p.ladder[index] in _LADDER[:2] else p.ladder[index]
        for index in self.role_holders.values():
            changes[index] = "leads" if index == coordinator else "takes_role"
        for index, stage in changes.items():
            p.ladder[index] = stage
        out.append(
            _Batch(
                "tags and roles",
                "people",
                ("ladder_stage", "do_not_contact", "id"),
                [(stage, 0, self.person_id(index)) for index, stage in changes.items()],
                update=True,
            )
        )
        rows: list[Row] = []
        stamp = self.days.stamp(-1, "18:00:00.000000")
        term_start: dict[str, int] = {}
        roles = existing.role_types
        for role, index in self.role_holders.items():
            if role not in roles:
                continue
            start = -int(rng.random() * 900) - 30
            term_start[role] = start
            notes = "Also keeps the group's email inbox." if role == "Secretary" else ""
            rows.append(
                (ids["role_assignments"] + len(rows), self.uids.one(), self.person_id(index),
                 roles[role], self.days.iso(start), None, notes, stamp, stamp)
            )  # fmt: skip
        for role, index in self.past_holders:
            if role not in roles:
                continue
            end = term_start.get(role, -400) - 1
            start = end - 365 * (1 + int(rng.random() * 3))
            rows.append(
                (ids["role_assignments"] + len(rows), self.uids.one(), self.person_id(index),
                 roles[role], self.days.iso(start), self.days.iso(end),
                 "Handed over at the annual meeting.", stamp, stamp)
            )  # fmt: skip
        out.append(
            _Batch(
                "tags and roles",
                "role_assignments",
                ("id", "uid", "person_id", "role_type_id", "start_date", "end_date", "notes",
                 "created_at", "updated_at"),
                rows,
            )
        )  # fmt: skip

    def _plan_import(self, ids: dict[str, int], out: list[_Batch]) -> None:
        """About 1% of people (at least 3) came from one spreadsheet imported last year.

        Only source and import_batch_id change, neither of which is searched, so this
        can be an UPDATE after the people (and their search index) are in.
        """
        rng = self.rng("import")
        p = self.people
        lo, hi = bisect(p.joined, -730), bisect(p.joined, -400)
        source_at = _P["source"]
        candidates = [i for i in range(lo, hi) if p.usable[i] and not p.rows[i][source_at]]
        if len(candidates) < 3:
            candidates = [i for i in range(self.n) if p.usable[i] and not p.rows[i][source_at]]
        self.import_people = sorted(
            rng.sample(candidates, min(len(candidates), max(3, self.n // 100)))
        )
        source = f"import: {self.import_file}"
        out.append(
            _Batch(
                "tags and roles",
                "people",
                ("source", "import_batch_id", "id"),
                [(source, self.import_batch_id, self.person_id(i)) for i in self.import_people],
                update=True,
            )
        )
        added = len(self.import_people)
        out.append(
            _Batch(
                "tags and roles",
                "import_batches",
                ("rows", "added", "matched", "updated", "rejected", "id"),
                [(added + 6, added, 4, 2, 2, self.import_batch_id)],
                update=True,
            )
        )

    def _plan_tags(self, ids: dict[str, int], existing: _Existing, out: list[_Batch]) -> None:
        rng = self.rng("tags")
        rand = rng.random
        year = self.today.year
        names = [*_TAGS, f"tabling-{year - 1}", f"tabling-{year}"]
        new = [name for name in names if name not in existing.tags]
        rows = [(ids["tags"] + i, name) for i, name in enumerate(new)]
        out.append(_Batch("tags and roles", "tags", ("id", "name"), rows))
        tag_ids = {**existing.tags, **{name: tag_id for tag_id, name in rows}}
        interest = [tag_ids[name] for name in _TAGS]
        cumulative = list(accumulate(_TAG_WEIGHTS))
        total = cumulative[-1]
        tabling_tag = {year - 1: tag_ids[f"tabling-{year - 1}"], year: tag_ids[f"tabling-{year}"]}
        # Tabling joiners are tagged with the year: day offsets from the year's start.
        new_year = (date(year, 1, 1) - self.today).days
        last_year = (date(year - 1, 1, 1) - self.today).days
        p = self.people
        via_at, erased_at = _P["joined_via"], _P["erased_at"]
        first = p.first_id
        links: list[Row] = []
        append = links.append
        for index, row in enumerate(p.rows):
            if row[erased_at] is not None:
                continue
            person = first + index
            r = rand()
            if r < 0.25:
                a = interest[bisect(cumulative, rand() * total)]
                append((person, a))
                if r < 0.08:
                    b = interest[bisect(cumulative, rand() * total)]
                    if b != a:
                        append((person, b))
            if row[via_at] == "tabling":
                joined = p.joined[index]
                if joined >= new_year:
                    append((person, tabling_tag[year]))
                elif joined >= last_year:
                    append((person, tabling_tag[year - 1]))
        out.append(_Batch("tags and roles", "person_tags", ("person_id", "tag_id"), links))

    # -- campaigns, events, sign-ins, follow-ups ------------------------------------------

    def _plan_campaigns(self, ids: dict[str, int], out: list[_Batch]) -> None:
        year = self.today.year
        specs = [
            (f"Write for Rights {year}", True, year, "12-01", "12-31",
             "The global letter-writing marathon around Human Rights Day."),
            (f"Write for Rights {year - 1}", True, year - 1, "12-01", "12-31",
             "Last year's letter-writing marathon."),
            ("Abolish the Death Penalty", True, year, "01-01", "12-31",
             "Work towards abolition, state by state and worldwide."),
            ("Refugee and Migrant Rights", True, year - 1, "01-01", "12-31",
             "Safe routes, fair asylum hearings, an end to detention of children."),
            ("Protect the Protest", False, year, "03-01", "11-30",
             "Defend the right to peaceful protest."),
            ("Climate Justice", False, year, "04-22", "11-15",
             "Human rights at the heart of climate action."),
            ("My Body, My Rights", False, year - 1, "03-08", "10-31",
             "Sexual and reproductive rights for everyone."),
            ("Stop Torture", False, year - 2, "06-26", "12-31",
             "An end to torture and ill-treatment in custody."),
        ]  # fmt: skip
        rows = [
            (ids["campaigns"] + i, self.uids.one(), name, 1 if priority else 0, y,
             f"{y}-{start}", f"{y}-{end}", description)
            for i, (name, priority, y, start, end, description) in enumerate(specs)
        ]  # fmt: skip
        self.campaign_ids = [row[0] for row in rows]
        out.append(
            _Batch(
                "events",
                "campaigns",
                ("id", "uid", "name", "priority", "year", "starts_on", "ends_on", "description"),
                rows,
            )
        )

    def _plan_events_rows(self, ids: dict[str, int], out: list[_Batch]) -> None:
        rng = self.rng("event details")
        rand = rng.random
        places = (
            "Cambridge Public Library, 449 Broadway",
            "Central Square, Massachusetts Ave at Prospect St",
            "Harvard Square, in front of the Coop",
            "Union Square farmers market, Somerville",
            "St. Brigid parish hall, 14 Elm St",
            "Community room, 5 Inman St",
            "Massachusetts State House, Boston",
            "Davis Square, Somerville",
            "Online (video call)",
        )
        campaign_for = {
            "letter_writing": self.campaign_ids[0],
            "vigil": self.campaign_ids[2],
            "lobby_day": self.campaign_ids[3],
        }
        upcoming = [e for e in self.events if e.offset > 5]
        to_cancel = next(
            (e for e in upcoming if e.kind in ("social", "other", "vigil")),
            upcoming[-1] if upcoming else None,
        )
        rows: list[Row] = []
        stamp = self.days.stamp(-1, "18:00:00.000000")
        for index, plan in enumerate(self.events):
            plan.id = ids["events"] + index
            day = self.days.date(plan.offset)
            month = day.strftime("%B %Y")
            kind = plan.kind
            hour, length = _START_HOUR.get(kind, 23), 2
            place = places[0]
            description = minutes = ""
            if kind == "meeting":
                title = f"Monthly meeting, {month}"
                place = places[int(rand() * 2) * 5]
                description = "Open meeting: campaign updates, Urgent Actions, planning."
                if plan.offset < 0:
                    minutes = (
                        "Decisions: sign on to the priority campaign; hold a letter-writing "
                        f"night next month; treasurer's report accepted ({month})."
                    )
            elif kind == "tabling":
                spot = places[1 + int(rand() * 3)]
                title, place, length = f"Tabling: {spot.split(',')[0]}", spot, 4
                description = "Sign-up kiosk, petitions and postcards."
            elif kind == "letter_writing":
                title = "Letter-writing night" if rand() < 0.6 else "Write for Rights marathon"
                description = "Urgent Action letters; paper, envelopes and stamps provided."
            elif kind == "vigil":
                title, place = "Candlelight vigil against the death penalty", places[2]
            elif kind == "training":
                title = "Training: Activism 101"
                description = "For new members: how the group works and how to take action."
            elif kind == "social":
                title = ("Potluck and film night", "Summer picnic", "Benefit concert")[
                    int(rand() * 3)
                ]
                place = places[4]
            elif kind == "lobby_day":
                title, place, length = "State House lobby day", places[6], 6
            else:
                title = ("Film screening and discussion", "Panel: human rights at home")[
                    int(rand() * 2)
                ]
                place = places[int(rand() * len(places))]
            campaign = campaign_for.get(kind) if rand() < 0.8 else None
            if campaign is None and rand() < 0.15:
                campaign = self.campaign_ids[4 + int(rand() * 4)]
            plan.cancelled = plan is to_cancel
            expected = {"tabling": 80, "vigil": 40, "lobby_day": 15}.get(kind, 25)
            starts = f"{day.isoformat()} {hour:02d}:00:00.000000"
            ends = f"{day.isoformat()} {min(hour + length, 23):02d}:59:00.000000"
            plan.title, plan.starts_at = title, starts
            rows.append(
                (plan.id, self.uids.one(), kind, title, starts, ends, place, campaign,
                 description, expected, minutes, int(plan.cancelled), self.laptop, stamp, stamp)
            )  # fmt: skip
        out.append(
            _Batch(
                "events",
                "events",
                ("id", "uid", "kind", "title", "starts_at", "ends_at", "place", "campaign_id",
                 "description", "expected_attendance", "minutes", "cancelled", "origin_laptop",
                 "created_at", "updated_at"),
                rows,
            )
        )  # fmt: skip

    def _plan_sign_ins(self, ids: dict[str, int], out: list[_Batch]) -> None:
        """Who came: regulars, recent joiners, and at tabling the people who joined there.

        first_time marks a person's first event, for people who joined within the two
        recorded years; older members' first events predate the records.
        """
        rng = self.rng("sign-ins")
        rand = rng.random
        p = self.people
        n = self.n
        scale = max(1.0, (n / 1000) ** 0.25)  # bigger lists, bigger events
        sizes = {
            "meeting": (8, 30), "tabling": (10, 45), "letter_writing": (6, 25),
            "vigil": (10, 60), "training": (6, 20), "social": (8, 30),
            "lobby_day": (4, 15), "other": (8, 40),
        }  # fmt: skip
        regular_stages = ("regular", "takes_role", "leads")
        regulars = [i for i in range(n) if p.usable[i] and p.ladder[i] in regular_stages]
        engaged = [i for i in range(n) if p.usable[i] and p.ladder[i] != "signed_up"]
        engaged_joined = [p.joined[i] for i in engaged]
        regular_joined = [p.joined[i] for i in regulars]
        via_at, origin_at = _P["joined_via"], _P["origin_laptop"]
        window_start = -WINDOW_DAYS
        newcomers: dict[int, list[int]] = {}
        for i in range(bisect(p.joined, window_start), n):
            if p.rows[i][via_at] == "tabling" and p.usable[i]:
                newcomers.setdefault(p.joined[i], []).append(i)
        interests = _PROFILE.kiosk_interests
        how_heard = (
            "Walked past the table", "A friend brought me", "Instagram", "Saw a flyer",
            "Campus club fair", "Newsletter", "Came to the vigil",
        )  # fmt: skip
        consent = group_service.DEFAULT_CONSENT_TEXT
        seen: set[int] = set()
        sign_ins: list[Row] = []
        follow_ups: list[Row] = []
        next_sign_in, next_follow_up = ids["sign_ins"], ids["follow_ups"]
        follow_kinds = ("welcome_email", "welcome_email", "call", "call", "coffee", "one_to_one")
        assigners = [
            self.person_id(self.role_holders[r])
            for r in ("Recruitment/Membership", "Group Coordinator", "Outreach", "Secretary")
        ]
        outcomes = (
            "Called; coming to the next meeting.",
            "Left a voicemail.",
            "Coffee on Saturday; wants to help with tabling.",
            "Sent the welcome email with the meeting dates.",
            "Interested in the death penalty team; introduced to the coordinator.",
        )
        days, uids = self.days, self.uids
        laptop, other_laptop = self.laptop, self.other_laptop
        self.bundle_sign_ins = 0
        for plan in self.events:
            if plan.offset >= 0 or plan.cancelled:
                continue
            lo, hi = sizes[plan.kind]
            size = int((lo + rand() * (hi - lo)) * scale)
            attendees: list[int] = []
            staff = regulars[: bisect(regular_joined, plan.offset)]
            if plan.kind == "tabling":
                attendees.extend(newcomers.get(plan.offset, [])[: size * 3])
                attendees.extend(rng.sample(staff, min(len(staff), 2 + int(rand() * 3))))
            else:
                attendees.extend(rng.sample(staff, min(len(staff), int(size * 0.7))))
                # Newer people at a first or second event.
                start = bisect(engaged_joined, plan.offset - 120)
                recent = engaged[start : bisect(engaged_joined, plan.offset)]
                attendees.extend(rng.sample(recent, min(len(recent), size - int(size * 0.7))))
            day = days.iso(plan.offset)
            hour = plan.starts_at[11:13]
            for position, index in enumerate(dict.fromkeys(attendees)):
                person = self.person_id(index)
                first_time = index not in seen and p.joined[index] > window_start
                seen.add(index)
                at = f"{day} {hour}:{min(59, position // 4):02d}:00.000000"
                uid = ""  # given below, in ascending order
                if plan.kind == "tabling" and p.joined[index] == plan.offset:
                    from_bundle = p.rows[index][origin_at] == other_laptop
                    self.bundle_sign_ins += from_bundle
                    ticked = "\n".join(item for item in interests if rand() < 0.25)
                    sign_ins.append(
                        (next_sign_in, uid, plan.id, person, at,
                         "bundle" if from_bundle else "kiosk", int(first_time),
                         other_laptop if from_bundle else laptop,
                         how_heard[int(rand() * len(how_heard))], ticked, consent, 1)
                    )  # fmt: skip
                else:
                    source = "meeting" if plan.kind == "meeting" or rand() < 0.4 else "paper"
                    sign_ins.append(
                        (next_sign_in, uid, plan.id, person, at, source, int(first_time),
                         laptop, "", "", "", 0)
                    )  # fmt: skip
                next_sign_in += 1
                if first_time and rand() < 0.55:
                    due = plan.offset + 2 + int(rand() * 10)
                    done_at = None
                    outcome = ""
                    if due < 0 and rand() < 0.75:  # the rest are overdue
                        done_at = days.stamp(due, "21:00:00.000000")
                        outcome = outcomes[int(rand() * len(outcomes))]
                    created = days.stamp(plan.offset, "23:30:00.000000")
                    follow_ups.append(
                        (next_follow_up, "", person, plan.id,
                         assigners[int(rand() * len(assigners))],
                         follow_kinds[int(rand() * len(follow_kinds))], days.iso(due), done_at,
                         outcome, created, created)
                    )  # fmt: skip
                    next_follow_up += 1
        # One-to-ones with active people, not tied to an event.
        for index in rng.sample(regulars, min(len(regulars), 6)):
            due = int(rand() * 40) - 20
            done = due < -3
            created = days.stamp(due - 14, "12:00:00.000000")
            follow_ups.append(
                (next_follow_up, "", self.person_id(index), None, assigners[1],
                 "one_to_one", days.iso(due), days.stamp(due, "20:00:00.000000") if done else None,
                 "Talked about taking on a role." if done else "", created, created)
            )  # fmt: skip
            next_follow_up += 1
        out.append(
            _Batch(
                "events",
                "sign_ins",
                ("id", "uid", "event_id", "person_id", "signed_in_at", "source", "first_time",
                 "laptop_id", "how_heard", "interests", "consent_text", "consent_given"),
                _with_uids(sign_ins, uids),
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "events",
                "follow_ups",
                ("id", "uid", "person_id", "event_id", "assigned_to_id", "kind", "due_on",
                 "done_at", "outcome", "created_at", "updated_at"),
                _with_uids(follow_ups, uids),
            )
        )  # fmt: skip

    # -- urgent actions and the charter ------------------------------------------------

    def _plan_urgent_actions(self, ids: dict[str, int], out: list[_Batch]) -> None:
        """Cases in fictional countries, so that no real official or prisoner is misquoted."""
        rng = self.rng("urgent actions")
        rand = rng.random
        countries = (
            ("Valdoria", "Spanish", "Tomás Ibarra Quintero", "Minister of Justice"),
            ("Esterra", "French", "Aminata Kaboré", "President of the Republic"),
            ("Marovia", "Russian", "Алексей Воронин", "Prosecutor General"),
            ("Qazaria", "Arabic", "سلمى الراشد", "Minister of the Interior"),
            ("Kelland", "English", "Grace Mwangi-Otieno", "Attorney General"),
            ("Lusenia", "Portuguese", "Joaquim Mbanze", "Minister of Justice"),
            ("Sarvania", "Greek", "Νίκος Λαμπράκης", "Minister of Citizen Protection"),
            ("Hanseo", "Korean", "박서윤", "Minister of Justice"),
        )
        issues = (
            ("Human rights defender detained", "arbitrary detention"),
            ("Student facing execution", "death penalty"),
            ("Journalist held incommunicado", "freedom of expression"),
            ("Lawyer disappeared after arrest", "enforced disappearance"),
            ("Activist tortured in custody", "torture"),
            ("Asylum seeker at risk of deportation", "refugee rights"),
            ("Trans activist charged for protesting", "LGBTI rights"),
            ("Land defender threatened", "indigenous rights"),
        )
        template = (
            "{date}\n\n{salutation},\n\n"
            "I am writing to you about {person_at_risk}. I urge you to ensure their safety, "
            "to release them immediately and unconditionally if they are held only for "
            "peacefully exercising their human rights, and meanwhile to let them see their "
            "family and a lawyer of their choice.\n\n"
            "I will be following this case closely.\n\n"
            "Yours sincerely,\n\n{writer_name}\n{writer_city}\n"
        )
        p = self.people
        writers = [
            i for i in range(self.n) if p.usable[i] and p.status[i] in ("activist", "member")
        ] or [i for i in range(self.n) if p.usable[i]]
        letter_events = [e for e in self.events if e.kind == "letter_writing" and e.offset < 0]
        count = max(8, min(40, self.n // 2500))
        letters_per_case = max(5, self.n // 2000)
        uas: list[Row] = []
        addressees: list[Row] = []
        updates: list[Row] = []
        letters: list[Row] = []
        next_addressee, next_update = ids["ua_addressees"], ids["ua_updates"]
        next_letter = ids["letters_written"]
        stamp = self.days.stamp(-1, "18:00:00.000000")
        today = self.today
        for k in range(count):
            country, language, at_risk, official = countries[k % len(countries)]
            title, issue = issues[(k * 3) % len(issues)]
            ua_id = ids["urgent_actions"] + k
            if k == 0:
                # A long-term case from the old numbering: still open, no deadline.
                issued: date = date(2010, 9, 14)
                number = "UA 229/10"
                deadline: date | None = None
                letters_from = today - timedelta(days=WINDOW_DAYS)
                letters_to = today
            else:
                issued = self.days.date(-int(rand() * WINDOW_DAYS))
                number = f"{int(rand() * 140) + 1}.{issued.year % 100:02d}"
                deadline = issued + timedelta(days=42)
                letters_from, letters_to = issued, min(deadline, today)
            is_open = deadline is None or deadline >= today - timedelta(days=30)
            uas.append(
                (ua_id, self.uids.one(), number, f"{country}: {title}", country, at_risk, issue,
                 issued.isoformat(), deadline.isoformat() if deadline else None,
                 "open" if is_open else "closed", template,
                 self.campaign_ids[2] if issue == "death penalty" else None,
                 "Long-term case: write every year on the anniversary." if k == 0 else "",
                 stamp, stamp)
            )  # fmt: skip
            salutation = "Dear Minister" if "Minister" in official else "Your Excellency"
            officials = (
                (official, f"Office of the {official}", salutation),
                ("Head of the National Human Rights Commission",
                 "National Human Rights Commission", "Dear Commissioner"),
            )  # fmt: skip
            case_addressees: list[int] = []
            # The address is what goes under the name and title on the envelope: the
            # street, the city, the country (the title is printed on a line of its own).
            for order, (name, office, greeting) in enumerate(officials):
                addressees.append(
                    (next_addressee, ua_id, name, office,
                     f"{12 + 7 * order} Independence Avenue\nCapital City\n{country}",
                     greeting, language, 0, order)
                )  # fmt: skip
                case_addressees.append(next_addressee)
                next_addressee += 1
            # "Copies to": the country's embassy in Washington.
            addressees.append(
                (next_addressee, ua_id, f"Ambassador of {country}", f"Embassy of {country}",
                 "2100 Massachusetts Avenue NW\nWashington DC 20008\nUSA", "Your Excellency",
                 "English", 1, len(officials))
            )  # fmt: skip
            next_addressee += 1
            for label, after, summary in (
                ("first update", 30, f"{at_risk} was moved to another prison; "
                 "family visits are still denied."),
                ("stop action", 90, f"{at_risk} was released on bail. "
                 "Thank you to everyone who wrote."),
            ):  # fmt: skip
                when = issued + timedelta(days=after)
                if k % 3 == 0 and (label == "first update" or k % 2 == 0) and when <= today:
                    updates.append((next_update, ua_id, when.isoformat(), label, summary))
                    next_update += 1
            span = max(0, (letters_to - letters_from).days)
            for _ in range(int(letters_per_case * (0.5 + rand()))):
                written = letters_from + timedelta(days=int(rand() * (span + 1)))
                event_id = None
                if letter_events and rand() < 0.3:
                    event = letter_events[int(rand() * len(letter_events))]
                    event_day = self.days.date(event.offset)
                    if letters_from <= event_day <= letters_to:
                        event_id, written = event.id, event_day
                letters.append(
                    (next_letter, self.uids.one(), ua_id,
                     case_addressees[int(rand() * len(case_addressees))],
                     self.person_id(writers[int(rand() * len(writers))]), event_id,
                     written.isoformat(), 1 + int(rand() * 3) if rand() < 0.2 else 1)
                )  # fmt: skip
                next_letter += 1
        out.append(
            _Batch(
                "urgent actions",
                "urgent_actions",
                ("id", "uid", "number", "title", "country", "persons_at_risk", "issue",
                 "issued_on", "deadline", "status", "template", "campaign_id", "notes",
                 "created_at", "updated_at"),
                uas,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "urgent actions",
                "ua_addressees",
                ("id", "urgent_action_id", "name", "title", "address", "salutation", "language",
                 "is_copy", "sort_order"),
                addressees,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "urgent actions",
                "ua_updates",
                ("id", "urgent_action_id", "issued_on", "label", "summary"),
                updates,
            )
        )
        out.append(
            _Batch(
                "urgent actions",
                "letters_written",
                ("id", "uid", "urgent_action_id", "addressee_id", "writer_id", "event_id",
                 "written_on", "count"),
                letters,
            )
        )  # fmt: skip

    def _plan_charter(self, existing: _Existing, out: list[_Batch]) -> None:
        """The group is chartered: steps 1-4 are done, step 5 is under way."""
        coordinator = self.person_id(self.role_holders["Group Coordinator"])
        rows: list[Row] = []
        for item_id, step, order in existing.charter_items:
            if step <= 4 or order == 0:
                done_on = -WINDOW_DAYS - 400 + step * 60 + order * 7
                note = "Group number 133 received." if step == 4 and order == 1 else ""
                rows.append(
                    (self.days.stamp(done_on, "20:00:00.000000"), coordinator, note, item_id)
                )
        out.append(
            _Batch(
                "urgent actions",
                "charter_items",
                ("done_at", "done_by_id", "notes", "id"),
                rows,
                update=True,
            )
        )

    # -- trainings -------------------------------------------------------------------------

    def _plan_trainings(self, ids: dict[str, int], out: list[_Batch]) -> None:
        rng = self.rng("trainings")
        rand = rng.random
        p = self.people
        first_trainer = ids["trainers"]
        trainers: list[Row] = [
            (first_trainer, self.uids.one(), "Dolores Ferreira-Kim",
             "d.ferreira-kim@example.org", "+16175550142", "Northeast Regional Office", None),
            (first_trainer + 1, self.uids.one(), "Marcus Oyelaran", "moyelaran@example.org",
             "+16175550177", "Northeast Regional Office", None),
        ]  # fmt: skip
        for role in ("Group Coordinator", "Urgent Action Coordinator"):
            index = self.role_holders[role]
            row = p.rows[index]
            name = " ".join(
                part for part in (row[_P["given_name"]], row[_P["family_name"]]) if part
            )
            trainers.append(
                (first_trainer + len(trainers), self.uids.one(), name, row[_P["email"]],
                 row[_P["phone"]], GROUP_NAME, self.person_id(index))
            )  # fmt: skip
        topics = (
            ("Activism 101", "organising"), ("Nonviolent direct action", "direct action"),
            ("Writing effective Urgent Action letters", "letter writing"),
            ("Digital security for activists", "security"),
            ("Running a tabling event", "recruitment"), ("Fundraising basics", "fundraising"),
            ("Media and messaging", "media"), ("Leading one-to-one conversations", "organising"),
        )  # fmt: skip
        trainings: list[Row] = []
        signups: list[Row] = []
        next_signup = ids["training_signups"]
        engaged = [i for i in range(self.n) if p.usable[i] and p.ladder[i] != "signed_up"] or [
            i for i in range(self.n) if p.usable[i]
        ]
        count = 8 if self.n < 20_000 else 12
        for k in range(count):
            title, topic = topics[k % len(topics)]
            offset = -int(rand() * WINDOW_DAYS) if k < count - 3 else int(rand() * 60) + 5
            online = k % 3 == 1
            starts = self.days.stamp(offset, "23:00:00.000000")
            ends = self.days.stamp(offset + 1, "01:00:00.000000")
            capacity = 12 + int(rand() * 28)
            cancelled = k == count - 1
            training_id = ids["trainings"] + k
            trainings.append(
                (training_id, self.uids.one(), title, topic, starts, ends,
                 "" if online else "Cambridge Public Library, 449 Broadway",
                 f"https://meet.example.org/gd-{training_id:04d}" if online else "",
                 trainers[k % len(trainers)][0], capacity,
                 f"{title}: a two-hour session with time for questions.", int(cancelled),
                 starts, starts)
            )  # fmt: skip
            if cancelled:
                continue
            who = rng.sample(engaged, min(len(engaged), int(capacity * (0.4 + 0.5 * rand()))))
            for index in who:
                signed = self.days.stamp(offset - 1 - int(rand() * 20), "15:00:00.000000")
                attended = offset < 0 and rand() < 0.8
                completed = None
                if attended and rand() < 0.85:
                    completed = self.days.stamp(offset + 1, "01:00:00.000000")
                signups.append(
                    (next_signup, self.uids.one(), training_id, self.person_id(index), signed,
                     int(attended), completed)
                )  # fmt: skip
                next_signup += 1
        out.append(
            _Batch(
                "trainings",
                "trainers",
                ("id", "uid", "name", "email", "phone", "organisation", "person_id"),
                trainers,
            )
        )
        out.append(
            _Batch(
                "trainings",
                "trainings",
                ("id", "uid", "title", "topic", "starts_at", "ends_at", "place", "online_url",
                 "trainer_id", "capacity", "description", "cancelled", "created_at",
                 "updated_at"),
                trainings,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "trainings",
                "training_signups",
                ("id", "uid", "training_id", "person_id", "signed_up_at", "attended",
                 "completed_at"),
                signups,
            )
        )  # fmt: skip

    # -- money -----------------------------------------------------------------------------

    def _plan_money(self, ids: dict[str, int], out: list[_Batch]) -> None:
        """The treasurer's ledger and the registers behind it; all amounts integer cents.

        Dues are banked in one deposit per month and method, as a treasurer does, so each
        dues payment points at its month's ledger line and the amounts add up.
        Donations and remittances get a ledger line each; events their costs.
        """
        rng = self.rng("money")
        rand = rng.random
        p = self.people
        days, uids = self.days, self.uids
        stamp = days.stamp(-1, "18:00:00.000000")
        ledger: list[Row] = []
        next_ledger = ids["ledger_entries"]
        methods = ("cash", "cheque", "card", "bank_transfer", "online")
        method_cum = list(accumulate((25, 15, 15, 10, 35)))

        def ledger_line(
            offset: int, description: str, category: str, kind: str, cents: int,
            method: str, person: int | None = None, event: int | None = None,
            receipt: str = "", account: str | None = None,
        ) -> int:  # fmt: skip
            nonlocal next_ledger
            entry = next_ledger
            next_ledger += 1
            account = account or ("cash" if method == "cash" else "bank")
            ledger.append(
                (entry, uids.one(), days.iso(offset), description, category, kind, cents,
                 method, account, person, event, receipt, stamp, stamp)
            )  # fmt: skip
            return entry

        # Dues: one payment per paying member, twelve months up to the paid-through date.
        through_at = _P["dues_paid_through"]
        payments: list[tuple[int, int, int, str, str]] = []  # paid_on, index, cents, ...
        today = self.today
        for index, row in enumerate(p.rows):
            through = row[through_at]
            if through is None:
                continue
            paid_on = (date.fromisoformat(through) - today).days - 365
            cents = 1500 if p.student[index] else 2500
            method = methods[bisect(method_cum, rand() * method_cum[-1])]
            payments.append((paid_on, index, cents, method, through))
        deposits: dict[tuple[int, int, str], list[tuple[int, int, int, str, str]]] = {}
        for payment in payments:
            day = self.days.date(payment[0])
            deposits.setdefault((day.year, day.month, payment[3]), []).append(payment)
        dues: list[Row] = []
        next_dues = ids["dues_payments"]
        dues_uids = uids.ascending(len(payments))
        for (year, month, method), group in sorted(deposits.items()):
            last_day = max(payment[0] for payment in group)
            total = sum(payment[2] for payment in group)
            label = date(year, month, 1).strftime("%B %Y")
            # A deposit is money paid into the bank, whichever way the members paid.
            entry = ledger_line(last_day, f"Dues deposit, {label} ({method.replace('_', ' ')})",
                                "Dues", "income", total, method,
                                receipt=f"DEP-{year}{month:02d}", account="bank")  # fmt: skip
            for paid_on, index, cents, _, through in group:
                dues.append(
                    (next_dues, dues_uids[next_dues - ids["dues_payments"]],
                     self.person_id(index), days.iso(paid_on), cents, 12, through, entry)
                )  # fmt: skip
                next_dues += 1

        # Donations: from people on the roster, and some from outside it.
        donors = [i for i in range(self.n) if p.usable[i] and p.status[i] != "prospect"]
        amounts = (1000, 2000, 2500, 5000, 10000, 25000, 50000)
        amount_cum = list(accumulate((20, 25, 15, 20, 12, 6, 2)))
        outside = (
            "St. Brigid Parish Social Justice Committee", "Anonymous",
            "Central Square Business Association", "Teachers Union Local 412",
        )  # fmt: skip
        donations: list[Row] = []
        for k in range(max(10, self.n // 60)):
            offset = -int(rand() * WINDOW_DAYS)
            cents = amounts[bisect(amount_cum, rand() * amount_cum[-1])]
            if rand() < 0.2:
                cents += int(rand() * 4) * 500
            method = methods[bisect(method_cum, rand() * method_cum[-1])]
            person: int | None = None
            name = ""
            if donors and rand() < 0.85:
                person = self.person_id(donors[int(rand() * len(donors))])
            else:
                name = outside[k % len(outside)]
            entry = ledger_line(offset, "Donation", "Donations", "income", cents, method, person)
            acknowledged = None
            if rand() < 0.8:
                acknowledged = days.iso(min(0, offset + 3 + int(rand() * 10)))
            donations.append(
                (ids["donations"] + k, uids.one(), person, name, days.iso(offset), cents,
                 acknowledged, entry)
            )  # fmt: skip

        # Events: what they cost and raised, with a budget for about half of them.
        budget: list[Row] = []
        for plan in self.events:
            if plan.cancelled:
                continue
            lines: list[tuple[str, str, int]] = []
            if plan.kind in ("tabling", "vigil", "lobby_day", "other"):
                lines.append(("Printing", "expense", 2000 + int(rand() * 10000)))
            if plan.kind in ("social", "letter_writing", "meeting") and rand() < 0.6:
                lines.append(("Refreshments", "expense", 1500 + int(rand() * 6500)))
            if plan.kind in ("social", "other") and rand() < 0.7:
                lines.append(("Venue", "expense", 5000 + int(rand() * 25000)))
            if plan.kind == "social":
                lines.append(("Fundraising", "income", 10000 + int(rand() * 60000)))
            if plan.kind == "letter_writing" and rand() < 0.5:
                lines.append(("Postage", "expense", 1000 + int(rand() * 4000)))
            has_budget = plan.offset >= 0 or rand() < 0.5
            for category, kind, cents in lines:
                if has_budget:
                    budget.append(
                        (ids["event_budget_lines"] + len(budget), plan.id, category, kind,
                         cents // 500 * 500 + 500, "Estimate" if plan.offset >= 0 else "")
                    )  # fmt: skip
                if plan.offset < 0:
                    method = "cash" if category in ("Refreshments", "Fundraising") else "card"
                    ledger_line(plan.offset, f"{category}: {plan.title}", category, kind,
                                cents, method, None, plan.id, f"R-{next_ledger:05d}")  # fmt: skip

        # Quarterly remittances to the national office: its share of the quarter's dues
        # (quarters without dues send nothing); the latest not acknowledged yet.
        dues_by_quarter: dict[tuple[int, int], int] = {}
        for paid_on, _, cents, _, _ in payments:
            day = days.date(paid_on)
            key = (day.year, (day.month - 1) // 3)
            dues_by_quarter[key] = dues_by_quarter.get(key, 0) + cents
        quarters: list[tuple[int, int]] = []
        year, quarter = today.year, (today.month - 1) // 3
        for _ in range(8):
            quarter -= 1
            if quarter < 0:
                year, quarter = year - 1, 3
            quarters.append((year, quarter))
        remittances: list[Row] = []
        sending = [key for key in reversed(quarters) if dues_by_quarter.get(key)]
        for position, (year, quarter) in enumerate(sending):
            after = date(year, quarter * 3 + 3, 1) + timedelta(days=31)
            sent = min(after.replace(day=15), today - timedelta(days=1))
            offset = (sent - today).days
            cents = dues_by_quarter[(year, quarter)] * NATIONAL_SHARE_PERCENT // 100
            period = f"{year} Q{quarter + 1}"
            reference = f"REM-{year}-Q{quarter + 1}"
            entry = ledger_line(offset, f"Remittance {period}", "Remittance to national office",
                                "expense", cents, "bank_transfer", receipt=reference)  # fmt: skip
            acknowledged = None
            if position < len(sending) - 1:
                acknowledged = days.iso(min(-1, offset + 10 + int(rand() * 20)))
            remittances.append(
                (ids["remittances"] + position, uids.one(), days.iso(offset), cents, period,
                 reference, acknowledged, entry)
            )  # fmt: skip

        out.append(
            _Batch(
                "money",
                "ledger_entries",
                ("id", "uid", "occurred_on", "description", "category", "kind", "amount_cents",
                 "method", "account", "person_id", "event_id", "receipt_ref", "created_at",
                 "updated_at"),
                ledger,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "money",
                "dues_payments",
                ("id", "uid", "person_id", "paid_on", "amount_cents", "months", "paid_through",
                 "ledger_entry_id"),
                dues,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "money",
                "donations",
                ("id", "uid", "person_id", "donor_name", "received_on", "amount_cents",
                 "acknowledged_on", "ledger_entry_id"),
                donations,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "money",
                "remittances",
                ("id", "uid", "sent_on", "amount_cents", "period", "reference",
                 "acknowledged_on", "ledger_entry_id"),
                remittances,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "money",
                "event_budget_lines",
                ("id", "event_id", "category", "kind", "planned_cents", "notes"),
                budget,
            )
        )

    # -- outreach and the one-off samples ------------------------------------------------

    def _plan_outreach(self, ids: dict[str, int], out: list[_Batch]) -> None:
        rng = self.rng("outreach")
        rand = rng.random
        p = self.people
        organisations = (
            ("St. Brigid Parish Social Justice Committee", "faith group"),
            ("Riverside Mosque Community Center", "faith group"),
            ("Temple Beth Shalom Tikkun Olam group", "faith group"),
            ("Teachers Union Local 412", "union"),
            ("Harborview High School Civics Club", "school"),
            ("Central Square Branch Library", "library"),
            ("Immigrant Family Legal Clinic", "legal aid"),
            ("Somerville Tenants Network", "community group"),
            ("Cambridge Climate Action Coalition", "coalition"),
            ("Students for Human Rights at the university", "student club"),
        )
        stamp = self.days.stamp(-1, "18:00:00.000000")
        orgs: list[Row] = []
        contacts: list[Row] = []
        email_at = _P["email"]
        roster = [i for i in range(self.n) if p.usable[i] and p.rows[i][email_at]]
        titles = (
            "Coordinator", "Pastor", "Organiser", "Librarian", "Faculty adviser", "Volunteer lead",
        )  # fmt: skip
        external = (
            "Rev. Ann Whitaker", "Imam Yusuf Haddad", "Rabbi Sarah Klein", "Luis Ortega",
            "Meredith Chan", "Dev Raman", "Fatoumata Diallo",
        )  # fmt: skip
        next_contact = ids["outreach_contacts"]
        for k, (name, kind) in enumerate(organisations):
            org_id = ids["organisations"] + k
            slug = _ascii_name(name)[:24]
            orgs.append(
                (org_id, self.uids.one(), name, kind,
                 f"{int(rand() * 400) + 1} {_STREETS[k % len(_STREETS)]}, Cambridge, MA 02139",
                 f"https://{slug}.example.org", "Co-sponsored a vigil." if k % 4 == 0 else "",
                 stamp, stamp)
            )  # fmt: skip
            for c in range(1 + int(rand() * 3)):
                last = self.days.iso(-int(rand() * 400)) if rand() < 0.8 else None
                if roster and c == 0 and rand() < 0.4:
                    index = roster[int(rand() * len(roster))]
                    row = p.rows[index]
                    contacts.append(
                        (next_contact, self.uids.one(), org_id, self.person_id(index),
                         f"{row[_P['given_name']]} {row[_P['family_name']]}",
                         "Member of both groups", row[email_at], row[_P["phone"]], last, "")
                    )  # fmt: skip
                else:
                    contact = external[(k + c) % len(external)]
                    local = _ascii_name(contact.split()[-1])
                    contacts.append(
                        (next_contact, self.uids.one(), org_id, None, contact,
                         titles[(k + c) % len(titles)], f"{local}@{slug}.example.org",
                         f"+1617555{int(rand() * 100) + 100:04d}", last,
                         "Prefers email." if c == 1 else "")
                    )  # fmt: skip
                next_contact += 1
        out.append(
            _Batch(
                "outreach",
                "organisations",
                ("id", "uid", "name", "kind", "address", "website", "notes", "created_at",
                 "updated_at"),
                orgs,
            )
        )  # fmt: skip
        out.append(
            _Batch(
                "outreach",
                "outreach_contacts",
                ("id", "uid", "organisation_id", "person_id", "name", "role", "email", "phone",
                 "last_contacted_on", "notes"),
                contacts,
            )
        )  # fmt: skip

    def _plan_samples(self, ids: dict[str, int], out: list[_Batch]) -> None:
        """One of each: the import's field changes, a merged bundle, a duplicate to review."""
        p = self.people
        rng = self.rng("samples")
        phone_at = _P["phone"]
        imported = set(self.import_people)
        earlier = [
            i
            for i in range(bisect(p.joined, -800))
            if i not in imported and p.usable[i] and p.rows[i][phone_at]
        ]
        # The import also filled in phone numbers of people already on the roster.
        changes = [
            (ids["import_changes"] + k, self.import_batch_id, self.person_id(i), "phone", "",
             p.rows[i][phone_at])
            for k, i in enumerate(sorted(rng.sample(earlier, min(len(earlier), 2))))
        ]  # fmt: skip
        out.append(
            _Batch(
                "outreach",
                "import_changes",
                ("id", "batch_id", "person_id", "field", "old_value", "new_value"),
                changes,
            )
        )
        if self.bundle_event is None:
            return
        merged_at = self.days.stamp(self.bundle_event.offset + 1, "14:00:00.000000")
        bundle_people = sum(
            1 for i in range(self.n) if p.rows[i][_P["origin_laptop"]] == self.other_laptop
        )
        summary = json.dumps(
            {
                "people_added": bundle_people,
                "sign_ins_added": self.bundle_sign_ins,
                "review_items": 1 if self.duplicate_pair else 0,
            },
            sort_keys=True,
        )
        out.append(
            _Batch(
                "outreach",
                "merged_bundles",
                ("id", "bundle_uid", "laptop_id", "file_name", "merged_at", "summary"),
                [(ids["merged_bundles"], self.uids.one(), self.other_laptop, self.bundle_file,
                  merged_at, summary)],
            )
        )  # fmt: skip
        if self.duplicate_pair is None:
            return
        new_index, old_index = self.duplicate_pair
        new_row, old_row = p.rows[new_index], p.rows[old_index]
        fields = ("given_name", "family_name", "email", "phone")
        details = json.dumps(
            {
                "reason": "same phone, names alike",
                "score": 0.93,
                "fields": {name: [new_row[_P[name]], old_row[_P[name]]] for name in fields},
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        out.append(
            _Batch(
                "outreach",
                "review_items",
                ("id", "kind", "person_id", "other_person_id", "details", "origin",
                 "created_at", "resolved_at", "resolution"),
                [(ids["review_items"], "duplicate", self.person_id(new_index),
                  self.person_id(old_index), details, self.bundle_file, merged_at, None, "")],
            )
        )  # fmt: skip


# The fields of a life, in order (see _lives).
_LIFE_FIELDS = (
    "status", "ladder", "has_email", "email_shape", "capital", "address", "line2",
    "has_phone", "local_phone", "pays", "dues_current", "waived", "student", "school",
    "graduation", "do_not_contact", "email_ok", "phone_ok", "mail_ok", "notes",
    "needs_review", "review_reason", "removed", "may_invite",
)  # fmt: skip
_LIFE = {name: position for position, name in enumerate(_LIFE_FIELDS)}


def _lives(rng: random.Random, count: int, *, recent: bool, activist: bool = False) -> list[Row]:
    """``count`` lives: what a person's record says apart from who they are.

    Tuples with the _LIFE_FIELDS: status, ladder stage, gave an email, email shape,
    typed it with a capital, address kind (0 none, 1 full, 2 ZIP only), address line 2,
    gave a phone, phone in a local area code, pays dues, dues current, dues waived,
    student, school, years from joining to graduating, do-not-contact, email ok, phone ok, mail ok,
    notes, needs review, review reason, in the trash, may invite others. Flags are
    already 0 where they cannot apply (no email: not email ok), so that
    people_chunks need not check again.
    Recent joiners are more often prospects; people who came from member to activist
    are activists.
    """
    rand = rng.random
    status_weights = _STATUS_WEIGHTS_RECENT if recent else _STATUS_WEIGHTS_OLDER
    status_cum = list(accumulate(status_weights))
    ladder_cum = {s: list(accumulate(w)) for s, w in _LADDER_WEIGHTS.items()}
    lives: list[Row] = []
    for _ in range(count):
        status = "activist" if activist else _STATUSES[bisect(status_cum, rand() * status_cum[-1])]
        cum = ladder_cum[status]
        ladder = _LADDER[bisect(cum, rand() * cum[-1])]
        has_email = rand() < 0.93
        email_shape = int(rand() * 6)
        capital = rand() < 0.03
        r = rand()
        address = (
            1 if r < _SHARE_ADDRESS[status] else 2 if r > 0.5 + _SHARE_ADDRESS[status] / 2 else 0
        )
        line2 = ""
        if rand() < 0.3 and address == 1:
            line2 = ("Apt ", "Unit ", "#")[int(rand() * 3)] + str(int(rand() * 40) + 1)
        has_phone = rand() < _SHARE_PHONE[status]
        local_phone = rand() < 0.7
        pays = waived = 0
        if status == "member" or (status == "activist" and rand() < 0.3):
            waived = 1 if rand() < 0.12 else 0
            pays = 1 - waived
        dues_current = rand() < 0.6
        # Students mostly among new joiners; their class year counts from joining.
        student = rand() < (0.2 if recent else 0.06)
        school = _SCHOOLS[int(rand() * len(_SCHOOLS))] if student else ""
        graduation = int(rand() * 5) if student else None
        do_not_contact = 1 if rand() < 0.015 else 0
        email_ok = 0 if do_not_contact or rand() >= 0.85 or not has_email else 1
        phone_ok = 0 if do_not_contact or rand() >= 0.5 or not has_phone else 1
        mail_ok = 0 if do_not_contact or rand() >= 0.6 or address != 1 else 1
        # Rarer things share one draw: a note, a flag for review, the trash.
        notes = review_reason = ""
        needs_review = removed = 0
        r = rand()
        if r < 0.04:
            notes = _NOTES[int(r * 300) % len(_NOTES)]
        elif r < 0.043:
            needs_review = 1
            review_reason = _REVIEW_REASONS[int(r * 10_000) % len(_REVIEW_REASONS)]
        elif r > 0.997:
            removed = 1
        lives.append(
            (status, ladder, has_email, email_shape, capital, address, line2, has_phone,
             local_phone, pays, dues_current, waived, student, school, graduation,
             do_not_contact, email_ok, phone_ok, mail_ok, notes, needs_review, review_reason,
             removed, status in ("member", "activist"))
        )  # fmt: skip
    return lives


def _rare_lives(base: Row, people: int) -> dict[int, Row]:
    """Lives for a few fixed people, so that even a small demo shows the rarer cases:
    someone who asked not to be contacted, someone flagged for review, someone with a
    note, someone in the trash. Keyed by person index."""

    def changed(**values: Any) -> Row:
        fields = list(base)
        for name, value in values.items():
            fields[_LIFE[name]] = value
        return tuple(fields)

    rare = [
        changed(do_not_contact=1, email_ok=0, phone_ok=0, mail_ok=0),
        changed(needs_review=1, review_reason=_REVIEW_REASONS[0]),
        changed(notes=_NOTES[0]),
        changed(removed=1),
    ]
    if people <= 2 * len(rare):
        return {}
    return {people * (k + 1) // (len(rare) + 2): life for k, life in enumerate(rare)}


def _with_uids(rows: list[Row], uids: _UidSource) -> list[Row]:
    """Rows whose second value (the uid) is filled in, ascending (see _UidSource)."""
    fresh = uids.ascending(len(rows))
    return [(row[0], uid, *row[2:]) for row, uid in zip(rows, fresh, strict=True)]


def _plain(text: str) -> str:
    """A name as typed on a keyboard without accents: "Seán Ó Briain" -> "Sean O Briain"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _with_derived(values: Mapping[str, Any]) -> Row:
    """A people row with email_key, sort_key and search_text straight from text.py."""
    fixed = dict(values)
    fixed["email_key"] = email_key(fixed["email"])
    fixed["sort_key"] = sort_key(fixed["given_name"], fixed["family_name"])
    fixed["search_text"] = search_text(
        given_name=fixed["given_name"],
        family_name=fixed["family_name"],
        preferred_name=fixed["preferred_name"],
        email=fixed["email"],
        phone=fixed["phone"],
        postal_code=fixed["postal_code"],
    )
    return tuple(fixed[name] for name in PEOPLE_COLUMNS)


_ERASED_BLANKS = (
    "given_name", "family_name", "preferred_name", "email", "phone", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "notes", "school",
    "review_reason",
)  # fmt: skip


def _erased(row: Row, when: str) -> Row:
    """A person whose personal data was erased on request: blanks remain, counts stay."""
    values = dict(zip(PEOPLE_COLUMNS, row, strict=True))
    values.update(dict.fromkeys(_ERASED_BLANKS, ""))
    values.update(
        graduation_year=None, erased_at=when, removed_at=when, email_ok=0, phone_ok=0,
        mail_ok=0, do_not_contact=1, needs_review=0,
    )  # fmt: skip
    return _with_derived(values)


class _PeopleLoad:
    """SQLite: load people without their triggers and secondary indexes, then restore.

    Used inside the demo's one transaction: the three FTS triggers and the people
    indexes (their exact SQL read from sqlite_master, so nothing is copied) are
    dropped, and person_fts is emptied and told not to merge while it fills
    (search_index.relax_merging); then each chunk of people is inserted and indexed
    for search in one INSERT ... SELECT; at the end each index is built again in one
    sorted pass, the merge settings and the triggers come back (search_index holds
    their SQL).
    Any failure rolls all of it back with the transaction. On other databases it does
    nothing and the rows go in the ordinary way.
    """

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.conn = loader.conn
        self.indexes: list[tuple[str, str]] = []

    def begin(self) -> None:
        if not self.loader.fast:
            return
        search_index.drop_person_triggers(self.conn)
        search_index.clear_person_index(self.conn)
        search_index.relax_merging(self.conn)
        self.indexes = [
            (str(name), str(sql))
            for name, sql in self.conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL"
            )
        ]
        for name, _ in self.indexes:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')

    def index(self, first_id: int, last_id: int) -> None:
        if self.loader.fast:
            search_index.index_people(self.conn, first_id, last_id)

    def finish(self) -> None:
        if not self.loader.fast:
            return
        for _, sql in self.indexes:
            self.conn.exec_driver_sql(sql)
        search_index.restore_merging(self.conn)
        search_index.create_person_triggers(self.conn)
