// Tables for the secret detectors.
