"""assignments can be cancelled: when, and by whom

Revision ID: addb983ecb21
Revises: 3119fcd036de
Create Date: 2026-11-30 15:44:50.995520

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "addb983ecb21"
down_revision = "3119fcd036de"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_cancelled_by_id_users"), "users", ["cancelled_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_assignments_cancelled_by_id_users"), type_="foreignkey")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("cancelled_at")
