"""The journey of two delegations, in Chromium, each person in their own browser: the UK
coordinator invites a member, the Chilean coordinator schedules a meeting, both delegations
reply, the co-chairs approve the minutes, an action item crosses delegations, a
TLP:AMBER+STRICT document stays in Chile and a training's waiting list moves up.

Every step asserts what the person sees; every page of the journey is photographed in both
languages at both sizes (tests/helpers/browser.py, Camera)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from portal.actions.summaries import DUE_SOON_DAYS
from tests.factories import make_document, make_training
from tests.helpers.browser import DESKTOP, Camera, es, es_n, log_in
from tests.helpers.mail import link_in, send_outbox, text_of

pytestmark = pytest.mark.one_backend  # a browser's run: once (tests/browser/conftest.py)

NEW_MEMBER = "oliver.bennett@example.org"
NEW_PASSWORD = "a long passphrase of my own"
SANTIAGO, LONDON = ZoneInfo("America/Santiago"), ZoneInfo("Europe/London")
STRICT_TITLE = "Chilean incident register"


@pytest.fixture
def camera():
    return Camera(enabled=True)  # the browser tests run on one backend (conftest.py)


@pytest.fixture
def person(chromium):
    """person() -> a page in a browser context of its own (its own cookies), at 1280×800."""
    contexts = []

    def make():
        context = chromium.new_context(locale="en-GB", viewport=DESKTOP)
        context.set_default_timeout(15_000)  # a step that fails says so without a long wait
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def needs_attention(page):
    """The dashboard's "Needs your attention" section."""
    return page.locator("section[aria-labelledby=attention]")


def test_two_delegations_work_together(app, live_server, world, session, person, camera):
    base = live_server
    oliver = invite_a_member(app, base, world, person, camera)
    meeting_path = schedule_a_meeting(app, base, world, person, camera, oliver)
    reply_and_approve_minutes(app, base, world, person, camera, oliver, meeting_path)
    close_an_action_across_delegations(app, base, world, person, camera, oliver, meeting_path)
    keep_a_strict_document_in_chile(app, base, world, person, camera, oliver)
    fill_a_training_and_promote_the_waiting_list(app, base, world, session, person, camera, oliver)
    assert camera.wide == []  # no page of the journey scrolls sideways on a phone


def invite_a_member(app, base, world, person, camera):
    """The UK coordinator invites Oliver; he sets his password from the mail's link."""
    uk = person()
    uk.goto(f"{base}/auth/login")
    camera.shoot(uk, "login")
    log_in(uk, base, world.coordinator_gb, app)
    uk.goto(f"{base}/invitations/new")
    camera.shoot(uk, "invitation form")
    uk.get_by_label("Email").fill(NEW_MEMBER)
    uk.get_by_label("Delegation").select_option(str(world.gb.id))
    uk.get_by_label("Role").select_option("member")
    uk.get_by_role("button", name="Send the invitation").click()
    uk.wait_for_url(f"{base}/invitations/")
    expect(uk.locator("main")).to_contain_text(NEW_MEMBER)
    camera.shoot(uk, "invitations")

    (mail,) = send_outbox(app)
    assert mail["To"] == NEW_MEMBER
    assert world.gb.name_en in text_of(mail)
    oliver = person()
    oliver.goto(base + link_in(app, mail, "/auth/invitation/"))
    expect(oliver.locator("h1")).to_have_text("Create your account")
    camera.shoot(oliver, "create your account")
    oliver.get_by_label("Your full name").fill("Oliver Bennett")
    oliver.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    oliver.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    oliver.get_by_label("Language").select_option("en")
    oliver.get_by_label("Time zone").select_option("Europe/London")
    oliver.get_by_role("button", name="Create the account").click()
    oliver.wait_for_url(f"{base}/")
    expect(oliver.locator("h1")).to_have_text("Welcome, Oliver Bennett")
    camera.shoot(oliver, "new member dashboard")

    # The UK coordinator adds him to the working group.
    uk.goto(f"{base}/working-groups/{world.group.id}")
    uk.get_by_label("Person").select_option(label="Oliver Bennett (GB)")
    uk.get_by_role("button", name="Add", exact=True).click()
    expect(uk.locator(".alert-success")).to_contain_text("The member has been added.")
    expect(uk.locator("main")).to_contain_text("Oliver Bennett")
    camera.shoot(uk, "working group")
    uk.context.close()
    return oliver


