// Tables for the phone detectors.
