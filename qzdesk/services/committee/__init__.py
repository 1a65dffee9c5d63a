"""The committee's year: the register of units that should have a League organisation
and its coverage, the cadre database and its analysis, the 年终考评."""
