// Tables for the finance detectors.
