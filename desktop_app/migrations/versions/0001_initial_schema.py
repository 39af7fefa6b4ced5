"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25 08:07:11.976674
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_settings")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("uid", name=op.f("uq_campaigns_uid")),
    )
    op.create_table(
        "charter_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_steps")),
        sa.UniqueConstraint("number", name=op.f("uq_charter_steps_number")),
    )
    op.create_table(
        "group_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("meeting_place", sa.String(length=300), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=False),
        sa.Column("kiosk_pin_hash", sa.String(length=200), nullable=True),
        sa.Column("kiosk_consent_text", sa.Text(), nullable=False),
        sa.Column("kiosk_interests", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opening_balance_cents", sa.Integer(), nullable=False),
        sa.Column("opening_cash_cents", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_profile")),
        sa.UniqueConstraint("uid", name=op.f("uq_group_profile_uid")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
        sa.UniqueConstraint("uid", name=op.f("uq_import_batches_uid")),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batches_file_sha256"), ["file_sha256"], unique=False
        )

    op.create_table(
        "merged_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_uid", sa.String(length=36), nullable=False),
        sa.Column("laptop_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merged_bundles")),
        sa.UniqueConstraint("bundle_uid", name=op.f("uq_merged_bundles_bundle_uid")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("uid", name=op.f("uq_organisations_uid")),
    )
    op.create_table(
        "role_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_types")),
        sa.UniqueConstraint("name", name=op.f("uq_role_types_name")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("expected_attendance", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("origin_laptop", sa.String(length=36), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_events_campaign_id_campaigns"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("uid", name=op.f("uq_events_uid")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("given_name", sa.String(length=500), nullable=False),
        sa.Column("family_name", sa.String(length=500), nullable=False),
        sa.Column("preferred_name", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=False),
        sa.Column("email_key", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=100), nullable=False),
        sa.Column("address_line1", sa.String(length=500), nullable=False),
        sa.Column("address_line2", sa.String(length=500), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("dues_paid_through", sa.Date(), nullable=True),
        sa.Column("dues_waived", sa.Boolean(), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("graduation_year", sa.Integer(), nullable=True),
        sa.Column("joined_via", sa.String(length=32), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("ladder_stage", sa.String(length=32), nullable=False),
        sa.Column("email_ok", sa.Boolean(), nullable=False),
        sa.Column("phone_ok", sa.Boolean(), nullable=False),
        sa.Column("mail_ok", sa.Boolean(), nullable=False),
        sa.Column("do_not_contact", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("sort_key", sa.String(length=1100), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.Column("origin_laptop", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_people_import_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["people.id"],
            name=op.f("fk_people_invited_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("uid", name=op.f("uq_people_uid")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_email_key"), ["email_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_people_invited_by_id"), ["invited_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_people_ladder_stage"), ["ladder_stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_postal_code"), ["postal_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_removed_at"), ["removed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_sort_key"), ["sort_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_status"), ["status"], unique=False)

    op.create_table(
        "urgent_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=120), nullable=False),
        sa.Column("persons_at_risk", sa.Text(), nullable=False),
        sa.Column("issue", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_urgent_actions_campaign_id_campaigns"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_urgent_actions")),
        sa.UniqueConstraint("uid", name=op.f("uq_urgent_actions_uid")),
    )
    with op.batch_alter_table("urgent_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_urgent_actions_deadline"), ["deadline"], unique=False)

    op.create_table(
        "charter_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence_rule", sa.String(length=60), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["people.id"],
            name=op.f("fk_charter_items_done_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["charter_steps.id"],
            name=op.f("fk_charter_items_step_id_charter_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_items")),
    )
    with op.batch_alter_table("charter_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charter_items_step_id"), ["step_id"], unique=False)

    op.create_table(
        "event_budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("planned_cents", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_budget_lines_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_budget_lines")),
    )
    with op.batch_alter_table("event_budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_budget_lines_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"],
            ["people.id"],
            name=op.f("fk_follow_ups_assigned_to_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_follow_ups_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_follow_ups_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("uid", name=op.f("uq_follow_ups_uid")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_ups_assigned_to_id"), ["assigned_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_ups_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_person_id"), ["person_id"], unique=False)

    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_changes_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_import_changes_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
    )
    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_changes_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("receipt_ref", sa.String(length=200), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_ledger_entries_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_ledger_entries_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("uid", name=op.f("uq_ledger_entries_uid")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_entries_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "outreach_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=100), nullable=False),
        sa.Column("last_contacted_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_outreach_contacts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_outreach_contacts_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_contacts")),
        sa.UniqueConstraint("uid", name=op.f("uq_outreach_contacts_uid")),
    )
    with op.batch_alter_table("outreach_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outreach_contacts_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "person_tags",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_tags_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_person_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "tag_id", name=op.f("pk_person_tags")),
    )
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.create_index("ix_person_tags_tag_id", ["tag_id"], unique=False)

    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["people.id"],
            name=op.f("fk_review_items_other_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_review_items_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_items")),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_items_other_person_id"), ["other_person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_items_person_id"), ["person_id"], unique=False)

    op.create_table(
        "role_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role_type_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_role_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_type_id"],
            ["role_types.id"],
            name=op.f("fk_role_assignments_role_type_id_role_types"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_assignments")),
        sa.UniqueConstraint("uid", name=op.f("uq_role_assignments_uid")),
    )
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_assignments_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_role_assignments_role_type_id"), ["role_type_id"], unique=False
        )

    op.create_table(
        "sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("first_time", sa.Boolean(), nullable=False),
        sa.Column("laptop_id", sa.String(length=36), nullable=False),
        sa.Column("how_heard", sa.String(length=500), nullable=False),
        sa.Column("interests", sa.Text(), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consent_given", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_sign_ins_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_sign_ins_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_ins")),
        sa.UniqueConstraint("event_id", "person_id", name="uq_sign_ins_event_person"),
        sa.UniqueConstraint("uid", name=op.f("uq_sign_ins_uid")),
    )
    with op.batch_alter_table("sign_ins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_ins_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_ins_person_id"), ["person_id"], unique=False)

    op.create_table(
        "trainers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_trainers_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainers")),
        sa.UniqueConstraint("uid", name=op.f("uq_trainers_uid")),
    )
    op.create_table(
        "ua_addressees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urgent_action_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("salutation", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=40), nullable=False),
        sa.Column("is_copy", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["urgent_action_id"],
            ["urgent_actions.id"],
            name=op.f("fk_ua_addressees_urgent_action_id_urgent_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ua_addressees")),
    )
    with op.batch_alter_table("ua_addressees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ua_addressees_urgent_action_id"), ["urgent_action_id"], unique=False
        )

    op.create_table(
        "ua_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urgent_action_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["urgent_action_id"],
            ["urgent_actions.id"],
            name=op.f("fk_ua_updates_urgent_action_id_urgent_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ua_updates")),
    )
    with op.batch_alter_table("ua_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ua_updates_urgent_action_id"), ["urgent_action_id"], unique=False
        )

    op.create_table(
        "donations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("donor_name", sa.String(length=300), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("ledger_entry_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_donations_ledger_entry_id_ledger_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_donations_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donations")),
        sa.UniqueConstraint("uid", name=op.f("uq_donations_uid")),
    )
    with op.batch_alter_table("donations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_donations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "dues_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("paid_through", sa.Date(), nullable=False),
        sa.Column("ledger_entry_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_dues_payments_ledger_entry_id_ledger_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_dues_payments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_payments")),
        sa.UniqueConstraint("uid", name=op.f("uq_dues_payments_uid")),
    )
    with op.batch_alter_table("dues_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dues_payments_person_id"), ["person_id"], unique=False)

    op.create_table(
        "letters_written",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("urgent_action_id", sa.Integer(), nullable=False),
        sa.Column("addressee_id", sa.Integer(), nullable=True),
        sa.Column("writer_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["addressee_id"],
            ["ua_addressees.id"],
            name=op.f("fk_letters_written_addressee_id_ua_addressees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_letters_written_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["urgent_action_id"],
            ["urgent_actions.id"],
            name=op.f("fk_letters_written_urgent_action_id_urgent_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["writer_id"],
            ["people.id"],
            name=op.f("fk_letters_written_writer_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters_written")),
        sa.UniqueConstraint("uid", name=op.f("uq_letters_written_uid")),
    )
    with op.batch_alter_table("letters_written", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letters_written_urgent_action_id"), ["urgent_action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_letters_written_writer_id"), ["writer_id"], unique=False
        )

    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("ledger_entry_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_remittances_ledger_entry_id_ledger_entries"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
        sa.UniqueConstraint("uid", name=op.f("uq_remittances_uid")),
    )
    op.create_table(
        "trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("online_url", sa.String(length=1000), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["trainers.id"],
            name=op.f("fk_trainings_trainer_id_trainers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainings")),
        sa.UniqueConstraint("uid", name=op.f("uq_trainings_uid")),
    )
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainings_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "training_signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("signed_up_at", sa.DateTime(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_training_signups_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["trainings.id"],
            name=op.f("fk_training_signups_training_id_trainings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_signups")),
        sa.UniqueConstraint("training_id", "person_id", name="uq_training_signups_training_person"),
        sa.UniqueConstraint("uid", name=op.f("uq_training_signups_uid")),
    )
    with op.batch_alter_table("training_signups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_signups_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_signups_training_id"), ["training_id"], unique=False
        )
    _create_person_search()
    _seed_reference_data()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("people_ai", "people_au", "people_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS person_fts")

    with op.batch_alter_table("training_signups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_signups_training_id"))
        batch_op.drop_index(batch_op.f("ix_training_signups_person_id"))

    op.drop_table("training_signups")
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainings_starts_at"))

    op.drop_table("trainings")
    op.drop_table("remittances")
    with op.batch_alter_table("letters_written", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letters_written_writer_id"))
        batch_op.drop_index(batch_op.f("ix_letters_written_urgent_action_id"))

    op.drop_table("letters_written")
    with op.batch_alter_table("dues_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dues_payments_person_id"))

    op.drop_table("dues_payments")
    with op.batch_alter_table("donations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_donations_person_id"))

    op.drop_table("donations")
    with op.batch_alter_table("ua_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ua_updates_urgent_action_id"))

    op.drop_table("ua_updates")
    with op.batch_alter_table("ua_addressees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ua_addressees_urgent_action_id"))

    op.drop_table("ua_addressees")
    op.drop_table("trainers")
    with op.batch_alter_table("sign_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_ins_person_id"))
        batch_op.drop_index(batch_op.f("ix_sign_ins_event_id"))

    op.drop_table("sign_ins")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_assignments_role_type_id"))
        batch_op.drop_index(batch_op.f("ix_role_assignments_person_id"))

    op.drop_table("role_assignments")
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_items_person_id"))
        batch_op.drop_index(batch_op.f("ix_review_items_other_person_id"))

    op.drop_table("review_items")
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_person_tags_tag_id")

    op.drop_table("person_tags")
    with op.batch_alter_table("outreach_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_contacts_organisation_id"))

    op.drop_table("outreach_contacts")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_person_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_occurred_on"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_event_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_category"))

    op.drop_table("ledger_entries")
    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_changes_batch_id"))

    op.drop_table("import_changes")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_person_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_event_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_due_on"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_assigned_to_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("event_budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_budget_lines_event_id"))

    op.drop_table("event_budget_lines")
    with op.batch_alter_table("charter_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_items_step_id"))

    op.drop_table("charter_items")
    with op.batch_alter_table("urgent_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_urgent_actions_deadline"))

    op.drop_table("urgent_actions")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_status"))
        batch_op.drop_index(batch_op.f("ix_people_sort_key"))
        batch_op.drop_index(batch_op.f("ix_people_removed_at"))
        batch_op.drop_index(batch_op.f("ix_people_postal_code"))
        batch_op.drop_index(batch_op.f("ix_people_phone"))
        batch_op.drop_index(batch_op.f("ix_people_ladder_stage"))
        batch_op.drop_index(batch_op.f("ix_people_invited_by_id"))
        batch_op.drop_index(batch_op.f("ix_people_import_batch_id"))
        batch_op.drop_index(batch_op.f("ix_people_email_key"))

    op.drop_table("people")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_campaign_id"))

    op.drop_table("events")
    op.drop_table("tags")
    op.drop_table("role_types")
    op.drop_table("organisations")
    op.drop_table("merged_bundles")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batches_file_sha256"))

    op.drop_table("import_batches")
    op.drop_table("group_profile")
    op.drop_table("charter_steps")
    op.drop_table("campaigns")
    op.drop_table("app_settings")


