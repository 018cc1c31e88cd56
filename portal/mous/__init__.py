from flask import Blueprint

bp = Blueprint("mous", __name__)
