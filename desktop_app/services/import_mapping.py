"""What the columns of a people list mean, and its rows as clean candidates or rejects.

The file reader (exports/people_file.py) hands over a RawTable of text. This module
guesses which column is which field from the header names real exports use
(NationBuilder's snake_case, Mailchimp, Action Network, CiviCRM, Google Forms,
Eventbrite, SurveyMonkey, a secretary's own workbook), reports what is missing, and
turns each row into a Candidate (values normalised, problems listed in words) or a
RejectedRow (with the reason). Matching against the roster and writing happen in the
import service; nothing here touches the database.

Headers are compared as words, not as exact strings: "E-mail", "Email Address",
"email_address", "EmailAddress" and "Your contact details: Email" all come down to the
word "email". A short rule per field then decides, so "Do Not Email" is a consent
column and "Email Greeting" is nothing.

Speed: the import must take 100,000 rows in a few seconds, so the per-row work is
plain string operations. Phone numbers of the common North-American shapes are
checked against phonenumbers' own patterns for the +1 regions without parsing; other
numbers go through validation.check_phone once per distinct text (cached). Emails get
a regular-expression check; only those that fail it (or are not ASCII) are given to
email-validator, for its precise message and its handling of international domains.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import itemgetter
from typing import Any

from desktop_app.exports.people_file import RawTable, paused_gc
from desktop_app.models.people import PersonStatus
from desktop_app.services import validation
from desktop_app.text import fold


class Field(enum.StrEnum):
    """What a column of a people list holds."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    FULL_NAME = "full_name"  # "Given Family" or "Family, Given"
    PREFERRED_NAME = "preferred_name"
    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    ADDRESS_LINE1 = "address_line1"
    ADDRESS_LINE2 = "address_line2"
    CITY = "city"
    REGION = "region"
    POSTAL_CODE = "postal_code"
    COUNTRY = "country"
    FULL_ADDRESS = "full_address"  # one cell with street, city, region, postal code
    TAGS = "tags"
    NOTES = "notes"
    STATUS = "status"
    SCHOOL = "school"
    GRADUATION_YEAR = "graduation_year"
    EMAIL_OK = "email_ok"
    PHONE_OK = "phone_ok"
    MAIL_OK = "mail_ok"
    DO_NOT_CONTACT = "do_not_contact"
    DO_NOT_EMAIL = "do_not_email"
    DO_NOT_PHONE = "do_not_phone"
    DO_NOT_MAIL = "do_not_mail"
    IGNORE = "ignore"

    def label(self) -> str:
        """The field's name for the mapping dialog, in English.

        Views pass it through ``QCoreApplication.translate("Field", label)``; the
        strings are listed in FIELD_LABELS so translation tools find them.
        """
        return FIELD_LABELS[self]


FIELD_LABELS: dict[Field, str] = {
    Field.GIVEN_NAME: "Given name",
    Field.FAMILY_NAME: "Family name",
    Field.FULL_NAME: "Full name (given and family)",
    Field.PREFERRED_NAME: "Preferred name",
    Field.EMAIL: "Email",
    Field.PHONE: "Phone",
    Field.MOBILE: "Mobile phone",
    Field.ADDRESS_LINE1: "Address line 1",
    Field.ADDRESS_LINE2: "Address line 2",
    Field.CITY: "City",
    Field.REGION: "State or region",
    Field.POSTAL_CODE: "Postal code",
    Field.COUNTRY: "Country",
    Field.FULL_ADDRESS: "Whole address in one cell",
    Field.TAGS: "Tags",
    Field.NOTES: "Notes",
    Field.STATUS: "Status (member, activist, ...)",
    Field.SCHOOL: "School",
    Field.GRADUATION_YEAR: "Graduation year",
    Field.EMAIL_OK: "May email (yes/no)",
    Field.PHONE_OK: "May phone or text (yes/no)",
    Field.MAIL_OK: "May send post (yes/no)",
    Field.DO_NOT_CONTACT: "Do not contact at all (yes/no)",
    Field.DO_NOT_EMAIL: "Do not email (yes/no)",
    Field.DO_NOT_PHONE: "Do not phone (yes/no)",
    Field.DO_NOT_MAIL: "Do not send post (yes/no)",
    Field.IGNORE: "Leave out",
}

NAME_FIELDS = frozenset(
    {Field.GIVEN_NAME, Field.FAMILY_NAME, Field.FULL_NAME, Field.PREFERRED_NAME}
)
CONTACT_FIELDS = frozenset({Field.EMAIL, Field.PHONE, Field.MOBILE})
# Fields several columns may feed: tags and notes are joined, consent is combined
# (any "do not" wins, any "no" to an opt-in wins).
MULTI_COLUMN_FIELDS = frozenset(
    {
        # Several emails or phones: each row takes the first filled, the rest go to notes.
        Field.EMAIL,
        Field.PHONE,
        Field.MOBILE,
        Field.TAGS,
        Field.NOTES,
        Field.EMAIL_OK,
        Field.PHONE_OK,
        Field.MAIL_OK,
        Field.DO_NOT_CONTACT,
        Field.DO_NOT_EMAIL,
        Field.DO_NOT_PHONE,
        Field.DO_NOT_MAIL,
        Field.IGNORE,
    }
)


