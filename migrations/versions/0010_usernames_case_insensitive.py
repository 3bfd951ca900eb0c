"""user names unique whatever their case: a unique index on lower(username)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    clashes = op.get_bind().execute(sa.text(
        "SELECT lower(username) FROM user_account GROUP BY lower(username) HAVING count(*) > 1")).scalars().all()
    if clashes:
        raise RuntimeError("accounts whose user names differ only in case must be renamed first: "
                           + ", ".join(sorted(clashes)))
    op.create_index('uq_user_account_username_lower', 'user_account', [sa.text('lower(username)')], unique=True)


def downgrade():
    op.drop_index('uq_user_account_username_lower', table_name='user_account')
