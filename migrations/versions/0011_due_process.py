"""due process: objections to published results and their rulings, the organizer's tie rulings, the anonymity
check of a bid's report and the organizer's "identity disclosed", a firm deciding again after a reversed award

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:21:56

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('objection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('evidence_stored_name', sa.String(length=64), nullable=True),
    sa.Column('evidence_original_name', sa.String(length=200), nullable=True),
    sa.Column('evidence_size', sa.Integer(), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'upheld', 'rejected', name='objection_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('ruling_reason', sa.String(length=1000), nullable=False),
    sa.Column('ruled_by_id', sa.Integer(), nullable=True),
    sa.Column('ruled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'pending') = (ruled_at IS NULL)", name=op.f('ck_objection_ruled_when_decided')),
    sa.ForeignKeyConstraint(['bid_id'], ['bid.id'], name=op.f('fk_objection_bid_id_bid')),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_objection_edition_id_edition')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user_account.id'], name=op.f('fk_objection_filed_by_id_user_account')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_objection_need_id_need')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_objection_org_id_organization')),
    sa.ForeignKeyConstraint(['ruled_by_id'], ['user_account.id'], name=op.f('fk_objection_ruled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection')),
    sa.UniqueConstraint('evidence_stored_name', name=op.f('uq_objection_evidence_stored_name'))
    )
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objection_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_status'), ['status'], unique=False)

    op.create_table('tie_ruling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('ruled_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bid.id'], name=op.f('fk_tie_ruling_bid_id_bid')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_tie_ruling_need_id_need')),
    sa.ForeignKeyConstraint(['ruled_by_id'], ['user_account.id'], name=op.f('fk_tie_ruling_ruled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tie_ruling'))
    )
    with op.batch_alter_table('tie_ruling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tie_ruling_need_id'), ['need_id'], unique=False)

    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_text_checked', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('identity_disclosed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('identity_disclosed_reason', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('identity_disclosed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_bid_identity_disclosed_by_id_user_account'), 'user_account', ['identity_disclosed_by_id'], ['id'])

    with op.batch_alter_table('firm_confirmation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_firm_confirmation_need_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_firm_confirmation_need_id'), ['need_id'], unique=False)



def downgrade():
    with op.batch_alter_table('firm_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_firm_confirmation_need_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_firm_confirmation_need_id'), ['need_id'])

    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bid_identity_disclosed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('identity_disclosed_by_id')
        batch_op.drop_column('identity_disclosed_reason')
        batch_op.drop_column('identity_disclosed_at')
        batch_op.drop_column('report_text_checked')

    with op.batch_alter_table('tie_ruling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tie_ruling_need_id'))

    op.drop_table('tie_ruling')
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objection_status'))
        batch_op.drop_index(batch_op.f('ix_objection_need_id'))
        batch_op.drop_index(batch_op.f('ix_objection_edition_id'))

    op.drop_table('objection')
