"""published standings: each need's ranking frozen when the edition's results are published

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'published_standing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('need_id', sa.Integer(), nullable=False),
        sa.Column('standing', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_published_standing_edition_id_edition')),
        sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_published_standing_need_id_need')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_published_standing')),
        sa.UniqueConstraint('need_id', name=op.f('uq_published_standing_need_id')),
    )
    with op.batch_alter_table('published_standing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_standing_edition_id'), ['edition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('published_standing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_standing_edition_id'))
    op.drop_table('published_standing')
