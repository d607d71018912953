"""Working days by China's official calendar, 调休 make-up Saturdays included.

The chinese-calendar package carries each year's schedule once the State Council publishes it
(usually in November for the next year). For a year it does not know yet, weekends are the only
days off, and ``known`` says so, so that staff can be told.
"""

import datetime
import functools

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def is_workday(day: datetime.date) -> bool:
    # Cached: a sweep asks about the same few hundred days for every assignment.
    if known(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def next_workday(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += ONE_DAY
    return day


def previous_workday(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_workday(day):
        day -= ONE_DAY
    return day
