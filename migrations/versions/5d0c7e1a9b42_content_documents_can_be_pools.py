"""content documents can be secure pools of items (issue 12)

Revision ID: 5d0c7e1a9b42
Revises: f424c1b855e0
Create Date: 2026-11-30 19:40:00

"""

from alembic import op

revision = "5d0c7e1a9b42"
down_revision = "f424c1b855e0"
branch_labels = None
depends_on = None

OLD = "kind IN ('framework', 'targets', 'rubric', 'exercise', 'item')"
NEW = "kind IN ('framework', 'targets', 'rubric', 'exercise', 'pool', 'item')"


def upgrade():
    with op.batch_alter_table("content_documents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_content_documents_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW)


def downgrade():
    with op.batch_alter_table("content_documents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_content_documents_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD)
