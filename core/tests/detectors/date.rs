// Tables for the date detectors.
