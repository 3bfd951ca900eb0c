"""the 1+12+13 network: markets (seeded 1 + 12 + 13), market staff and brokers as roles, needs collected by a
market (instead of a free-text source channel) and pre-screened by it, broker profiles and credits, the editions'
broker reward rules, matchmaking events, personal API tokens

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:45:43.240162

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa

from contest.domain.markets import CITY_MARKET, seed_markets

CREATED = datetime(2026, 12, 4)
ROLES_BEFORE = ('organizer', 'firm', 'team', 'judge')
ROLES = ROLES_BEFORE + ('market', 'broker')
NEED_STATUSES_BEFORE = ('draft', 'submitted', 'returned', 'published', 'bidding_closed', 'in_review', 'final',
                        'awarded', 'failed', 'rejected', 'withdrawn')
NEED_STATUSES = NEED_STATUSES_BEFORE + ('market_review',)
# The old list's lumped association entry names no one market: its needs go to the city market (the organizer
# may move them to their professional market).
OLD_CHANNELS = {'行业协会科技市场': CITY_MARKET}


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _keep_username_index():
    """SQLite's batch mode rebuilds the table without its expression index (migration 0010's): put it back."""
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_user_account_username_lower ON user_account (lower(username))")


def upgrade():
    op.create_table('market',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('city', 'sub', 'professional', name='market_level', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('area', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('contact_name', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('contact_email', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market')),
    sa.UniqueConstraint('name', name=op.f('uq_market_name'))
    )
    with op.batch_alter_table('market', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_level'), ['level'], unique=False)
    market = sa.table('market', sa.column('created_at', sa.DateTime()), *(sa.column(c) for c in ('level', 'name', 'area', 'region_code', 'contact_name',
                                                          'contact_phone', 'contact_email', 'position', 'active')))
    op.bulk_insert(market, [{**row, 'level': row['level'].value, 'contact_name': '', 'contact_phone': '',
                             'contact_email': '', 'active': True, 'created_at': CREATED}
                            for row in seed_markets()])

    op.create_table('reward_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('rate_pct', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('cap_yuan', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('firm_share_pct', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cap_yuan >= 0', name=op.f('ck_reward_rule_cap_not_negative')),
    sa.CheckConstraint('firm_share_pct >= 0 AND firm_share_pct <= 100', name=op.f('ck_reward_rule_share_range')),
    sa.CheckConstraint('rate_pct > 0 AND rate_pct <= 100', name=op.f('ck_reward_rule_rate_range')),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_reward_rule_edition_id_edition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reward_rule')),
    sa.UniqueConstraint('edition_id', name=op.f('uq_reward_rule_edition_id'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('scopes', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('broker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('level', sa.Enum('junior', 'intermediate', 'senior', name='broker_level', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('certificate_no', sa.String(length=40), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_broker_market_id_market')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_broker_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broker')),
    sa.UniqueConstraint('certificate_no', name=op.f('uq_broker_certificate_no')),
    sa.UniqueConstraint('user_id', name=op.f('uq_broker_user_id'))
    )
    with op.batch_alter_table('broker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_market_id'), ['market_id'], unique=False)

    op.create_table('match_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('fields', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_match_event_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['market_id'], ['market.id'], name=op.f('fk_match_event_market_id_market')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_event'))
    )
    with op.batch_alter_table('match_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_event_market_id'), ['market_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['broker.id'], name=op.f('fk_event_contact_broker_id_broker')),
    sa.ForeignKeyConstraint(['event_id'], ['match_event.id'], name=op.f('fk_event_contact_event_id_match_event')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_event_contact_need_id_need')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_event_contact_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_event_contact_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_contact')),
    sa.UniqueConstraint('event_id', 'need_id', 'team_id', name='uq_event_contact')
    )
    with op.batch_alter_table('event_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_contact_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_contact_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_contact_team_id'), ['team_id'], unique=False)

    op.create_table('event_need',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['match_event.id'], name=op.f('fk_event_need_event_id_match_event')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_event_need_need_id_need')),
    sa.PrimaryKeyConstraint('event_id', 'need_id', name=op.f('pk_event_need'))
    )
    with op.batch_alter_table('event_need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_need_need_id'), ['need_id'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['match_event.id'], name=op.f('fk_event_registration_event_id_match_event')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_event_registration_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_event_registration')
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_user_id'), ['user_id'], unique=False)

    op.create_table('broker_credit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('bid_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'declined', name='credit_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('named_by_id', sa.Integer(), nullable=False),
    sa.Column('named_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('(need_id IS NULL) <> (bid_id IS NULL)', name=op.f('ck_broker_credit_one_side')),
    sa.ForeignKeyConstraint(['bid_id'], ['bid.id'], name=op.f('fk_broker_credit_bid_id_bid')),
    sa.ForeignKeyConstraint(['broker_id'], ['broker.id'], name=op.f('fk_broker_credit_broker_id_broker')),
    sa.ForeignKeyConstraint(['named_by_id'], ['user_account.id'], name=op.f('fk_broker_credit_named_by_id_user_account')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_broker_credit_need_id_need')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broker_credit')),
    sa.UniqueConstraint('bid_id', name=op.f('uq_broker_credit_bid_id')),
    sa.UniqueConstraint('need_id', name=op.f('uq_broker_credit_need_id'))
    )
    with op.batch_alter_table('broker_credit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_credit_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broker_credit_status'), ['status'], unique=False)

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('firm_broker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_broker_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contract_firm_broker_id_broker'), 'broker', ['firm_broker_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contract_team_broker_id_broker'), 'broker', ['team_broker_id'], ['id'])

    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('market_id', sa.Integer(), nullable=True))
    # Each need to the market its channel names (the city market when none does).
    for old, new in OLD_CHANNELS.items():
        op.execute(sa.text("UPDATE need SET source_channel = :new WHERE source_channel = :old")
                   .bindparams(new=new, old=old))
    op.execute("UPDATE need SET market_id = (SELECT market.id FROM market WHERE market.name = need.source_channel)")
    op.execute(sa.text("UPDATE need SET market_id = (SELECT id FROM market WHERE name = :city) "
                       "WHERE market_id IS NULL").bindparams(city=CITY_MARKET))
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.alter_column('market_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_need_market_id'), ['market_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_need_market_id_market'), 'market', ['market_id'], ['id'])
        batch_op.drop_column('source_channel')
        batch_op.drop_constraint(op.f('ck_need_need_status'), type_='check')
        batch_op.create_check_constraint('need_status', _in('status', NEED_STATUSES))

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('market_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_by', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organization_market_id_market'), 'market', ['market_id'], ['id'])

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('market_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_market_id'), ['market_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_market_id_market'), 'market', ['market_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint('role', _in('role', ROLES))
        batch_op.create_check_constraint('staff_has_market', "role <> 'market' OR market_id IS NOT NULL")
    _keep_username_index()


def downgrade():
    op.execute("DELETE FROM user_account WHERE role IN ('market', 'broker')")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_staff_has_market'), type_='check')
        batch_op.drop_constraint(op.f('ck_user_account_role'), type_='check')
        batch_op.create_check_constraint('role', _in('role', ROLES_BEFORE))
        batch_op.drop_constraint(batch_op.f('fk_user_account_market_id_market'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_market_id'))
        batch_op.drop_column('market_id')
    _keep_username_index()

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organization_market_id_market'), type_='foreignkey')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('consent_by')
        batch_op.drop_column('market_id')

    op.execute("UPDATE need SET status = 'submitted' WHERE status = 'market_review'")
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_channel', sa.VARCHAR(length=60), server_default='', nullable=False))
    op.execute("UPDATE need SET source_channel = (SELECT market.name FROM market WHERE market.id = need.market_id)")
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.alter_column('source_channel', existing_type=sa.VARCHAR(length=60), server_default=None)
        batch_op.drop_constraint(op.f('ck_need_need_status'), type_='check')
        batch_op.create_check_constraint('need_status', _in('status', NEED_STATUSES_BEFORE))
        batch_op.drop_constraint(batch_op.f('fk_need_market_id_market'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_need_market_id'))
        batch_op.drop_column('market_id')

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contract_team_broker_id_broker'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_contract_firm_broker_id_broker'), type_='foreignkey')
        batch_op.drop_column('team_broker_id')
        batch_op.drop_column('firm_broker_id')

    with op.batch_alter_table('broker_credit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broker_credit_status'))
        batch_op.drop_index(batch_op.f('ix_broker_credit_broker_id'))

    op.drop_table('broker_credit')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))

    op.drop_table('event_registration')
    with op.batch_alter_table('event_need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_need_need_id'))

    op.drop_table('event_need')
    with op.batch_alter_table('event_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_contact_team_id'))
        batch_op.drop_index(batch_op.f('ix_event_contact_need_id'))
        batch_op.drop_index(batch_op.f('ix_event_contact_event_id'))

    op.drop_table('event_contact')
    with op.batch_alter_table('match_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_match_event_market_id'))

    op.drop_table('match_event')
    with op.batch_alter_table('broker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broker_market_id'))

    op.drop_table('broker')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('reward_rule')
    with op.batch_alter_table('market', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_level'))

    op.drop_table('market')
