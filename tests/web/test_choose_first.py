"""Selects no meaning preselects start on a blank "Choose…" and refuse an empty answer;
selects with a default or an "Any" start on it."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import Select

from portal.web.forms import BaseForm, ChoicesSelect, choice_field, options, timezone_field


class _Form(BaseForm):
    class Meta:
        csrf = False

    party = choice_field("Party", coerce=int, choices=options([(1, "CL"), (2, "GB")]))
    level = choice_field(
        "Level", choices=options([("low", "Low"), ("high", "High")]), default="low"
    )
    status = choice_field(
        "Status", choices=options([("", "Any"), ("open", "Open")]), validators=[Optional()]
    )
    role = choice_field(
        "Role",
        choices=options([("member", "Member")]),
        validators=[InputRequired(message="Choose a role.")],
    )


def _options(field) -> list[tuple[str, bool]]:
    return [(str(choice.value), choice.selected) for choice in field.iter_choices()]


def test_a_select_without_default_starts_on_choose_and_the_others_on_their_value(app):
    with app.test_request_context():
        form = _Form(formdata=None)
        assert _options(form.party) == [("", True), ("1", False), ("2", False)]
        assert '<option selected value="">Choose…</option>' in str(form.party())
        assert _options(form.level) == [("low", True), ("high", False)]
        assert [choice.label for choice in form.status.iter_choices()] == ["Any", "Open"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"party": ""}, {"party": ["Choose one of the options."], "role": ["Choose a role."]}),
        ({"party": "9", "role": "member"}, {"party": ["Choose one of the options in the list."]}),
        ({"party": "x", "role": "member"}, {"party": ["Choose one of the options in the list."]}),
    ],
)
def test_an_empty_or_forged_choice_is_refused_with_a_clear_message(app, data, errors):
    with app.test_request_context():
        form = _Form(formdata=MultiDict({"level": "high", "status": "", "role": "", **data}))
        assert not form.validate()
        assert form.errors == errors


def test_a_chosen_value_passes_and_the_spanish_page_says_elija(world, login_as):
    with_choice = MultiDict({"party": "2", "level": "low", "status": "", "role": "member"})
    with login_as(world.member_gb).application.test_request_context():
        assert _Form(formdata=with_choice).validate()
    page = login_as(world.member_cl).get(f"/working-groups/{world.group.id}/actions/new")
    text = page.get_data(as_text=True)
    party = text.split('name="party_id"')[1].split("</select>")[0]
    assert '<option selected value="">Elija…</option>' in party
    priority = text.split('name="priority"')[1].split("</select>")[0]
    assert "Elija…" not in priority  # "Normal" is chosen by meaning


def test_long_selects_are_drawn_as_wtforms_draws_them_with_the_choice_kept(app):
    """The quick drawing of plain options (web.forms.ChoicesSelect) changes no markup: the
    chosen option stays selected after an error, labels are escaped, odd options fall back."""
    people = [(i, f"Person <{i}> & Co (CL)") for i in range(1, 300)]

    class Picker(BaseForm):
        class Meta:
            csrf = False

        person = choice_field("Person", coerce=int, choices=options(people))
        flag = choice_field("Flag", choices=[SelectChoice("x", "X", render_kw={"lang": "es"})])

    with app.test_request_context():
        form = Picker(formdata=MultiDict({"person": "42", "flag": "x"}))
        drawn = {}
        for field in (form.person, form.flag):
            drawn[field.name] = str(field())
            field.widget = Select()
            assert drawn[field.name] == str(field()), field.name
    chosen = '<option selected value="42">Person &lt;42&gt; &amp; Co (CL)</option>'
    assert chosen in drawn["person"] and drawn["person"].count(" selected") == 1


class _ZoneForm(BaseForm):
    class Meta:
        csrf = False

    timezone = timezone_field("Time zone")


@pytest.mark.parametrize("sent", [None, "Europe/London", "America/Santiago", "Mars/Olympus"])
def test_the_zone_select_is_drawn_as_every_select_and_checks_the_zone(app, sent):
    """The zones' select draws its options once per choice; a person sees the same select
    as WTForms would draw, and a zone not in the list is refused with its message."""
    with app.test_request_context():
        data = MultiDict({"timezone": sent}) if sent else None
        form = _ZoneForm(formdata=data)
        drawn = str(form.timezone(class_="form-select"))
        assert drawn == str(Select.__call__(ChoicesSelect(), form.timezone, class_="form-select"))
        assert drawn.count(" selected ") == (0 if sent == "Mars/Olympus" else 1)
        if sent is None:
            assert not form.validate() and '<option selected value="">' in drawn
        elif sent == "Mars/Olympus":
            assert not form.validate()
            assert form.timezone.errors == ["Choose a time zone from the list."]
        else:
            assert form.validate(), form.errors
            assert f'<option selected value="{sent}">' in drawn