def schedule_a_meeting(app, base, world, person, camera, oliver):
    """Chile schedules a meeting at 10:00 in Santiago; Oliver sees it at London's time."""
    chile = person()
    log_in(chile, base, world.coordinator_cl, app)
    day = (datetime.now(UTC) + timedelta(days=20)).date()
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=SANTIAGO)
    chile.goto(f"{base}/working-groups/{world.group.id}/meetings/new")
    camera.shoot(chile, "new meeting")
    chile.get_by_label(es("Title in English")).fill("Joint review")
    chile.get_by_label(es("Title in Spanish")).fill("Revisión conjunta")
    chile.get_by_label(es("Starts (local time)")).fill(f"{day.isoformat()}T10:00")
    chile.get_by_label(es("Ends (local time)")).fill(f"{day.isoformat()}T11:30")
    chile.get_by_label(es("Time zone of these times")).select_option("America/Santiago")
    chile.get_by_role("button", name=es("Save and notify the invitees")).click()
    chile.wait_for_url(f"{base}/meetings/*")
    meeting_path = chile.url.removeprefix(base)
    expect(chile.locator("h1")).to_have_text("Revisión conjunta")
    expect(chile.locator("main")).to_contain_text("10:00")
    camera.shoot(chile, "meeting as organiser")

    oliver.goto(f"{base}/")
    expect(needs_attention(oliver)).to_contain_text("1 meeting waits for your reply")
    camera.shoot(oliver, "dashboard meeting waits")
    oliver.get_by_role("link", name="1 meeting waits for your reply").click()
    oliver.wait_for_url(base + meeting_path)
    london = starts.astimezone(LONDON).strftime("%H:%M")
    expect(oliver.locator("main")).to_contain_text(f"{london} London")
    camera.shoot(oliver, "meeting as invited member")
    oliver.goto(f"{base}/calendar?month={day:%Y-%m}")
    expect(oliver.locator("main")).to_contain_text("Joint review")
    expect(oliver.locator("main")).to_contain_text(london)
    camera.shoot(oliver, "calendar")
    oliver.goto(base + meeting_path)
    chile.context.close()
    return meeting_path