@dataclass
class ColumnMapping:
    """One Field per column of a RawTable, in column order."""

    fields: list[Field]

    def columns(self, wanted: Field) -> list[int]:
        return [index for index, chosen in enumerate(self.fields) if chosen is wanted]

    @property
    def can_import(self) -> bool:
        """True when some column can tell people apart: a name, an email or a phone."""
        return any(chosen in NAME_FIELDS or chosen in CONTACT_FIELDS for chosen in self.fields)


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, to keep the word lists below readable."""
    return frozenset(text.split())


# --- header words -----------------------------------------------------------------------

# Glued or abbreviated header words, as exports write them, in the words used below.
_GLUED = {
    "firstname": "first name",
    "fname": "first name",
    "givenname": "given name",
    "lastname": "last name",
    "lname": "last name",
    "surname": "surname",
    "familyname": "family name",
    "fullname": "full name",
    "nickname": "nickname",
    "emailaddress": "email address",
    "mail": "mail",
    "zipcode": "zip code",
    "postalcode": "postal code",
    "postcode": "postcode",
    "phonenumber": "phone number",
    "cellphone": "cell phone",
    "mobilephone": "mobile phone",
    "telephone": "phone",
    "tel": "phone",
    "ph": "phone",
    "addr": "address",
    "streetaddress": "street address",
    "optin": "opt in",
    "optout": "opt out",
    "unsubscribe": "unsubscribed",
    "donotemail": "do not email",
    "donotcall": "do not call",
    "donotcontact": "do not contact",
    "donotmail": "do not mail",
    "dnc": "do not contact",
    "dont": "do not",
    "taglist": "tag list",
    "gradyear": "graduation year",
    "prenom": "given",
    "vorname": "given",
    "nachname": "surname",
    "familienname": "surname",
    "apellido": "surname",
    "apellidos": "surname",
    "telefono": "phone",
    "telefon": "phone",
    "handy": "mobile",
    "movil": "mobile",
    "celular": "mobile",
    "portable": "mobile",
    "correo": "email",
    "courriel": "email",
    "ciudad": "city",
    "ville": "city",
    "stadt": "city",
    "ort": "city",
    "plz": "postcode",
    "cp": "postcode",
    "pais": "country",
    "pays": "country",
    "land": "country",
    "direccion": "address",
    "adresse": "address",
    "strasse": "street",
    "notas": "notes",
    "comentarios": "notes",
    "anmerkungen": "notes",
    "etiquetas": "tags",
}
# Words that carry nothing about the field.
_NOISE = _words(
    "can2 user primary your the of a an what whats s is please enter optional "
    "required here contact details main default attendee member person personal home "
    "billing shipping"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[a-z]+|\d+")


def header_words(header: str) -> tuple[str, ...]:
    """The words of a header, folded and expanded: "E-mail_Address1" -> email address 1."""
    text = header.replace("(s)", "s")
    text = _CAMEL.sub(" ", text)
    text = fold(text).replace("e-mail", "email").replace("e mail", "email")
    text = text.replace("zip+4", "zip 4").replace("nº", "number")
    words: list[str] = []
    for word in _WORD.findall(text):
        expanded = _GLUED.get(word)
        if expanded is None:
            words.append(word)
        else:
            words.extend(expanded.split())
    return tuple(words)


_EMAIL_WORDS = {"email", "emails"}
_PHONE_WORDS = {"phone", "mobile", "cell", "cellular", "sms", "text", "texts", "call", "calls"}
_MOBILE_WORDS = {"mobile", "cell", "cellular", "sms"}
_POST_WORDS = {"mail", "post", "postal", "letters", "letter", "mailing"}
_NEGATIVE = {"unsubscribed", "unsubscribes", "optedout"}
_POSITIVE = _words(
    "subscribed subscribe subscription consent consents permission agree agrees "
    "agreed ok okay allowed allow accepts newsletter receive optedin"
)
_CONSENT_SKIP = {"time", "date", "ip", "timestamp", "source", "method", "count", "rating", "at"}
_EMAIL_SKIP = _words(
    "type format status verified bounce bounced greeting domain client rating hash "
    "opens clicks sent count date time hold location signature"
)
_PHONE_SKIP = {"extension", "ext", "type", "provider", "carrier", "code", "fax", "prefix"}
_NOT_A_PERSON = _words(
    "additional yomi phonetic organization organisation company employer business "
    "household event ticket file username screen im address group team venue campaign "
    "list sort legal maiden middle emergency parent guardian spouse partner referrer "
    "recruiter host page form job account street city state country site web product "
    "item course training field tag"
)
_SOMEONE_ELSES = _words(
    "emergency parent parents guardian spouse partner referrer recruiter company "
    "organization organisation employer host venue manager assistant"
)
_PREFERRED = {"preferred", "nickname", "nick", "chosen"}
_GIVEN_STRONG = {"given", "forename", "forenames", "christian"}
_FAMILY_STRONG = {"surname", "surnames"}
_CITY = {"city", "town", "locality", "suburb", "municipality", "village", "citta", "cidade"}
_REGION = {"state", "province", "region", "prefecture", "territory", "provincia", "estado"}
_REGION_SKIP = {"world", "county", "status"}
_TAGS = {"tags", "tag", "labels", "label", "interests", "groups", "topics", "issues", "categories"}
_NOTES = {"notes", "note", "comments", "comment", "remarks", "remark", "memo", "message"}
_SCHOOL = {"school", "university", "college", "campus", "uni", "universidad", "institution"}
_STATUS_OF_SOMETHING_ELSE = _words(
    "attendee order ticket payment subscription sms account marital employment "
    "registration rsvp check checkin event invoice"
)
_STATUS_OK_WITH = {"status", "member", "membership", "type", "level", "contact", "person"}


def _field_for_words(words: tuple[str, ...]) -> Field:
    if not words:
        return Field.IGNORE
    w = set(words)
    joined = " ".join(words)
    significant = w - _NOISE

    # Consent first: "Do Not Email" holds the word "email" but is not an address.
    negative = bool(
        w & _NEGATIVE
        or "do not" in joined
        or ("opt" in w and "out" in w)
        or ("opted" in w and "out" in w)
        or (
            w & {"no", "never"}
            and w & (_EMAIL_WORDS | _PHONE_WORDS | _POST_WORDS | {"contact", "bulk"})
        )
        or joined.startswith("is opt out")
    )
    positive = bool(
        ("opt" in w and "in" in w)
        or ("opted" in w and "in" in w)
        or w & _POSITIVE
        or (
            w & {"can", "may"}
            and w & {"we", "us"}
            and w & (_EMAIL_WORDS | _PHONE_WORDS | _POST_WORDS)
        )
    )
    if negative or positive:
        if w & _CONSENT_SKIP:
            return Field.IGNORE
        if negative:
            if w & _EMAIL_WORDS or "bulk" in w:
                return Field.DO_NOT_EMAIL
            if w & _PHONE_WORDS:
                return Field.DO_NOT_PHONE
            if w & _POST_WORDS:
                return Field.DO_NOT_MAIL
            if "trade" in w or "share" in w:
                return Field.IGNORE
            if "contact" in w:
                return Field.DO_NOT_CONTACT
            return Field.DO_NOT_EMAIL  # a bare "Unsubscribed" or "Opt out" is about email
        if w & _EMAIL_WORDS:
            return Field.EMAIL_OK
        if w & _PHONE_WORDS:
            return Field.PHONE_OK
        if w & _POST_WORDS:
            return Field.MAIL_OK
        if w & {"subscription", "subscribed", "subscribe", "newsletter", "opt", "opted"}:
            return Field.EMAIL_OK
        if "consent" in w or "permission" in w or "ok" in w:
            return Field.EMAIL_OK
        # "receive", "agree" without a channel: not clear enough to guess.
    if w & _SOMEONE_ELSES and w & (_EMAIL_WORDS | _PHONE_WORDS | {"address", "name"}):
        return Field.IGNORE  # "Emergency contact phone", "Parent email"
    if w & _EMAIL_WORDS:
        return Field.IGNORE if w & _EMAIL_SKIP else Field.EMAIL
    if "fax" in w or "pager" in w:
        return Field.IGNORE
    if w & {"phone", "mobile", "cell", "cellular"}:
        if w & _PHONE_SKIP:
            return Field.IGNORE
        if "work" in w or "office" in w or "business" in w:
            return Field.PHONE  # used only when no home or mobile number came first
        return Field.MOBILE if w & _MOBILE_WORDS else Field.PHONE
    if w & _SCHOOL:
        if w & {"year", "grade", "class"}:
            return Field.IGNORE
        return Field.SCHOOL
    if ("graduation" in w or "graduating" in w or "grad" in w) and w & {"year", "date", "class"}:
        return Field.GRADUATION_YEAR
    if ("class" in w and ("of" in w or "year" in w)) or joined == "graduation":
        return Field.GRADUATION_YEAR

    # Postal codes before addresses: "Postal Code" must not become an address.
    if "suffix" in w or "zip4" in w or ("zip" in w and "4" in w) or "plus4" in w:
        return Field.IGNORE
    if (
        w & {"zip", "zip5", "postcode", "zipcode"}
        or ("postal" in w and "code" in w)
        or ("post" in w and "code" in w)
        or ("codigo" in w and "postal" in w)
        or ("code" in w and "postal" in w)
        or significant == {"postal"}
    ):
        return Field.POSTAL_CODE
    # "Address 1 - City" (Google Contacts) is a city; "Home Country/Region" a country.
    if "country" in w or "nation" in w:
        return Field.COUNTRY if not w & {"phone", "dialling", "dialing"} else Field.IGNORE
    if w & _CITY:
        return Field.CITY
    if w & _REGION and not w & _REGION_SKIP:
        return Field.REGION
    if w & {"address", "street", "line", "apt", "apartment", "suite", "unit"}:
        if w & {"ip", "web", "website", "url", "mac", "name", "email", "type", "id", "belongs"}:
            return Field.IGNORE
        if w & {"apt", "apartment", "suite", "unit"}:
            return Field.ADDRESS_LINE2
        if w & {"formatted", "full", "whole", "complete"}:
            return Field.FULL_ADDRESS
        if w & {"supplemental", "additional", "extra", "supplementary", "extended"}:
            return Field.ADDRESS_LINE2 if "1" in w or not w & {"2", "3"} else Field.IGNORE
        if "2" in w:
            return Field.ADDRESS_LINE2
        if w & {"3", "4"}:
            return Field.IGNORE
        if "1" in w or "street" in w or "line" in w:
            return Field.ADDRESS_LINE1
        return Field.FULL_ADDRESS

    if w & _TAGS and not w & {"count", "id", "name"}:
        return Field.TAGS
    if w & _NOTES and not w & {"count", "date"}:
        return Field.NOTES

    # Names.
    if w & _PREFERRED or ("known" in w and "as" in w) or ("goes" in w and "by" in w):
        if "name" in w or w & {"nickname", "nick"} or ("known" in w and "as" in w):
            return Field.PREFERRED_NAME
        return Field.IGNORE
    if w & _NOT_A_PERSON:
        return Field.IGNORE
    named = "name" in w or "names" in w
    first = bool(w & _GIVEN_STRONG) or ("first" in w and (named or len(significant) == 1))
    last = bool(w & _FAMILY_STRONG) or (
        ("family" in w or "last" in w) and (named or len(significant) == 1)
    )
    if first and last:
        return Field.FULL_NAME  # "Name (First Last)"
    if first:
        return Field.GIVEN_NAME
    if last:
        return Field.FAMILY_NAME
    if "nombre" in w:
        return Field.FULL_NAME if "completo" in w else Field.GIVEN_NAME
    if "nom" in w:
        return Field.FULL_NAME if "complet" in w else Field.FAMILY_NAME
    if named and "user" not in w:
        if w & {"initial", "initials", "prefix", "suffix", "title"}:
            return Field.IGNORE
        return Field.FULL_NAME

    if "status" in w or "membership" in w or joined == "member type":
        if w & _STATUS_OF_SOMETHING_ELSE:
            return Field.IGNORE
        return Field.STATUS if significant <= _STATUS_OK_WITH else Field.IGNORE
    return Field.IGNORE


_MAILCHIMP_SIGNS = {"leid", "euid", "gmtoff", "dstoff", "member rating"}


def guess_field(header: str) -> Field:
    """The field a header most likely names, or IGNORE."""
    return _field_for_words(header_words(header))


def guess_mapping(
    headers: Sequence[str], sample_rows: Sequence[Sequence[str]] = ()
) -> ColumnMapping:
    """A Field for each header; a field only one column can hold goes to one column.

    Pass the first rows of the table as ``sample_rows`` (the import does): then, of two
    columns that could hold the same field, the one with more values filled wins
    (SurveyMonkey has an empty "Email Address" column before the one people filled
    in), and columns with no telling header are recognised by what they hold: a column
    of email addresses, or of phone numbers. Without rows, the first column wins.
    """
    folded = {" ".join(header_words(header)) for header in headers}
    mailchimp = bool(folded & _MAILCHIMP_SIGNS)
    fields: list[Field] = []
    for header in headers:
        words = header_words(header)
        chosen = _field_for_words(words)
        if mailchimp and words in {("region",), ("cc",)}:
            chosen = Field.IGNORE  # Mailchimp's guess from the IP address, not the address
        fields.append(chosen)
    sample = sample_rows[:200]

    def filled(index: int) -> int:
        return sum(1 for row in sample if index < len(row) and row[index].strip())

    for chosen in set(fields):
        if chosen in MULTI_COLUMN_FIELDS:
            continue
        indexes = [index for index, other in enumerate(fields) if other is chosen]
        if len(indexes) < 2:
            continue
        keep = max(indexes, key=lambda index: (filled(index), -index)) if sample else indexes[0]
        for index in indexes:
            if index != keep:
                fields[index] = Field.IGNORE
    if sample:
        _guess_from_values(headers, fields, sample)
    return ColumnMapping(fields)


def _guess_from_values(
    headers: Sequence[str], fields: list[Field], sample_rows: Sequence[Sequence[str]]
) -> None:
    """Columns with no header (a list with no header row) named by what they hold."""
    for index, chosen in enumerate(fields):
        if chosen is not Field.IGNORE or not _NO_HEADER.match(headers[index]):
            continue
        values = [row[index].strip() for row in sample_rows[:50] if index < len(row) and row[index]]
        if not values:
            continue
        if sum(1 for value in values if _EMAIL_SHAPE.match(value)) >= 0.8 * len(values):
            fields[index] = Field.EMAIL
        elif sum(1 for value in values if _PHONE_SHAPE.match(value)) >= 0.8 * len(values):
            fields[index] = Field.PHONE
        elif Field.FULL_NAME not in fields and all(_NAME_SHAPE.match(value) for value in values):
            fields[index] = Field.FULL_NAME


_NO_HEADER = re.compile(r"^(?:Column \d+)?$")
_NAME_SHAPE = re.compile(r"^[^\W\d_][^\W\d_'’.\- ]*(?:,? [^\W\d_][^\W\d_'’.\-]*){1,4}$")


def mapping_problems(mapping: ColumnMapping) -> list[str]:
    """What is wrong with a mapping, in words; [] when it can be used as it is."""
    problems: list[str] = []
    fields = mapping.fields
    has_name = any(chosen in NAME_FIELDS for chosen in fields)
    has_contact = any(chosen in CONTACT_FIELDS for chosen in fields)
    if not has_name and not has_contact:
        problems.append(
            "No column holds a name or an email or phone number, so no one can be "
            "imported. Choose which column holds what."
        )
    elif not has_name:
        problems.append(
            "No column holds a name: people will be added with only their email or phone."
        )
    if (
        Field.FAMILY_NAME in fields
        and Field.GIVEN_NAME not in fields
        and (Field.FULL_NAME not in fields)
    ):
        problems.append("A column holds family names but none holds given names.")
    return problems


# --- values -----------------------------------------------------------------------------

MAX_CELL_CHARS = 2_000
# Cut to what the roster's columns hold (PostgreSQL enforces these lengths).
_FIELD_LIMITS = {
    Field.GIVEN_NAME: 500,
    Field.FAMILY_NAME: 500,
    Field.PREFERRED_NAME: 500,
    Field.EMAIL: 500,
    Field.PHONE: 100,
    Field.ADDRESS_LINE1: 500,
    Field.ADDRESS_LINE2: 500,
    Field.CITY: 200,
    Field.REGION: 200,
    Field.POSTAL_CODE: 20,
    Field.SCHOOL: 200,
    Field.NOTES: 10_000,
}
MAX_TAG_CHARS = 100

# A plain address: letters of any script, digits and RFC 5322's marks before the @, an
# ASCII domain after it. What this refuses goes to email-validator.
_EMAIL_SHAPE = re.compile(
    r"^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_EMAIL_FIND = re.compile(r"[^\s<>(),;:\"\[\]/]+@[^\s<>(),;:\"\[\]/]+")
_PHONE_SHAPE = re.compile(r"^(?:\+[\d\s().\-/]{7,20}|[\d\s().\-/]{10,20})$")
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_PLACEHOLDERS = {"n/a", "none", "null", "nil", "-", "--", "---", "?", "unknown", "(blank)"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TAG_SPLIT = re.compile(r"\s*[,;|\n]\s*")
_NEWLINES = re.compile(r"\s*\n\s*")

_TRUE = {
    "yes",
    "y",
    "true",
    "t",
    "1",
    "x",
    "✓",
    "✔",
    "☑",
    "checked",
    "on",
    "subscribed",
    "opted in",
    "opt in",
    "opt-in",
    "ok",
    "si",
    "sí",
    "oui",
    "ja",
    "agree",
    "agreed",
    "confirmed",
    "active",
}
_FALSE = {
    "no",
    "n",
    "false",
    "f",
    "0",
    "unchecked",
    "off",
    "unsubscribed",
    "opted out",
    "opt out",
    "opt-out",
    "non",
    "nein",
    "cleaned",
    "bounced",
    "declined",
    "inactive",
}
_STATUS_WORDS = {
    "member": PersonStatus.MEMBER,
    "members": PersonStatus.MEMBER,
    "current member": PersonStatus.MEMBER,
    "activist": PersonStatus.ACTIVIST,
    "volunteer": PersonStatus.ACTIVIST,
    "active": PersonStatus.ACTIVIST,
    "supporter": PersonStatus.SUPPORTER,
    "donor": PersonStatus.SUPPORTER,
    "subscriber": PersonStatus.SUPPORTER,
    "prospect": PersonStatus.PROSPECT,
    "lead": PersonStatus.PROSPECT,
    "new": PersonStatus.PROSPECT,
    "contact": PersonStatus.PROSPECT,
}


def _country_names(table: str) -> dict[str, str]:
    """{"united kingdom": "GB", ...} from lines of "GB: uk | united kingdom | ..."."""
    names: dict[str, str] = {}
    for line in table.strip().splitlines():
        code, _, written = line.partition(":")
        for name in written.split("|"):
            names[name.strip()] = code.strip()
    return names


# Country names and codes people write, to ISO 3166 alpha-2 (the roster stores two letters).
_COUNTRIES = _country_names(
    """
    US: us | usa | u s | u s a | united states | united states of america | america
    CA: ca | canada
    GB: gb | uk | u k | united kingdom | great britain | britain
    GB: england | scotland | wales | northern ireland
    IE: ie | ireland | eire
    DE: de | germany | deutschland
    FR: fr | france
    ES: es | spain | espana
    IT: it | italy | italia
    NL: nl | netherlands | the netherlands | holland
    BE: be | belgium
    CH: ch | switzerland
    AT: at | austria
    PT: pt | portugal
    AU: au | australia
    NZ: nz | new zealand
    MX: mx | mexico
    BR: br | brazil | brasil
    AR: ar | argentina
    CL: cl | chile
    CO: co | colombia
    PE: pe | peru
    IN: in | india
    JP: jp | japan
    CN: cn | china
    KR: kr | south korea | korea
    PH: ph | philippines
    ZA: za | south africa
    NG: ng | nigeria
    KE: ke | kenya
    GH: gh | ghana
    SE: se | sweden
    NO: no | norway
    DK: dk | denmark
    FI: fi | finland
    PL: pl | poland
    UA: ua | ukraine
    RU: ru | russia
    TR: tr | turkey | turkiye
    IL: il | israel
    PS: ps | palestine
    EG: eg | egypt
    MA: ma | morocco
    GR: gr | greece
    CZ: cz | czech republic | czechia
    HU: hu | hungary
    RO: ro | romania
    PR: pr | puerto rico
    """
)
_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT "
    "NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI "
    "AS MP AA AE AP"
)
_CA_PROVINCES = _words("AB BC MB NB NL NS NT NU ON PE QC SK YT")
_NANP = _words("US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI")
_NAME_PARTICLES = _words(
    "van von der den de da di du del della dela la le ní nic ó ua mac bin ibn al el "
    "dos das ter ten st st. san santa y"
)
_NAME_TITLES = _words("mr mr. mrs mrs. ms ms. miss mx mx. dr dr. prof prof. rev rev. sr. sra. fr.")


def split_full_name(text: str, *, family_first: bool = False) -> tuple[str, str]:
    """(given, family) from "Family, Given" or "Given Family".

    In "Given Family" order the family name is the last word with the particles before
    it ("Aoife Ní Bhriain", "Ludwig van Beethoven"); words written in capitals when the
    others are not are the family name ("SATO Kenji"). With ``family_first`` (a column
    where most names are "Family, Given"), a name without a comma is read as "Family
    Given": the first word and any particles before it ("Ní Bhriain Aoife").
    """
    text = " ".join(text.split())
    if not text:
        return "", ""
    if "," in text:
        family, _, given = text.partition(",")
        family, given = family.strip(), given.strip().strip(",").strip()
        if family and given:
            # "King, Martin Luther, Jr." keeps the suffix with the given names.
            return given, family
        text = family or given
    words = text.split(" ")
    while len(words) > 1 and words[0].casefold() in _NAME_TITLES:
        words = words[1:]
    if len(words) == 1:
        return words[0], ""
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals and len(capitals) < len(words) and any(w.isalpha() for w in capitals):
        family = " ".join(capitals)
        given = " ".join(w for w in words if w not in capitals)
        return given, family
    if family_first:
        cut = 1
        while cut < len(words) - 1 and words[cut - 1].casefold() in _NAME_PARTICLES:
            cut += 1
        return " ".join(words[cut:]), " ".join(words[:cut])
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].casefold() in _NAME_PARTICLES:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


@dataclass(frozen=True)
class AddressParts:
    line1: str = ""
    line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # ISO alpha-2 when it was written in the address


_US_TAIL = re.compile(
    r"^(?:(?P<city>.*?)[\s,]+)?(?P<region>[A-Za-z]{2}|[A-Za-z][A-Za-z .]+?)\.?\s+"
    r"(?P<postal>\d{3,5}(?:-\d{4})?|\d{9})$"
)
_CA_POSTAL = re.compile(r"[A-Z]\d[A-Z] ?\d[A-Z]\d$", re.IGNORECASE)
_GB_POSTAL = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)
_EU_POSTAL_FIRST = re.compile(r"^(?P<postal>\d{4,5}|[A-Z]{1,2}-\d{4,5})\s+(?P<city>\D.*)$")
_ADDRESS_SPLIT = re.compile(r"\s*(?:\n|,|;|\s{2,})\s*")


def split_address(text: str, country: str = "US") -> AddressParts:
    """Street, city, region and postal code from one address cell, where it parses.

    Handles "12 Main St, Apt 4, Cambridge, MA 02139, USA", Mailchimp's double-space
    form "12 Main St  Cambridge  MA  02139  US", lines on separate lines, UK
    "10 Downing St, London SW1A 2AA" and "Hauptstr. 5, 10115 Berlin". Anything else
    is returned whole as line 1.
    """
    whole = ", ".join(part for part in _ADDRESS_SPLIT.split(text.strip()) if part)
    parts = [part for part in _ADDRESS_SPLIT.split(text.strip()) if part]
    if len(parts) < 2:
        return AddressParts(line1=whole)
    found_country = ""
    code = _country_code(parts[-1])
    if code and parts[-1].upper() in _US_STATES | _CA_PROVINCES:
        code = ""  # "..., Cambridge, MA" ends with a state, not with Morocco
    if code and len(parts) >= 3:
        found_country = code
        parts = parts[:-1]
    home = found_country or country.upper()
    city = region = postal = ""
    last = parts[-1]
    us_like = home in _NANP or home == ""
    # Mailchimp puts city, state and ZIP in parts of their own.
    if (
        len(parts) >= 4
        and re.fullmatch(r"\d{3,5}(?:-\d{4})?", parts[-1])
        and len(parts[-2]) == 2
        and parts[-2].isalpha()
    ):
        city, region, postal = parts[-3], parts[-2].upper(), parts[-1]
        rest = parts[:-3]
    elif us_like and (match := _US_TAIL.match(last)):
        region, postal = match["region"].strip(), match["postal"]
        if match["city"]:
            city = match["city"].strip(" ,")
            rest = parts[:-1]
        else:
            city = parts[-2] if len(parts) >= 3 else ""
            rest = parts[:-2] if len(parts) >= 3 else parts[:-1]
    elif us_like and len(parts) >= 3 and last.upper() in _US_STATES | _CA_PROVINCES:
        city, region, rest = parts[-2], last.upper(), parts[:-2]  # no postal code written
    elif home == "CA" and (ca := _CA_POSTAL.search(last)):
        postal = ca.group(0).upper()
        before = last[: ca.start()].strip(" ,")
        bits = before.rsplit(" ", 1)
        if len(bits) == 2 and bits[1].upper() in _CA_PROVINCES:
            city, region = bits[0], bits[1].upper()
        elif before.upper() in _CA_PROVINCES:
            region = before.upper()
            city = parts[-2] if len(parts) >= 3 else ""
        else:
            city = before
        rest = parts[:-1] if before or len(parts) < 3 else parts[:-2]
    elif home in {"GB", "IE"} and (gb := _GB_POSTAL.search(last)):
        postal = gb.group(0).upper()
        city = last[: gb.start()].strip(" ,")
        rest = parts[:-1]
        if not city and len(parts) >= 3:
            city, rest = parts[-2], parts[:-2]
    elif match := _EU_POSTAL_FIRST.match(last):
        postal, city = match["postal"], match["city"].strip()
        rest = parts[:-1]
    else:
        return AddressParts(line1=whole, country=found_country)
    if not rest:
        return AddressParts(line1=whole, country=found_country)
    return AddressParts(
        line1=rest[0],
        line2=", ".join(rest[1:]),
        city=city,
        region=region,
        postal_code=postal,
        country=found_country,
    )


def _country_code(text: str) -> str:
    key = " ".join(fold(text).replace(".", " ").split())
    return _COUNTRIES.get(key, "")


def parse_bool(text: str) -> bool | None:
    """yes/no/true/false/1/0/x/checked (and a few languages) as a bool; None otherwise."""
    key = text.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def normalise_postal(text: str, country: str) -> str:
    """Upper-cased, single-spaced; a US ZIP stored as a number gets its leading zeros."""
    value = " ".join(text.upper().split())
    if country == "US":
        if value.isdigit():
            if 3 <= len(value) < 5:
                return value.zfill(5)
            if 7 <= len(value) <= 9:
                value = value.zfill(9)
                return f"{value[:5]}-{value[5:]}"
        elif len(value) >= 8 and value[-5] == "-" and value[:-5].isdigit():
            head, tail = value[:-5], value[-4:]
            if 3 <= len(head) < 5 and tail.isdigit():
                return f"{head.zfill(5)}-{tail}"
    return value


# --- phones -----------------------------------------------------------------------------

_nanp_patterns: list[tuple[re.Pattern[str], re.Pattern[str]]] | None = None


def _nanp_valid(national: str) -> bool:
    """True when +1 and these ten digits is a valid number for some NANP region.

    The same test as phonenumbers.is_valid_number, read from its own metadata, without
    the cost of parsing (about 40 microseconds a number).
    """
    global _nanp_patterns
    if _nanp_patterns is None:
        import phonenumbers

        patterns = []
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
            meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
            if meta is None or meta.general_desc is None:
                continue
            kinds = []
            for desc in (
                meta.premium_rate,
                meta.toll_free,
                meta.shared_cost,
                meta.voip,
                meta.personal_number,
                meta.pager,
                meta.uan,
                meta.voicemail,
                meta.fixed_line,
                meta.mobile,
            ):
                if desc is not None and desc.national_number_pattern:
                    kinds.append(f"(?:{desc.national_number_pattern})")
            general = meta.general_desc.national_number_pattern
            if general and kinds:
                patterns.append((re.compile(f"(?:{general})"), re.compile("|".join(kinds))))
        _nanp_patterns = patterns
    return any(
        general.fullmatch(national) and kinds.fullmatch(national)
        for general, kinds in _nanp_patterns
    )


# Whether +1 and a ten-digit number is valid depends on its first seven digits only
# (area code, exchange and at most one more digit in phonenumbers' NANP patterns; a
# test checks this against phonenumbers), so the verdict is kept per seven digits.
_NANP_PREFIX_VERDICTS: dict[str, bool] = {}
# The North-American shapes people write: 6175550142, (617) 555-0142, 617.555.0142,
# 1-617-555-0142, +1 617 555 0142. Anything else goes to phonenumbers.
_NANP_SHAPE = re.compile(r"^(?:\+1|1)?[ .-]?\(?([2-9]\d\d)\)?[ .-]?[ .-]?([2-9]\d\d)[ .-]?(\d{4})$")


class PhoneChecker:
    """Phone numbers to E.164: the +1 shapes checked without parsing, others cached."""

    def __init__(self, country: str) -> None:
        self.country = (country or "").upper()
        self.nanp = self.country in _NANP
        self._cache: dict[tuple[str, str], tuple[str, str]] = {}

    def check(self, text: str, country: str = "") -> tuple[str, str]:
        """(value, problem): E.164 when valid, else the text as written and why not."""
        country = country or self.country
        match = _NANP_SHAPE.match(text)
        if match and (
            text[0] == "+" or (self.nanp if country == self.country else country in _NANP)
        ):
            area, exchange, line = match.groups()
            national = area + exchange + line
            verdict = _NANP_PREFIX_VERDICTS.get(national[:7])
            if verdict is None:
                verdict = _nanp_valid(national)
                _NANP_PREFIX_VERDICTS[national[:7]] = verdict
            if verdict:
                return "+1" + national, ""
        key = (text, country)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._slow(text, country)
            if len(self._cache) < 100_000:
                self._cache[key] = cached
        return cached

    @staticmethod
    def _slow(text: str, country: str) -> tuple[str, str]:
        if _SCIENTIFIC.match(text.strip()):
            return text, (
                "a spreadsheet turned this phone number into a rounded number; "
                "its last digits are lost."
            )
        check = validation.check_phone(text, country or "US")
        return check.value, check.problem


# --- rows -------------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """A row of the list as a person to add or match; problems are kept, not fatal."""

    row_number: int
    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    email: str = ""  # trimmed; as written when it is not a valid address
    phone: str = ""  # E.164 when it parses with the group's country, else as written
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # two letters, when the file said
    status: PersonStatus | None = None
    school: str = ""
    graduation_year: int | None = None
    email_ok: bool | None = None  # None: the file did not say
    phone_ok: bool | None = None
    mail_ok: bool | None = None
    do_not_contact: bool | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def has_name(self) -> bool:
        return bool(self.given_name or self.family_name or self.preferred_name)


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that cannot be taken, with the reason in words."""

    row_number: int
    reason: str  # e.g. "no name and no email or phone"
    values: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"row {self.row_number}: {self.reason}"


