"""Calibration from the business's own data: files read into cells and records, posteriors, calibrated values."""
