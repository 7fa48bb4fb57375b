"""Floor reports (volume, response times, SLA, backlog, unlock outcomes, satisfaction) and the
customer satisfaction survey (CSAT) asked once after a ticket is resolved."""