NO_IDENTITY = "no name and no email or phone"
REPEATED_HEADER = "repeats the header row"


def _clean(text: str) -> str:
    """One line of text: control characters gone, spaces collapsed."""
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    return " ".join(text.split())


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _case_forms(words: set[str]) -> set[str]:
    return {form for word in words for form in (word, word.upper(), word.title())}


# The usual spellings, looked up as written before anything is folded (the hot path).
_PLACEHOLDER_FORMS = frozenset(_case_forms(_PLACEHOLDERS))
_BOOL_FORMS: dict[str, bool] = {form: True for form in _case_forms(_TRUE)} | {
    form: False for form in _case_forms(_FALSE)
}
# Positions of the Candidate's fields, for building one from a list of values.
_SLOT = {name: index for index, name in enumerate(Candidate.__dataclass_fields__)}
_S_COUNTRY = _SLOT["country"]
_S_POSTAL = _SLOT["postal_code"]
_S_STATUS = _SLOT["status"]
_S_GRADUATION = _SLOT["graduation_year"]
_S_DO_NOT_CONTACT = _SLOT["do_not_contact"]
_S_TAGS = _SLOT["tags"]
_S_NOTES = _SLOT["notes"]
_S_PROBLEMS = _SLOT["problems"]
_S_EMAIL = _SLOT["email"]
_S_PHONE = _SLOT["phone"]
_S_LINE1 = _SLOT["address_line1"]
_TEMPLATE: list[object] = [
    None
    if name in {"status", "graduation_year", "email_ok", "phone_ok", "mail_ok", "do_not_contact"}
    else ""
    for name in Candidate.__dataclass_fields__
]
_CACHE_LIMIT = 100_000


