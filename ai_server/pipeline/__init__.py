"""Pure pipeline stages: functions on numpy arrays / PIL images, testable without HTTP."""
