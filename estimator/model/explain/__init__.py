"""Explaining a result: channels, the tornado, the incident ladder, the folk bridge, stars, the network check, the report."""
