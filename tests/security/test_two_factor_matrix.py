"""Every actor on the second factor's own-account actions (the pages and the administrator's
reset are in test_permission_matrix): new recovery codes and turning it off."""

import pytest
from sqlalchemy import func, select

from portal.accounts.models import RecoveryCode
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.security.matrix import ACTORS, LOGIN, column, outcome

# Columns in the order of ACTORS. Administrators and coordinators are enrolled (factories):
# they get new codes (the page that shows them) but may not turn the factor off; the others
# have no second factor yet, so both are refused.
# fmt: off
ANSWERS = {
    "/account/two-factor/recovery-codes": (LOGIN, 200, 200, 200, 403, 403, 403, 403, 403, 200),
    "/account/two-factor/disable":        (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403),
}
# fmt: on


@pytest.mark.parametrize("actor", ACTORS)
def test_own_second_factor_actions(actor, world, browser_for, session):
    browser = browser_for(actor)
    token = csrf_token(browser, "/auth/login" if actor == "anonymous" else "/account/")
    answers = {
        path: outcome(browser.post(path, data={"password": PASSWORD, "csrf_token": token}))
        for path in ANSWERS
    }
    assert answers == column(ANSWERS, actor)
    session.rollback()
    codes = session.scalar(select(func.count()).select_from(RecoveryCode))
    assert codes == (10 if answers["/account/two-factor/recovery-codes"] == 200 else 0)
