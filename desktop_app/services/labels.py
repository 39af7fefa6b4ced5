"""Words for stored codes, for the CLI, documents and services (views wrap them in tr())."""

from __future__ import annotations

from desktop_app.models import JoinedVia, LadderStage, PersonStatus

STATUS_LABELS: dict[PersonStatus, str] = {
    PersonStatus.MEMBER: "Member",
    PersonStatus.ACTIVIST: "Activist",
    PersonStatus.SUPPORTER: "Supporter",
    PersonStatus.PROSPECT: "Prospect",
}

JOINED_VIA_LABELS: dict[JoinedVia, str] = {
    JoinedVia.PERSONAL_INVITATION: "Personal invitation",
    JoinedVia.TABLING: "Tabling",
    JoinedVia.ONLINE_TO_OFFLINE: "Online to offline",
    JoinedVia.MEMBER_TO_ACTIVIST: "Member to activist",
    JoinedVia.OTHER: "Other",
}

LADDER_LABELS: dict[LadderStage, str] = {
    LadderStage.SIGNED_UP: "Signed up",
    LadderStage.FIRST_EVENT: "First event",
    LadderStage.REGULAR: "Regular",
    LadderStage.TAKES_ROLE: "Takes a role",
    LadderStage.LEADS: "Leads",
}
