// Tables for the net detectors.