def reply_and_approve_minutes(app, base, world, person, camera, oliver, meeting_path):
    """Both delegations reply; Chile writes the minutes; each co-chair approves them."""
    oliver.get_by_label("Accept", exact=True).check()
    oliver.get_by_role("button", name="Send my reply").click()
    expect(oliver.locator("#reply h2")).to_contain_text("Accepted")
    oliver.goto(f"{base}/")
    expect(needs_attention(oliver)).not_to_contain_text("waits for your reply")

    javiera = person()
    log_in(javiera, base, world.member_cl)
    javiera.goto(base + meeting_path)
    expect(javiera.locator("h1")).to_have_text("Revisión conjunta")
    javiera.get_by_label(es("Tentative"), exact=True).check()
    javiera.get_by_role("button", name=es("Send my reply")).click()
    expect(javiera.locator("#reply h2")).to_contain_text(es("Tentative"))
    camera.shoot(javiera, "meeting after reply")
    javiera.context.close()

    chile = person()
    log_in(chile, base, world.coordinator_cl, app)
    chile.goto(base + meeting_path)
    expect(chile.locator("main")).to_contain_text(f"Oliver Bennett · {es('Accepted')}")
    expect(chile.locator("main")).to_contain_text(f"Javiera Soto · {es('Tentative')}")
    chile.goto(f"{base}{meeting_path}/minutes")
    chile.get_by_role("textbox", name=es("Minutes")).fill(
        "Both delegations reviewed the joint playbook."
    )
    chile.get_by_role("button", name=es("Save the minutes")).click()
    expect(chile.locator("article")).to_contain_text("Both delegations reviewed")
    # The Spanish text too: the minutes are approved in both languages together.
    chile.goto(f"{base}{meeting_path}/minutes?language=es")
    chile.get_by_role("textbox", name=es("Minutes")).fill(
        "Ambas delegaciones revisaron el manual conjunto."
    )
    chile.get_by_role("button", name=es("Save the minutes")).click()
    expect(chile.locator("article")).to_contain_text("Ambas delegaciones revisaron")
    chile.get_by_role("button", name=es("Circulate for approval")).click()
    camera.shoot(chile, "minutes circulated")

    uk = person()
    log_in(uk, base, world.coordinator_gb, app)
    singular = "%(num)d set of minutes waits for your delegation's approval"
    plural = "%(num)d sets of minutes wait for your delegation's approval"
    for co_chair, line in ((chile, es_n(singular, plural, 1)), (uk, singular % {"num": 1})):
        co_chair.goto(f"{base}/")
        expect(needs_attention(co_chair)).to_contain_text(line)
        camera.shoot(co_chair, "dashboard minutes wait")
        co_chair.get_by_role("link", name=line).click()
        co_chair.wait_for_url(f"{base}{meeting_path}/minutes")
        co_chair.locator("form[action$='/minutes/approve'] button").click()
        expect(co_chair.locator(".alert-success")).to_be_visible()
        co_chair.goto(f"{base}/")
        expect(needs_attention(co_chair)).not_to_contain_text(line)
    uk.goto(f"{base}{meeting_path}/minutes")
    expect(uk.locator("#read-only")).to_be_visible()
    camera.shoot(uk, "minutes approved")
    chile.context.close()
    uk.context.close()


def close_an_action_across_delegations(app, base, world, person, camera, oliver, meeting_path):
    """Chile assigns Oliver an action item from the meeting; he closes it."""
    chile = person()
    log_in(chile, base, world.coordinator_cl, app)
    chile.goto(f"{base}{meeting_path}/actions/new")
    camera.shoot(chile, "new action item")
    chile.get_by_label(es("Title in English")).fill("Share the UK contact list")
    chile.get_by_label("Oliver Bennett").check()
    chile.get_by_label(es("Responsible party")).select_option(str(world.gb.id))
    due = (datetime.now(UTC) + timedelta(days=3)).date()
    chile.get_by_label(es("Due date")).fill(due.isoformat())
    chile.get_by_role("button", name=es("Create the action item")).click()
    chile.wait_for_url(f"{base}/actions/*")
    action_path = chile.url.removeprefix(base)
    expect(chile.locator("h1")).to_contain_text("Share the UK contact list")

    oliver.goto(f"{base}/")
    due_soon = f"1 of your action items is due within {DUE_SOON_DAYS} days"
    expect(needs_attention(oliver)).to_contain_text(due_soon)
    oliver.get_by_role("link", name=due_soon).click()
    oliver.wait_for_url(f"{base}/actions/*")
    expect(oliver.locator("main")).to_contain_text("Share the UK contact list")
    camera.shoot(oliver, "action list")
    oliver.get_by_role("link", name="Share the UK contact list").click()
    oliver.wait_for_url(base + action_path)
    camera.shoot(oliver, "action item")
    oliver.get_by_label("New status").select_option(label="Done")
    oliver.get_by_role("button", name="Change the status").click()
    expect(oliver.locator("main p .badge").first).to_have_text("Done")
    camera.shoot(oliver, "action item done")

    chile.goto(base + action_path)
    expect(chile.locator("main p .badge").first).to_have_text(es("Done"))
    expect(chile.locator("main")).to_contain_text("Oliver Bennett")
    chile.context.close()


