"""SQLAlchemy models, one module per area; importing this package registers them all."""

from desktop_app.models.actions import (
    Campaign,
    LetterWritten,
    UAAddressee,
    UAUpdate,
    UrgentAction,
    UrgentActionStatus,
)
from desktop_app.models.base import Base, new_uid, utcnow
from desktop_app.models.charter import CharterItem, CharterStep
from desktop_app.models.events import (
    Event,
    EventKind,
    FollowUp,
    FollowUpKind,
    MergedBundle,
    ReviewItem,
    SignIn,
    SignInSource,
)
from desktop_app.models.group import AppSetting, GroupKind, GroupProfile
from desktop_app.models.imports import ImportBatch, ImportChange
from desktop_app.models.ledger import (
    Account,
    Donation,
    DuesPayment,
    EntryKind,
    EventBudgetLine,
    LedgerEntry,
    PaymentMethod,
    Remittance,
)
from desktop_app.models.outreach import Organisation, OutreachContact
from desktop_app.models.people import (
    BUILTIN_ROLES,
    JoinedVia,
    LadderStage,
    Person,
    PersonStatus,
    RoleAssignment,
    RoleType,
    Tag,
    person_tags,
)
from desktop_app.models.training import Trainer, Training, TrainingSignup

__all__ = [
    "BUILTIN_ROLES",
    "Account",
    "AppSetting",
    "Base",
    "Campaign",
    "CharterItem",
    "CharterStep",
    "Donation",
    "DuesPayment",
    "EntryKind",
    "Event",
    "EventBudgetLine",
    "EventKind",
    "FollowUp",
    "FollowUpKind",
    "GroupKind",
    "GroupProfile",
    "ImportBatch",
    "ImportChange",
    "JoinedVia",
    "LadderStage",
    "LedgerEntry",
    "LetterWritten",
    "MergedBundle",
    "Organisation",
    "OutreachContact",
    "PaymentMethod",
    "Person",
    "PersonStatus",
    "Remittance",
    "ReviewItem",
    "RoleAssignment",
    "RoleType",
    "SignIn",
    "SignInSource",
    "Tag",
    "Trainer",
    "Training",
    "TrainingSignup",
    "UAAddressee",
    "UAUpdate",
    "UrgentAction",
    "UrgentActionStatus",
    "new_uid",
    "person_tags",
    "utcnow",
]
