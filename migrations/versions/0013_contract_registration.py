"""contract registration: the registration office's number (登记编号), the certified technology amount and the
registration date on a contract, and the bank receipt (银行回单) proving each payment received

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 07:00:11

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_number', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('registered_tech_amount', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('registered_on', sa.Date(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_contract_registration_number'), ['registration_number'])

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_receipt', sa.String(length=60), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('bank_receipt')

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_contract_registration_number'), type_='unique')
        batch_op.drop_column('registered_on')
        batch_op.drop_column('registered_tech_amount')
        batch_op.drop_column('registration_number')