def keep_a_strict_document_in_chile(app, base, world, person, camera, oliver):
    """A TLP:AMBER+STRICT document uploaded by Chile: never shown to Oliver, anywhere."""
    make_document(
        app, world.coordinator_cl, world.mou, world.group, title="Shared incident playbook"
    )
    chile = person()
    log_in(chile, base, world.coordinator_cl, app)
    chile.goto(f"{base}/working-groups/{world.group.id}/documents/new")
    camera.shoot(chile, "upload")
    chile.get_by_label(es("Title in English")).fill(STRICT_TITLE)
    chile.get_by_label(es("Language of the document")).select_option("en")
    chile.get_by_label(es("Category")).select_option(index=1)
    chile.get_by_label(es("TLP label")).select_option("amber_strict")
    chile.get_by_label(es("File")).set_input_files(
        files=[{"name": "register.txt", "mimeType": "text/plain", "buffer": b"incident register"}]
    )
    chile.get_by_role("button", name=es("Upload")).click()
    chile.wait_for_url(f"{base}/documents/*")
    strict_path = chile.url.removeprefix(base)
    expect(chile.locator("h1")).to_contain_text(STRICT_TITLE)
    expect(chile.locator("main")).to_contain_text("TLP:AMBER+STRICT")
    camera.shoot(chile, "document")
    chile.context.close()

    response = oliver.goto(base + strict_path)
    assert response.status == 404
    oliver.goto(f"{base}/documents/")
    expect(oliver.locator("main")).to_contain_text("Shared incident playbook")
    expect(oliver.locator("main")).not_to_contain_text(STRICT_TITLE)
    camera.shoot(oliver, "library")
    oliver.goto(f"{base}/documents/search?q=incident")
    expect(oliver.locator("main")).to_contain_text("Shared incident playbook")
    expect(oliver.locator("main")).not_to_contain_text(STRICT_TITLE)
    camera.shoot(oliver, "search")
    oliver.goto(f"{base}/")
    expect(oliver.locator("main")).not_to_contain_text(STRICT_TITLE)
    shared = "1 document was shared with you since your last visit"  # the other one
    expect(needs_attention(oliver)).to_contain_text(shared)


def fill_a_training_and_promote_the_waiting_list(app, base, world, session, person, camera, oliver):
    """One seat: Oliver takes it, Javiera waits; Oliver cancels and Javiera has the seat."""
    training = make_training(session, world.mou, datetime.now(UTC) + timedelta(days=30), capacity=1)
    session.commit()
    training_path = f"/trainings/{training.id}"

    oliver.goto(base + training_path)
    oliver.get_by_label("Organisation").fill("NCSC")
    oliver.get_by_label("Sector").select_option("public")
    oliver.get_by_role("button", name="Register").click()
    expect(oliver.locator("main")).to_contain_text("You have a seat in this training.")
    camera.shoot(oliver, "training with a seat")

    javiera = person()
    log_in(javiera, base, world.member_cl)
    javiera.goto(base + training_path)
    expect(javiera.locator("main")).to_contain_text(
        es("The training is full: you will be placed on the waiting list.")
    )
    javiera.get_by_label(es("Organisation")).fill("CSIRT de Gobierno")
    javiera.get_by_label(es("Sector")).select_option("public")
    javiera.get_by_role("button", name=es("Register")).click()
    expect(javiera.locator("main")).to_contain_text(
        es("You are number %(position)d on the waiting list.", position=1)
    )
    camera.shoot(javiera, "training waiting list")

    oliver.goto(base + training_path)
    oliver.get_by_role("button", name="Cancel my registration").click()
    # It asks first: what will happen and who is told; nothing changes until confirmed.
    expect(oliver.locator("h1")).to_have_text("Cancel your registration?")
    oliver.get_by_role("button", name="Yes, cancel my registration").click()
    expect(oliver.locator("main")).not_to_contain_text("You have a seat")
    expect(oliver.get_by_role("button", name="Register")).to_be_visible()

    javiera.goto(base + training_path)
    expect(javiera.locator("main")).to_contain_text(es("You have a seat in this training."))
    camera.shoot(javiera, "training promoted")
    promoted = es("A seat has become free and it is yours: your registration is now confirmed.")
    mails = [m for m in send_outbox(app) if m["To"] == world.member_cl.email]
    assert any(promoted in text_of(m) for m in mails)