# Frozen copies of what a new database starts with; later releases change them only
# through new migrations.
BUILTIN_ROLES = (
    "Group Coordinator",
    "Treasurer",
    "Secretary",
    "Recruitment/Membership",
    "Urgent Action Coordinator",
    "Case Coordinator",
    "Death Penalty Coordinator",
    "Campaign Coordinator",
    "Events Liaison",
    "Publicity/Media",
    "Legislative Coordinator",
    "Outreach",
    "Student/Local Liaison",
)

CHARTER_STEPS = (
    (
        1,
        "Learn more",
        "Find out how local groups work and what being a group involves.",
        (
            ("Read the guide for new groups", ""),
            ("Talk with the regional organiser", ""),
        ),
    ),
    (
        2,
        "Organise a core of 3-5 people",
        "Bring together a small committed core who share the work.",
        (
            ("At least three people on the roster as members or activists", "core_people"),
            ("A group coordinator has been chosen", "role:Group Coordinator"),
            ("A treasurer has been chosen", "role:Treasurer"),
        ),
    ),
    (
        3,
        "Step up activism",
        "Write letters, recruit, and hold a first event.",
        (
            ("Letters written on an Urgent Action", "letters_written"),
            ("New people recruited (signed up at an event)", "recruited"),
            ("A first public event held", "event_held"),
        ),
    ),
    (
        4,
        "Get chartered",
        "Apply to be chartered and receive the group number.",
        (
            ("Charter application sent", ""),
            ("Group number received", "group_number"),
        ),
    ),
    (
        5,
        "Develop a plan",
        "Plan the year: at least two priority campaigns, trainings, events.",
        (
            ("Joined at least two priority campaigns this year", "priority_campaigns"),
            ("Someone signed up for a training", "training_signup"),
            ("A plan for the year agreed at a meeting", ""),
        ),
    ),
)