class _RowReader:
    """Turns rows into candidates a chunk at a time, one column after another.

    Working down a column (the same test on thousands of cells, caches per column)
    costs about half of working along each row in Python; rows_to_candidates still
    yields one result at a time, in row order.
    """

    def __init__(self, table: RawTable, mapping: ColumnMapping, country: str) -> None:
        width = len(table.headers)
        fields = list(mapping.fields[:width]) + [Field.IGNORE] * (width - len(mapping.fields))
        self.headers = table.headers
        self.width = width
        self.country = (country or "US").strip().upper()[:2] or "US"
        self.phones = PhoneChecker(self.country)
        self.this_year = date.today().year
        cols: dict[Field, tuple[int, ...]] = {}
        for index, chosen in enumerate(fields):
            if chosen is not Field.IGNORE:
                cols[chosen] = (*cols.get(chosen, ()), index)
        # Looked up once here: hashing an enum member runs Python code.
        self.text_fields = [
            (_SLOT[chosen.value], cols[chosen], _FIELD_LIMITS[chosen], chosen.label())
            for chosen in (
                Field.GIVEN_NAME,
                Field.FAMILY_NAME,
                Field.PREFERRED_NAME,
                Field.ADDRESS_LINE1,
                Field.ADDRESS_LINE2,
                Field.CITY,
                Field.REGION,
                Field.SCHOOL,
            )
            if chosen in cols
        ]
        self.consent = [
            (_SLOT[attribute], negated, cols[chosen])
            for chosen, attribute, negated in (
                (Field.EMAIL_OK, "email_ok", False),
                (Field.PHONE_OK, "phone_ok", False),
                (Field.MAIL_OK, "mail_ok", False),
                (Field.DO_NOT_EMAIL, "email_ok", True),
                (Field.DO_NOT_PHONE, "phone_ok", True),
                (Field.DO_NOT_MAIL, "mail_ok", True),
                (Field.DO_NOT_CONTACT, "do_not_contact", False),
            )
            if chosen in cols
        ]
        # Mobile columns first: a group texts before it calls.
        self.phone_cols = cols.get(Field.MOBILE, ()) + cols.get(Field.PHONE, ())
        self.full_name_cols = cols.get(Field.FULL_NAME, ())
        self.country_cols = cols.get(Field.COUNTRY, ())
        self.address_cols = cols.get(Field.FULL_ADDRESS, ())
        self.postal_cols = cols.get(Field.POSTAL_CODE, ())
        self.email_cols = cols.get(Field.EMAIL, ())
        self.status_cols = cols.get(Field.STATUS, ())
        self.year_cols = cols.get(Field.GRADUATION_YEAR, ())
        self.tag_cols = cols.get(Field.TAGS, ())
        self.note_cols = cols.get(Field.NOTES, ())
        self.used = sorted({index for indexes in cols.values() for index in indexes})
        # A row that repeats the header (two exports pasted one under the other) is
        # found by its first named column, then compared whole.
        named = [i for i, header in enumerate(table.headers) if not header.startswith("Column ")]
        self.header_probe = named[0] if len(named) >= 2 else -1
        if self.header_probe >= 0 and self.header_probe not in self.used:
            self.used.append(self.header_probe)
        self.header_folded = tuple(header.casefold() for header in table.headers)
        self.names: dict[tuple[str, bool], tuple[str, str]] = {}
        # A name column where most names are "Family, Given" is read family first
        # also where a comma was left out ("Sato Kenji").
        self.family_first: dict[int, bool] = {}
        for index in self.full_name_cols:
            sample = [row[index] for row in table.rows[:1000] if index < len(row) and row[index]]
            commas = sum(1 for cell in sample if "," in cell)
            self.family_first[index] = len(sample) >= 2 and commas >= 0.6 * len(sample)
        self.postals: dict[tuple[str, str], tuple[str, str]] = {}
        self.countries: dict[str, tuple[str, str]] = {}
        self.tag_cells: dict[str, tuple[tuple[str, ...], str]] = {}

    def label(self, index: int) -> str:
        return f"“{_short(self.headers[index])}”"

    def chunk(
        self, numbers: Sequence[int], rows: Sequence[Sequence[str]]
    ) -> list[Candidate | RejectedRow]:
        width = self.width
        n = len(rows)
        if n == 0:
            return []
        fixed: Sequence[Sequence[str]] = rows
        if set(map(len, rows)) != {width}:  # a table read from a file is already even
            fixed = [row if len(row) == width else _fit(row, width) for row in rows]
        # Only the columns some field reads, each as a list (no full transpose).
        columns: dict[int, list[str]] = {
            index: list(map(itemgetter(index), fixed)) for index in self.used
        }
        problems: dict[int, list[str]] = {}
        extra: dict[int, list[str]] = {}
        slots: dict[int, list[Any]] = {}

        def note(i: int, text: str) -> None:
            problems.setdefault(i, []).append(text)

        for slot, indexes, limit, label in self.text_fields:
            if len(indexes) == 1:
                slots[slot] = _clean_column(columns[indexes[0]], limit, label, note)
            else:
                merged = [_clean_column(columns[i], limit, label, note) for i in indexes]
                slots[slot] = _first_filled(merged, label, extra)

        if self.full_name_cols:
            self._full_names(columns, slots, note)

        homes: list[str] | None = None
        if self.country_cols or self.address_cols:
            row_countries = self._countries(columns, note) if self.country_cols else [""] * n
            if self.address_cols:
                self._addresses(columns, slots, row_countries, note, extra)
            slots[_S_COUNTRY] = row_countries
            homes = [code or self.country for code in row_countries]

        postal: list[str] | None = slots.get(_S_POSTAL)
        for index in reversed(self.postal_cols):
            column = columns[index]
            if postal is None:
                postal = list(column)
            else:
                postal = [cell or old for cell, old in zip(column, postal, strict=True)]
        if postal is not None:
            slots[_S_POSTAL] = self._postals(postal, homes, note)

        if self.email_cols:
            slots[_S_EMAIL] = self._emails(columns, note, extra)
        if self.phone_cols:
            slots[_S_PHONE] = self._phones(columns, homes, note, extra)

        empty = [""] * n
        identity = zip(
            slots.get(1, empty),
            slots.get(2, empty),
            slots.get(3, empty),
            slots.get(_S_EMAIL, empty),
            slots.get(_S_PHONE, empty),
            strict=True,
        )
        rejected = {i for i, names in enumerate(identity) if not any(names)}
        probe = self.header_probe
        if probe >= 0:
            wanted = self.header_folded[probe]
            size = len(wanted)
            for i, cell in enumerate(columns[probe]):
                if len(cell) == size and cell.casefold() == wanted and self._repeats(fixed[i]):
                    rejected.add(i)

        if self.status_cols:
            slots[_S_STATUS] = self._statuses(columns, note)
        if self.year_cols:
            slots[_S_GRADUATION] = self._years(columns, note)
        for slot, negated, indexes in self.consent:
            for index in indexes:
                slots[slot] = self._consent(
                    columns[index], index, negated, slot, slots.get(slot), note
                )
        if self.tag_cols:
            slots[_S_TAGS] = self._tag_lists(columns, note)
        else:
            slots[_S_TAGS] = [[] for _ in range(n)]
        if self.note_cols or extra:
            slots[_S_NOTES] = self._notes(columns, extra, note, n)
        slots[_S_PROBLEMS] = [problems.get(i) or [] for i in range(n)]

        arguments: list[Iterable[Any]] = [numbers]
        for slot in range(1, len(_TEMPLATE)):
            arguments.append(slots[slot] if slot in slots else repeat(_TEMPLATE[slot]))
        candidates: list[Candidate | RejectedRow] = list(map(Candidate, *arguments))
        for i in sorted(rejected):
            reason = REPEATED_HEADER if self._repeats(fixed[i]) else NO_IDENTITY
            candidates[i] = RejectedRow(numbers[i], reason, tuple(fixed[i]))
        return candidates

    # --- one field at a time, down the chunk ------------------------------------------

    def _full_names(
        self,
        columns: dict[int, list[str]],
        slots: dict[int, list[Any]],
        note: Callable[[int, str], None],
    ) -> None:
        n = len(columns[0])
        given = slots.setdefault(1, [""] * n)
        family = slots.setdefault(2, [""] * n)
        for i in range(n):
            if given[i] or family[i]:
                continue
            for index in self.full_name_cols:
                cell = columns[index][i]
                if not cell:
                    continue
                family_first = self.family_first[index]
                split = self.names.get((cell, family_first))
                if split is None:
                    full = _clean(cell)
                    if not full or full in _PLACEHOLDER_FORMS:
                        continue
                    if len(full) > MAX_CELL_CHARS:
                        note(
                            i,
                            f"The name was {len(full):,} characters long and was cut "
                            f"to {MAX_CELL_CHARS:,}.",
                        )
                        full = full[:MAX_CELL_CHARS]
                    first, last = split_full_name(full, family_first=family_first)
                    split = (first[:500], last[:500])
                    if len(self.names) < _CACHE_LIMIT and len(cell) <= MAX_CELL_CHARS:
                        self.names[(cell, family_first)] = split
                if split[0] or split[1]:
                    given[i], family[i] = split
                    break

    def _countries(
        self, columns: dict[int, list[str]], note: Callable[[int, str], None]
    ) -> list[str]:
        n = len(columns[0])
        codes = [""] * n
        for i in range(n):
            for index in self.country_cols:
                cell = columns[index][i]
                if not cell:
                    continue
                cached = self.countries.get(cell)
                if cached is None:
                    written = _clean(cell)
                    code = _country_code(written)
                    if not code and len(written) == 2 and written.isascii() and written.isalpha():
                        code = written.upper()
                    problem = (
                        ""
                        if code or not written
                        else f"Country “{_short(written)}” is not one this program knows; "
                        "it was left empty."
                    )
                    cached = (code, problem)
                    if len(self.countries) < _CACHE_LIMIT:
                        self.countries[cell] = cached
                if cached[1]:
                    note(i, cached[1])
                codes[i] = cached[0]
                break
        return codes

    def _addresses(
        self,
        columns: dict[int, list[str]],
        slots: dict[int, list[Any]],
        row_countries: list[str],
        note: Callable[[int, str], None],
        extra: dict[int, list[str]],
    ) -> None:
        n = len(row_countries)
        line1 = slots.setdefault(_S_LINE1, [""] * n)
        line2 = slots.setdefault(_S_LINE1 + 1, [""] * n)
        city = slots.setdefault(_S_LINE1 + 2, [""] * n)
        region = slots.setdefault(_S_LINE1 + 3, [""] * n)
        postal = slots.setdefault(_S_POSTAL, [""] * n)
        for i in range(n):
            for index in self.address_cols:
                written = columns[index][i].strip()
                if not written:
                    continue
                if not written.isprintable():
                    written = _CONTROL.sub("", written)
                if len(written) > MAX_CELL_CHARS:
                    written = written[:MAX_CELL_CHARS]
                    note(i, f"The address was cut to {MAX_CELL_CHARS:,} characters.")
                parts = split_address(written, row_countries[i] or self.country)
                if not line1[i]:
                    line1[i] = parts.line1[:500]
                    if not line2[i]:
                        line2[i] = parts.line2[:500]
                elif parts.line1 and parts.line1 != line1[i]:
                    extra.setdefault(i, []).append(f"Address: {' '.join(written.split())}")
                if parts.city and not city[i]:
                    city[i] = parts.city[:200]
                if parts.region and not region[i]:
                    region[i] = parts.region[:200]
                if parts.postal_code and not self.postal_cols:
                    postal[i] = parts.postal_code
                if parts.country and not row_countries[i]:
                    row_countries[i] = parts.country
                break

    def _postals(
        self, written: list[str], homes: list[str] | None, note: Callable[[int, str], None]
    ) -> list[str]:
        cache = self.postals
        home = self.country
        out = []
        for i, cell in enumerate(written):
            if not cell:
                out.append("")
                continue
            if homes is not None:
                home = homes[i]
            cached = cache.get((cell, home))
            if cached is None:
                postal = normalise_postal(_clean(cell), home)
                problem = validation.check_postal_code(postal, home).problem if postal else ""
                if problem:
                    problem = f"Postal code “{_short(postal)}”: {problem}"
                if len(postal) > 20:
                    problem = f"Postal code “{_short(postal)}” was cut to 20 characters."
                    postal = postal[:20]
                cached = (postal, problem)
                if len(cache) < _CACHE_LIMIT:
                    cache[(cell, home)] = cached
            if cached[1]:
                note(i, cached[1])
            out.append(cached[0])
        return out

    def _emails(
        self,
        columns: dict[int, list[str]],
        note: Callable[[int, str], None],
        extra: dict[int, list[str]],
    ) -> list[str]:
        match = _EMAIL_SHAPE.match
        out: list[str] = []
        append = out.append
        indexes = self.email_cols
        single = len(indexes) == 1
        for i, cells in enumerate(zip(*(columns[index] for index in indexes), strict=True)):
            if single:
                cell = cells[0]
                if not cell:
                    append("")
                    continue
                if match(cell):
                    # One plain address, the common case. The domain is lower-cased
                    # as email-validator does; the part before the @ is kept as written.
                    at = cell.rindex("@")
                    append(cell[:at] + cell[at:].lower())
                    continue
            append(self._email(cells, i, note, extra))
        return out

    def _email(
        self,
        cells: tuple[str, ...],
        i: int,
        note: Callable[[int, str], None],
        extra: dict[int, list[str]],
    ) -> str:
        found: list[str] = []
        for cell in cells:
            if not cell:
                continue
            cell = _clean(cell)
            if not cell or cell in _PLACEHOLDER_FORMS:
                continue
            if _EMAIL_SHAPE.match(cell):
                found.append(cell)
                continue
            if cell[:7].casefold() == "mailto:":
                cell = cell[7:].strip()
            several = _EMAIL_FIND.findall(cell)
            if several and (len(several) > 1 or several[0] != cell):
                # "Kenji Sato <kenji@example.org>", or two addresses in one cell.
                found.extend(address.strip(".") for address in several)
            else:
                found.append(cell)
        if not found:
            return ""
        first = found[0]
        for other in found[1:]:
            line = f"Email: {other}"
            if other.casefold() != first.casefold() and line not in extra.get(i, ()):
                extra.setdefault(i, []).append(line)
        if len(first) > 500:
            note(i, f"The email was {len(first):,} characters long and was cut to 500.")
            return first[:500]
        if _EMAIL_SHAPE.match(first):
            at = first.rindex("@")
            return first[:at] + first[at:].lower()
        # email-validator only for what the expression refused (few in a real list):
        # it explains the fault and handles international domains.
        check = validation.check_email(first)
        if check.problem:
            note(i, f"Email “{_short(first)}”: {check.problem}")
        return check.value

    def _phones(
        self,
        columns: dict[int, list[str]],
        homes: list[str] | None,
        note: Callable[[int, str], None],
        extra: dict[int, list[str]],
    ) -> list[str]:
        check = self.phones.check
        home = self.country
        live = [
            _clean_column(columns[index], 100, self.label(index), note)
            for index in self.phone_cols
            if any(columns[index])
        ]
        if not live:
            return [""] * len(columns[self.phone_cols[0]])
        out: list[str] = []
        append = out.append
        if len(live) == 1:  # the common case, kept lean: one column with numbers in it
            for i, cell in enumerate(live[0]):
                if not cell:
                    append("")
                    continue
                if homes is not None:
                    home = homes[i]
                value, problem = check(cell, home)
                if problem:
                    note(i, f"Phone “{_short(value)}”: {problem}")
                append(value)
            return out
        for i, cells in enumerate(zip(*live, strict=True)):
            if homes is not None:
                home = homes[i]
            chosen = ""
            for cell in cells:
                if not cell:
                    continue
                value, problem = check(cell, home)
                if not chosen:
                    chosen = value
                    if problem:
                        note(i, f"Phone “{_short(value)}”: {problem}")
                elif value != chosen:
                    extra.setdefault(i, []).append(f"Phone: {value}")
            append(chosen)
        return out

    def _repeats(self, row: Sequence[str]) -> bool:
        same = 0
        for cell, header in zip(row, self.header_folded, strict=False):
            if cell:
                if " ".join(cell.split()).casefold() != header:
                    return False
                same += 1
        return same >= 2

    def _statuses(
        self, columns: dict[int, list[str]], note: Callable[[int, str], None]
    ) -> list[PersonStatus | None]:
        out: list[PersonStatus | None] = []
        for i, cells in enumerate(zip(*(columns[j] for j in self.status_cols), strict=True)):
            status = None
            for cell in cells:
                written = _clean(cell) if cell else ""
                if written:
                    status = _STATUS_WORDS.get(written.casefold())
                    if status is None:
                        note(
                            i,
                            f"Status “{_short(written)}” is not member, activist, supporter "
                            "or prospect; it was left unset.",
                        )
                    break
            out.append(status)
        return out

    def _years(
        self, columns: dict[int, list[str]], note: Callable[[int, str], None]
    ) -> list[int | None]:
        out: list[int | None] = []
        for i, cells in enumerate(zip(*(columns[j] for j in self.year_cols), strict=True)):
            year = None
            for cell in cells:
                written = _clean(cell) if cell else ""
                if written:
                    year = self._year(written, i, note)
                    break
            out.append(year)
        return out

    def _year(self, written: str, i: int, note: Callable[[int, str], None]) -> int | None:
        digits = re.findall(r"\d+", written)
        year: int | None = None
        for part in digits:
            if len(part) == 4:
                year = int(part)
                break
            if len(part) == 2 and len(digits) == 1:
                year = 2000 + int(part)
        if year is None:
            note(i, f"Graduation year “{_short(written)}” is not a year; it was left empty.")
            return None
        check = validation.check_graduation_year(year, self.this_year)
        if check.problem:
            note(i, f"Graduation year {year}: {check.problem}")
            return None
        return year

    def _consent(
        self,
        column: list[str],
        index: int,
        negated: bool,
        slot: int,
        current: list[bool | None] | None,
        note: Callable[[int, str], None],
    ) -> list[bool | None]:
        said = [_BOOL_FORMS.get(cell) if cell else None for cell in column]
        for i, value in enumerate(said):
            if value is None and column[i] and column[i].strip():
                value = parse_bool(column[i])
                if value is None:
                    note(
                        i,
                        f"{self.label(index)} says “{_short(_clean(column[i]))}”, which is "
                        "neither yes nor no; it was left unset.",
                    )
                said[i] = value
        # "Do not email: yes" means email_ok False. "Do not email: no" means the list's
        # own system emailed them, so email_ok True. When several columns speak to the
        # same consent, a refusal in any of them wins: consent is never assumed over it.
        if slot == _S_DO_NOT_CONTACT:
            allowed = said
            if current is None:
                return allowed
            return [
                None if a is None and c is None else bool(a) or bool(c)
                for a, c in zip(allowed, current, strict=True)
            ]
        allowed = [None if v is None else not v for v in said] if negated else said
        if current is None:
            return allowed
        return [
            c if a is None else a if c is None else (a and c)
            for a, c in zip(allowed, current, strict=True)
        ]

    def _tag_lists(
        self, columns: dict[int, list[str]], note: Callable[[int, str], None]
    ) -> list[list[str]]:
        cache = self.tag_cells
        out: list[list[str]] = []
        for i, cells in enumerate(zip(*(columns[j] for j in self.tag_cols), strict=True)):
            tags: list[str] = []
            for cell in cells:
                if not cell:
                    continue
                cached = cache.get(cell)
                if cached is None:
                    cached = _split_tags(cell)
                    if len(cache) < _CACHE_LIMIT:
                        cache[cell] = cached
                if cached[1]:
                    note(i, cached[1])
                if tags:
                    tags.extend(tag for tag in cached[0] if tag not in tags)
                else:
                    tags = list(cached[0])
            out.append(tags)
        return out

    def _notes(
        self,
        columns: dict[int, list[str]],
        extra: dict[int, list[str]],
        note: Callable[[int, str], None],
        n: int,
    ) -> list[str]:
        out = [""] * n
        limit = _FIELD_LIMITS[Field.NOTES]
        for i in range(n):
            notes: list[str] = []
            for index in self.note_cols:
                cell = columns[index][i]
                if cell and not cell.isspace():
                    if not cell.isprintable():
                        cell = _CONTROL.sub("", cell)
                    cell = _NEWLINES.sub("\n", cell.strip())
                    if cell:
                        notes.append(cell)
            notes.extend(extra.get(i, ()))
            if not notes:
                continue
            text = "\n".join(notes)
            if len(text) > limit:
                note(i, f"The notes were {len(text):,} characters long and were cut to {limit:,}.")
                text = text[:limit]
            out[i] = text
        return out


