"""level count rows keep their target, with a partial index of the rows below it

Revision ID: 59a9e7fa0aba
Revises: a52c33a3eda0
Create Date: 2026-12-02 01:37:10.074786

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '59a9e7fa0aba'
down_revision = 'a52c33a3eda0'
branch_labels = None
depends_on = None


def _fill():
    """Each level count row's target, from the stored bank's targets document (career level →
    competency → level), as cohort_levels keeps it from now on."""
    body = op.get_bind().scalar(sa.text(
        "SELECT v.body FROM content_documents d JOIN content_versions v "
        "ON v.document_id = d.id AND v.number = d.current_number "
        "WHERE d.retired_at IS NULL AND d.kind = 'targets'"
    ))
    body = json.loads(body) if isinstance(body, str) else body
    targets = (body or {}).get("targets") or {}
    rows = sa.table("cohort_levels", *(sa.column(n) for n in ("career_level", "competency", "target_level")))
    by_career = {career: sa.case(codes, value=rows.c.competency, else_=None) for career, codes in targets.items() if codes}
    if by_career:
        op.execute(rows.update().values(target_level=sa.case(by_career, value=rows.c.career_level, else_=None)))


def upgrade():
    with op.batch_alter_table('cohort_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_level', sa.Integer(), nullable=True))
    _fill()
    with op.batch_alter_table('cohort_levels', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_levels_below_target', ['unit_id', 'career_level', 'competency', 'month', 'managers'], unique=False, postgresql_where=sa.text('level > 0 AND level < target_level'), sqlite_where=sa.text('level > 0 AND level < target_level'))


def downgrade():
    with op.batch_alter_table('cohort_levels', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_levels_below_target', postgresql_where=sa.text('level > 0 AND level < target_level'), sqlite_where=sa.text('level > 0 AND level < target_level'))
        batch_op.drop_column('target_level')
