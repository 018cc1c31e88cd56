"""The demo data command, run as `flask` would run it."""

DEMO_PASSWORD = "a demo password for the tests"


def run_cli(app, *args, env=None):
    # `flask` pushes an app context before running a command; the test runner does not.
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args), env=env)


def seed_demo(app, password=DEMO_PASSWORD):
    """`flask seed-demo` with a known password."""
    return run_cli(app, "seed-demo", "--password", password)
