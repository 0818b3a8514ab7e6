"""Yearly ratings of cooperatives: the rules as versioned data and the pure engine (rules/)."""
