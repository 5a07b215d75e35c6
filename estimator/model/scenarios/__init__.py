"""Scenarios in and out: presets, scenario files, links, sets, untrusted settings, sources and business units."""