def _fit(row: Sequence[str], width: int) -> tuple[str, ...]:
    cells = tuple(cell if isinstance(cell, str) else str(cell) for cell in row[:width])
    return cells + ("",) * (width - len(cells))


def _clean_column(
    column: Sequence[str], limit: int, label: str, note: Callable[[int, str], None]
) -> list[str]:
    """A column of one-line text: cleaned, placeholders emptied, long values cut."""
    # Most columns need no cleaning at all; two joins tell so at C speed: any
    # character that is not printable (line breaks, tabs, no-break spaces, controls),
    # double spaces, or a space at either end of a cell.
    spaced = "\x00".join(column)
    if (
        " ".join(column).isprintable()
        and "  " not in spaced
        and " \x00" not in spaced
        and "\x00 " not in spaced
        and spaced[:1] != " "
        and spaced[-1:] != " "
    ):
        out = list(column)
    else:
        out = _clean_cells(column)
    if not _PLACEHOLDER_FORMS.isdisjoint(out):
        out = ["" if cell in _PLACEHOLDER_FORMS else cell for cell in out]
    if max(map(len, out), default=0) > limit:
        for i, cell in enumerate(out):
            if len(cell) > limit:
                note(i, f"{label} was {len(cell):,} characters long and was cut to {limit:,}.")
                out[i] = cell[:limit]
    return out


