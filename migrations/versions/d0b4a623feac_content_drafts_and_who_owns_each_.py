"""content drafts and who owns each document

Revision ID: d0b4a623feac
Revises: 5d0c7e1a9b42
Create Date: 2026-11-30 19:25:52.858123

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d0b4a623feac"
down_revision = "5d0c7e1a9b42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_content_drafts_author_id_users")),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["content_versions.id"],
            name=op.f("fk_content_drafts_base_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_drafts")),
        sa.UniqueConstraint("key", name=op.f("uq_content_drafts_key")),
    )
    with op.batch_alter_table("content_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_drafts_author_id"), ["author_id"], unique=False)

    with op.batch_alter_table("content_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=8), server_default="files", nullable=False))
        batch_op.create_check_constraint("owner", "owner IN ('files', 'web')")


def downgrade():
    with op.batch_alter_table("content_documents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_content_documents_owner"), type_="check")
        batch_op.drop_column("owner")

    with op.batch_alter_table("content_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_drafts_author_id"))

    op.drop_table("content_drafts")
