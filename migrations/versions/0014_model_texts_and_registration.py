"""model texts and registration: a contract's type (技术开发（委托） or （合作）, from its need's cooperation mode),
the model text's remaining blanks (clauses), the registration form's classification (技术领域, 知识产权类别,
社会经济目标), the total's non-technical parts (the rest is the 技术交易额); an organization's nature by ownership
type and its country

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:17:06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

PARTS = ('equipment_amount', 'instrument_amount', 'parts_amount', 'materials_amount', 'other_amount')


def upgrade():
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_type', sa.Enum('commissioned', 'joint', name='contract_type',
                                                               native_enum=False, create_constraint=True, length=32),
                                      server_default='commissioned', nullable=False))
        batch_op.add_column(sa.Column('clauses', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('tech_field', sa.String(length=8), server_default='', nullable=False))
        batch_op.add_column(sa.Column('ip_category', sa.String(length=8), server_default='', nullable=False))
        batch_op.add_column(sa.Column('socio_goal', sa.String(length=8), server_default='', nullable=False))
        for part in PARTS:
            batch_op.add_column(sa.Column(part, sa.Numeric(precision=14, scale=2), server_default='0', nullable=False))
        batch_op.create_check_constraint(
            'tech_amount_not_negative', ' + '.join(PARTS) + ' <= total_amount')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nature_code', sa.String(length=3), server_default='', nullable=False))
        batch_op.add_column(sa.Column('country_code', sa.String(length=3), server_default='156', nullable=False))

    # A draft of a 合作研发 need becomes a 合作 contract; issued ones keep the text they were issued with.
    op.execute("UPDATE contract SET contract_type = 'joint' WHERE status = 'draft' AND need_id IN "
               "(SELECT id FROM need WHERE cooperation = 'joint')")


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('country_code')
        batch_op.drop_column('nature_code')

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint('tech_amount_not_negative', type_='check')
        batch_op.drop_constraint('contract_type', type_='check')
        for part in reversed(PARTS):
            batch_op.drop_column(part)
        batch_op.drop_column('socio_goal')
        batch_op.drop_column('ip_category')
        batch_op.drop_column('tech_field')
        batch_op.drop_column('clauses')
        batch_op.drop_column('contract_type')
