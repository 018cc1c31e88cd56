"""Give the world's parties the demo's working time and holidays (the factories leave them
unset, so that no other test is asked about working hours)."""

from portal.accounts.demo import WORKING_TIME

NAMES = {
    "CL": ("Chile", "Chile"),
    "GB": ("United Kingdom", "Reino Unido"),
    "CO": ("Colombia", "Colombia"),
}


def keep_demo_hours(session, *parties) -> None:
    for party in parties:
        days, start, end, country, region = WORKING_TIME[party.code]
        party.work_days, party.work_start_minute, party.work_end_minute = days, start, end
        party.holiday_country, party.holiday_subdivision = country, region
        if party.code in NAMES:
            party.name_en, party.name_es = NAMES[party.code]
    session.commit()
