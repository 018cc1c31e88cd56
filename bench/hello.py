"""The bare Flask route every benchmark figure is divided by (served like the portal)."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
