"""Parties, accounts, invitations, logging in (passwords, second factor, sessions)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, NavEntry

bp = Blueprint("accounts", __name__)

# The menu of the administrators' pages; audit and notifications put entries in it too.
ADMINISTRATION = "administration"


def declare() -> Feature:
    """What accounts adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.accounts.commands import demo_code_command
    from portal.accounts.demo import seed_demo_accounts
    from portal.accounts.notifications import MAIL_KINDS
    from portal.accounts.two_factor_views import require_enrolment

    return Feature(
        name="accounts",
        blueprints=(bp,),
        view_modules=(
            "portal.accounts.views",
            "portal.accounts.admin_views",
            "portal.accounts.email_views",
            "portal.accounts.session_views",
            "portal.accounts.two_factor_views",
        ),
        commands=(demo_code_command,),
        # Losing them locks someone out.
        mandatory_kinds=frozenset({"invitation", "password_reset"}),
        mandatory_prefixes=("security_",),
        mail_kinds=MAIL_KINDS,
        navigation=(
            # Coordinators' pages sit in the menu too: on one line at 1280 px, the bar of a
            # coordinator had no room left for them.
            NavEntry(
                "accounts.invitations",
                _l("Administration"),
                order=90,
                visible_to=audiences.coordinators_and_administrators,
                opens=ADMINISTRATION,
            ),
            NavEntry(
                "accounts.invitations",
                _l("Invitations"),
                order=25,
                visible_to=audiences.coordinators_and_administrators,
                menu=ADMINISTRATION,
            ),
            NavEntry(
                "accounts.parties",
                _l("Delegations"),
                order=10,
                visible_to=audiences.administrators,
                menu=ADMINISTRATION,
            ),
            NavEntry(
                "accounts.accounts_list",
                _l("Accounts"),
                order=20,
                visible_to=audiences.administrators,
                menu=ADMINISTRATION,
            ),
        ),
        public_endpoints=frozenset(
            {
                "accounts.login",
                "accounts.forgot_password",
                "accounts.reset_password",
                "accounts.accept_invitation",
                # Only answers a visitor who has just passed the password step.
                "accounts.second_factor",
            }
        ),
        external_endpoints=frozenset(
            {
                "accounts.logout",
                "accounts.profile",
                "accounts.change_password",
                "accounts.two_factor_overview",
                "accounts.two_factor_setup",
                "accounts.renew_recovery_codes",
                "accounts.disable_two_factor",
                "accounts.change_email",
                "accounts.confirm_email_change",
                "accounts.sessions",
                "accounts.end_session",
                "accounts.end_other_sessions",
            }
        ),
        demo=DemoSeeder(order=10, seed=seed_demo_accounts),
        before_request=(require_enrolment,),
    )
