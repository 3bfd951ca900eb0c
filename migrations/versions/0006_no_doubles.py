"""no doubles: what keeps parallel and replayed submissions single

The form_submission table holds each rendered form's key (one per user), claimed in the same transaction
as the record the form creates: its unique constraint is what lets only one of a form's copies through
(contest/once.py). Needs, bids, winner confirmations and contracts were already held single by their own
constraints (uq_bid_live_team_need, firm_confirmation.need_id, uq_contract_live_need).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('submission_key', sa.String(length=64), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_form_submission_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submission')),
        sa.UniqueConstraint('user_id', 'submission_key', name='uq_form_submission_user_key'),
    )


def downgrade():
    op.drop_table('form_submission')
