// Tables for the national detectors.
