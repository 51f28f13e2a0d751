from __future__ import annotations

import pytest

import lucairn

#: A policy with detectors of its own, used where the built-in catalogue is not the point.
CUSTOM_POLICY = {
    "custom": [
        {"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}", "context": ["employee"]},
        {"kind": "CITY_CODE", "regex": "東京[0-9]{3}"},
        {"kind": "PROJECT", "words": ["Zürich Ost", "Ærø"]},
    ],
    "deny": ["Falcon"],
}


@pytest.fixture(scope="session")
def engine() -> lucairn.Engine:
    return lucairn.Engine()


@pytest.fixture(scope="session")
def custom_engine() -> lucairn.Engine:
    return lucairn.Engine(CUSTOM_POLICY)
