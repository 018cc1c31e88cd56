"""Every actor on the second factor's own-account actions (the pages and the administrator's
reset are in test_permission_matrix): new recovery codes and turning it off."""

from sqlalchemy import func, select

from portal.accounts.models import RecoveryCode
from tests.factories import PASSWORD
from tests.helpers.matrix import LOGIN, Action, assert_actions, column, each_actor

# Columns in the order of ACTORS. Administrators and coordinators are enrolled (factories):
# they get new codes (the page that shows them) but may not turn the factor off; the others
# have no second factor yet, so both are refused.
# fmt: off
ANSWERS = {
    "/account/two-factor/recovery-codes": (LOGIN, 200, 200, 200, 403, 403, 403, 403, 403, 200),
    "/account/two-factor/disable":        (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403),
}
# fmt: on

# Only the answers are compared action by action; the codes are counted once, after both.
ACTIONS = {path: Action(path, {"password": PASSWORD}, done=None) for path in ANSWERS}


@each_actor
def test_own_second_factor_actions(actor, world, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ANSWERS, {})
    answers = column(ANSWERS, actor)
    codes = session.scalar(select(func.count()).select_from(RecoveryCode))
    assert codes == (10 if answers["/account/two-factor/recovery-codes"] == 200 else 0)