def _clean_cells(column: Sequence[str]) -> list[str]:
    return [
        cell
        if not cell or (cell.isprintable() and "  " not in cell and cell[0] != " " != cell[-1])
        else _clean(cell)
        for cell in column
    ]


def _first_filled(columns: list[list[str]], label: str, extra: dict[int, list[str]]) -> list[str]:
    """Per row, the first filled of several columns; the others' differing values to notes."""
    out = []
    for i, cells in enumerate(zip(*columns, strict=True)):
        value = ""
        for cell in cells:
            if not cell:
                continue
            if not value:
                value = cell
            elif cell != value:
                extra.setdefault(i, []).append(f"{label}: {cell}")
        out.append(value)
    return out


def _split_tags(cell: str) -> tuple[tuple[str, ...], str]:
    found: list[str] = []
    problem = ""
    for piece in _TAG_SPLIT.split(cell):
        # Mailchimp writes its tags as "one","two" inside the cell.
        tag = _clean(piece).strip("\"'").strip()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            problem = f"A tag of {len(tag):,} characters was cut to {MAX_TAG_CHARS}."
            tag = tag[:MAX_TAG_CHARS]
        if tag not in found:
            found.append(tag)
    return tuple(found), problem


CHUNK_ROWS = 4096


def rows_to_candidates(
    table: RawTable, mapping: ColumnMapping, *, country: str
) -> Iterator[Candidate | RejectedRow]:
    """Each data row of the table as a Candidate, or a RejectedRow saying why not.

    ``country`` is the group's (two letters): phone numbers without + and postal codes
    are read as that country's unless the row names another. Rows are worked through
    CHUNK_ROWS at a time, so a caller can show progress and stop early.
    """
    reader = _RowReader(table, mapping, country)
    numbers = table.row_numbers
    rows = table.rows
    for start in range(0, min(len(rows), len(numbers)), CHUNK_ROWS):
        end = start + CHUNK_ROWS
        with paused_gc():
            results = reader.chunk(numbers[start:end], rows[start:end])
        yield from results


__all__ = [
    "CHUNK_ROWS",
    "MAX_CELL_CHARS",
    "NO_IDENTITY",
    "REPEATED_HEADER",
    "AddressParts",
    "Candidate",
    "ColumnMapping",
    "Field",
    "PhoneChecker",
    "RejectedRow",
    "guess_field",
    "guess_mapping",
    "header_words",
    "mapping_problems",
    "normalise_postal",
    "parse_bool",
    "rows_to_candidates",
    "split_address",
    "split_full_name",
]