def _create_person_search() -> None:
    """SQLite: a trigram full-text index over people.search_text, kept by triggers.

    PostgreSQL searches the same column with ILIKE and needs nothing here.
    """
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE person_fts USING fts5(search_text, tokenize='trigram')")
    op.execute(
        "CREATE TRIGGER people_ai AFTER INSERT ON people BEGIN "
        "INSERT INTO person_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER people_au AFTER UPDATE OF search_text ON people BEGIN "
        "DELETE FROM person_fts WHERE rowid = old.id; "
        "INSERT INTO person_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER people_ad AFTER DELETE ON people BEGIN "
        "DELETE FROM person_fts WHERE rowid = old.id; END"
    )


def _seed_reference_data() -> None:
    roles = sa.table(
        "role_types",
        sa.column("name", sa.String),
        sa.column("builtin", sa.Boolean),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(
        roles,
        [
            {"name": name, "builtin": True, "sort_order": index}
            for index, name in enumerate(BUILTIN_ROLES)
        ],
    )
    steps = sa.table(
        "charter_steps",
        sa.column("id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
    )
    items = sa.table(
        "charter_items",
        sa.column("step_id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
        sa.column("evidence_rule", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("notes", sa.Text),
    )
    op.bulk_insert(
        steps,
        [
            {"id": number, "number": number, "title": title, "description": description}
            for number, title, description, _ in CHARTER_STEPS
        ],
    )
    op.bulk_insert(
        items,
        [
            {
                "step_id": number,
                "title": title,
                "description": "",
                "evidence_rule": rule,
                "sort_order": order,
                "notes": "",
            }
            for number, _, _, step_items in CHARTER_STEPS
            for order, (title, rule) in enumerate(step_items)
        ],
    )
